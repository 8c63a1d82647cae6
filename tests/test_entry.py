"""The click-free fast path for `check` must agree with the click command, always."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from dataplan_lint.cli import check_command, entry
from dataplan_lint.cli.check_options import CHECK_OPTIONS, parse_fast
from dataplan_lint.cli.check_request import CheckRequest
from dataplan_lint.cli.commands import check, cli

ROOT = Path(__file__).resolve().parent.parent
GOOD = str(ROOT / "examples" / "clickstream-sessions" / "dataplan.yaml")
BAD = str(ROOT / "examples" / "invalid" / "bad-enum.dataplan.yaml")


def test_every_option_of_check_comes_from_the_table() -> None:
    """The click options of `check` are generated from CHECK_OPTIONS, in its order; the
    one click-only option acts through a callback and fills no request field."""
    options = [param for param in check.params if isinstance(param, click.Option)]
    declared = [
        (tuple(param.opts + param.secondary_opts), param.name)
        for param in options
        if param.expose_value
    ]
    assert declared == [(option.names, option.dest) for option in CHECK_OPTIONS]
    assert [param.name for param in options if not param.expose_value] == [
        "allow_external_rulesets"
    ]
    assert CheckRequest._fields == ("paths", *(option.dest for option in CHECK_OPTIONS))


def test_request_defaults_are_the_click_defaults() -> None:
    """The fast path leaves unset options at CheckRequest's defaults; click passes its own."""
    defaults = CheckRequest._field_defaults
    context = click.Context(check)
    for param in check.params:
        if not param.expose_value:
            continue  # acts through its callback (--allow-external-rulesets); click path only
        assert param.name in defaults, f"CheckRequest lacks {param.name}"
        default = defaults[param.name]
        if param.multiple or param.nargs == -1:
            expected: object = ()  # click passes an empty tuple when none are given
        else:
            expected = param.get_default(context)
        if isinstance(param, click.Option) and param.is_flag:
            expected = bool(expected)
        assert default == expected, f"{param.name}: {default!r} != click's {expected!r}"


def test_a_request_cannot_be_changed() -> None:
    request = CheckRequest(paths=("a.yaml",), base="main")
    with pytest.raises(AttributeError):
        request.base = "other"  # type: ignore[misc]
    assert request._replace(base="other").base == "other" and request.base == "main"


def test_the_table_imports_no_click() -> None:
    import subprocess

    code = (
        "import sys\n"
        "from dataplan_lint.cli.check_options import CHECK_OPTIONS, parse_fast\n"
        "from dataplan_lint.cli import check_command\n"
        "print('click' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["rules"],
        ["--version"],
        ["check", "--help"],
        ["check", "-h"],
        ["check", "--allow-external-rulesets", "x"],
        ["check", "-o=x.json", "x"],
        ["check", "--max-file-size", "0"],
        ["check", "--max-file-size", "1e3"],
        ["check", "--json-schema-policy", "LENIENT"],
        ["check", "--fail-on"],
        ["check", "--fail-on", "bogus"],
        ["check", "--format", "--output=x"],
        ["check", "--color", "AUTO"],
        ["check", "--no-snippets=yes"],
        ["check", "--config", "."],
    ],
)
def test_unusual_command_lines_go_to_click(argv: list[str]) -> None:
    assert parse_fast(argv) is None


def test_common_command_lines_are_parsed() -> None:
    parsed = parse_fast(
        ["check", "a.yaml", "--fail-on=WARNING", "--format", "SARIF", "--output", "-", "b"]
    )
    assert parsed == CheckRequest(
        paths=("a.yaml", "b"), fail_on="warning", formats=("sarif",), outputs=("-",)
    )
    assert parse_fast(["check"]) == CheckRequest()
    assert parse_fast(["check", "--no-snippets", "--exclude", "x", "--exclude=y"]) == (
        CheckRequest(no_snippets=True, exclude=("x", "y"))
    )
    # Every spelling of an option, typed values, the pre-commit compat hook's options.
    argv = ["check", "-o", "a.json", "--output-file=b.sarif", "--max-file-size", "010"]
    assert parse_fast(argv) == CheckRequest(outputs=("a.json", "b.sarif"), max_file_size=10)
    assert parse_fast(["check", "--base", "HEAD", "--base-only", "--", "p.yaml"]) == (
        CheckRequest(paths=("p.yaml",), base="HEAD", base_only=True)
    )


def test_double_dash_ends_the_options() -> None:
    # pre-commit appends file names after the hook's entry; a committed file named like
    # an option must stay a path.
    assert parse_fast(["check", "--", "--exclude=*.dataplan.yaml", "-"]) == CheckRequest(
        paths=("--exclude=*.dataplan.yaml", "-")
    )
    assert parse_fast(["check", "-", "--stdin-filename", "a/x.dataplan.yaml"]) == CheckRequest(
        paths=("-",), stdin_filename="a/x.dataplan.yaml"
    )


def _run_entry(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["dataplan-lint", *argv])
    with pytest.raises(SystemExit) as stopped:
        entry.main()
    code = stopped.value.code
    captured = capsys.readouterr()
    return int(code) if isinstance(code, int) else 0, captured.out, captured.err


@pytest.mark.parametrize(
    "argv",
    [
        ["check", GOOD],
        ["check", BAD],
        ["check", BAD, "--no-snippets"],
        ["check", BAD, "--format", "json"],
        ["check", BAD, "--fail-on", "info", "--select", "DP014"],
        ["check", BAD, "--ignore", "DP014,DP011"],
        ["check", str(ROOT / "examples"), "--exclude", "invalid", "--format", "github"],
        ["check", "no-such-file.yaml"],
        ["check", BAD, "--exit-zero"],
        ["check", BAD, "--statistics"],
        ["check", "--", BAD, "--exclude=*.dataplan.yaml"],
        ["check", "--format", "json", "--", "--output=x.dataplan.yaml"],
        ["check", BAD, "--max-file-size", "100"],
        ["check", BAD, "--format", "json", "-o", "-", "--sarif-category", "c"],
        ["check", BAD, "--json-schema-policy", "lenient", "--no-cache"],
        ["check", GOOD, "--base", "no-such-ref-anywhere"],
        ["check", BAD, "--diff"],
    ],
)
def test_fast_path_and_click_agree(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    assert parse_fast(argv) is not None
    fast = _run_entry(argv, monkeypatch, capsys)
    result = CliRunner().invoke(cli, argv)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert fast == (result.exit_code, result.stdout, result.stderr)


def test_fast_path_does_not_import_click_for_a_clean_check(tmp_path: Path) -> None:
    import subprocess

    code = (
        f"import sys; sys.argv = ['dataplan-lint', 'check', {GOOD!r}]\n"
        "from dataplan_lint.cli.entry import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        "heavy = sorted(m for m in ('click', 'jsonschema', 'pygments', 'sarif_om', 'pygls', "
        "'lsprotocol') "
        "if m in sys.modules)\n"
        "print(code, heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert done.stdout.strip().splitlines()[-1] == "0 []", done.stderr


def test_check_command_has_no_click_import() -> None:
    source = Path(check_command.__file__).read_text(encoding="utf-8")
    entry_source = Path(entry.__file__).read_text(encoding="utf-8")
    assert "import click" not in source
    assert "import click" not in entry_source.split("def main", 1)[0]
