"""Property-based fuzzing of the whole pipeline: bytes in, every output format out.

Whatever the bytes of a plan file, `check` ends with exit code 0, 1 or 2, raises
nothing but SystemExit, and every machine-readable output parses. A second property
replaces values of a real plan with odd values of the same type (absurd quantities,
huge, negative or non-finite numbers, empty strings) and asserts that no rule crashes
on them (no DP099 finding). Values of the wrong type are the first property's job: a
rule that trips over one must still end as a DP099 finding, never a traceback.

A third property puts hostile strings (line breaks, `::error::`, `::add-mask::`, `##[`,
ESC and OSC 8 sequences, NUL, bidi controls, U+2028) into values, keys, comments and the
file name of a real plan and checks every output format the way a CI log reads it: no
line may start a GitHub workflow command unless it is the github reporter's own,
properly %-escaped annotation, no `##[` anywhere, no raw control or bidi character, and
the job summary's tables stay intact. The byte-level property checks the same.

Runs in-process through click's CliRunner; the example counts keep it within CI time.
On CI (CI=true) the examples are derandomized so a run is reproducible.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from log_safety import assert_log_safe, assert_markdown_tables_intact

from dataplan_lint.cli.commands import cli
from dataplan_lint.report.output import FORMATS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = (ROOT / "examples" / "clickstream-sessions" / "dataplan.yaml").read_text(encoding="utf-8")
FILE_FORMATS = [name for name in FORMATS if name != "text"]


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=os.environ.get("CI") == "true",
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


YAML_TOKENS = st.sampled_from(
    [
        ": ",
        "- ",
        "[",
        "]",
        "{",
        "}",
        ", ",
        "\n",
        "  ",
        "&a ",
        "*a",
        "!!str ",
        "!!python/name:os.system ",
        "<<: ",
        "# c",
        '"',
        "'",
        "|",
        ">",
        "---\n",
        "...\n",
        "? ",
        "~",
        "null",
        "true",
        "no",
        "1e400",
        "-5k/s",
        "0",
        "500M/day",
        "1.2KB",
        "\t",
        "\x00",
        "\ufeff",
        "é",
        "%YAML 1.2\n",
        "apiVersion: dataplan/v1\n",
        "kind: DataPlan\n",
        "metadata:\n",
        "contracts:\n",
    ]
)


def _splice(data: st.DataObject) -> bytes:
    """The example plan with a random byte range replaced by random bytes."""
    raw = EXAMPLE.encode("utf-8")
    start = data.draw(st.integers(0, len(raw)))
    end = data.draw(st.integers(start, min(len(raw), start + 200)))
    insert = data.draw(st.binary(max_size=40) | st.text(max_size=40).map(str.encode))
    return raw[:start] + insert + raw[end:]


@st.composite
def plan_bytes(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["binary", "text", "tokens", "splice"]))
    if kind == "binary":
        return draw(st.binary(max_size=2000))
    if kind == "text":
        text = draw(st.text(max_size=800))
        encoding = draw(st.sampled_from(["utf-8", "utf-16", "utf-32", "latin-1"]))
        return text.encode(encoding, errors="replace")
    if kind == "tokens":
        return "".join(draw(st.lists(YAML_TOKENS, max_size=120))).encode("utf-8")
    return _splice(draw(st.data()))


def _parse_output(name: str, body: str) -> None:
    if name in ("json", "sarif", "gitlab", "rdjson"):
        document = json.loads(body)
        if name == "sarif":
            assert document["version"] == "2.1.0"
            assert isinstance(document["runs"], list)
    elif name == "junit":
        ElementTree.fromstring(body)


def _invoke_all_formats(cwd: Path, target: str, out: Path) -> Result:
    """`check TARGET` from `cwd`: text on stdout, every other format into `out`, and the
    job summary (as inside GitHub Actions) into out/summary.md."""
    args = ["check", "--format", "text"]
    for name in FILE_FORMATS:
        args += ["--format", name]
    args += ["--output", "-"]
    for name in FILE_FORMATS:  # each --output pairs with the --format at its position
        args += ["--output", str(out / f"report.{name}")]
    env = {"GITHUB_ACTIONS": None, "NO_COLOR": "1", "GITHUB_STEP_SUMMARY": str(out / "summary.md")}
    out.mkdir(parents=True, exist_ok=True)
    before = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, [*args, "--", target], env=env)
    finally:
        os.chdir(before)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    assert_log_safe(result.stdout)
    assert_log_safe(result.stderr)
    return result


def _check_reports(out: Path) -> bool:
    """Every report parses and is safe to print; False when the run wrote none."""
    if not (out / "report.json").exists():
        return False  # an input error stopped the run before the reports (it says why)
    for name in FILE_FORMATS:
        body = (out / f"report.{name}").read_text(encoding="utf-8")
        _parse_output(name, body)
        assert_log_safe(body, annotations=name == "github")
    summary = out / "summary.md"
    if summary.exists():
        assert_markdown_tables_intact(summary.read_text(encoding="utf-8"))
    return True


def _run_all_formats(tmp: Path, raw: bytes) -> None:
    (tmp / "dataplan.yaml").write_bytes(raw)
    result = _invoke_all_formats(tmp, "dataplan.yaml", tmp / "out")
    if not _check_reports(tmp / "out"):
        assert result.exit_code == 2, result.output


@fuzz(60)
@given(raw=plan_bytes())
def test_any_bytes_through_every_format(tmp_path_factory: Any, raw: bytes) -> None:
    _run_all_formats(tmp_path_factory.mktemp("fuzz"), raw)


QUANTITY_LIKE = (
    r"-?[0-9]{1,25}(\.[0-9]{1,5})?(e[0-9]{1,4})? ?"
    r"(k|M|B|G|T|KB|MB|GB|TiB|/s|/day|/min|KB/s|MB/s|ms|s|m|h|d|%|x)?"
)
TEXT_VALUES = st.one_of(
    st.text(max_size=12),
    st.from_regex(QUANTITY_LIKE, fullmatch=True),
    st.sampled_from(["", "0", "0s", "0%", "-5k/s", "1e400GB", "99999999999999999999/s", "5m"]),
)
NUMBER_VALUES = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, 0.0]),
)


def _same_kind(original: Any) -> st.SearchStrategy[Any]:
    """Values of the original's JSON type: the rules' value handling, not the schema's."""
    if isinstance(original, bool):
        return st.booleans()
    if isinstance(original, int | float):
        return NUMBER_VALUES
    if isinstance(original, str):
        return TEXT_VALUES
    return st.none()


def _scalar_paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [p for key, value in node.items() for p in _scalar_paths(value, (*path, key))]
    if isinstance(node, list):
        return [p for index, value in enumerate(node) for p in _scalar_paths(value, (*path, index))]
    return [path]


def _example_data() -> Any:
    from dataplan_lint.files.loader import load_text

    loaded = load_text(EXAMPLE, "dataplan.yaml")
    assert loaded.plan is not None
    return loaded.plan.data


SCALAR_PATHS = _scalar_paths(_example_data())


@fuzz(150)
@given(data=st.data())
def test_no_rule_crashes_on_odd_values(data: st.DataObject) -> None:
    from dataplan_lint.config.file import ConfigResolver
    from dataplan_lint.core.settings import Settings
    from dataplan_lint.files.discovery import Discovered
    from dataplan_lint.pipeline.configured import check_configured, per_file_settings, resolve_all

    plan_data = _example_data()
    for path in data.draw(st.lists(st.sampled_from(SCALAR_PATHS), min_size=1, max_size=6)):
        node = plan_data
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = data.draw(_same_kind(node[path[-1]]))
    import io

    from ruamel.yaml import YAML

    buffer = io.StringIO()
    YAML(typ="safe", pure=True).dump(plan_data, buffer)
    plan = Path(os.environ.get("TMPDIR", "/tmp")) / f"fuzz-{os.getpid()}.dataplan.yaml"
    plan.write_text(buffer.getvalue(), encoding="utf-8")
    try:
        item = Discovered(plan, plan.name)
        configs = resolve_all([item], ConfigResolver(None, None, []))
        report = check_configured([item], per_file_settings(configs, Settings()))[0]
    finally:
        plan.unlink()
    crashes = [f.message for f in report.findings if f.rule_id == "DP099"]
    assert not crashes, crashes


HOSTILE_PIECES = st.sampled_from(
    [
        "\n",
        "\r",
        "\r\n",
        "::error::pwned",
        "::add-mask::secret",
        "::stop-commands::t",
        "##[error]x",
        "##[",
        "#",
        "\x1b[2J",
        "\x1b]8;;https://x.example\x07link\x1b]8;;\x07",
        "\x00",
        "\x07",
        "\x9b",
        "\x85",
        "\u202e",
        "\u2066",
        "\u200f",
        "\u2028",
        "\u2029",
        " ",
        "\t",
        "%",
        "%0A",
        ",",
        ":",
        "|",
        "<b>",
        "[l](https://e.example)",
        "https://e.example",
        "`",
        "a",
        "\u00e9",
        "\\",
    ]
)
HOSTILE_TEXT = st.lists(HOSTILE_PIECES, min_size=1, max_size=8).map("".join)
# Paths to mappings of the example plan, where a hostile key can go.
MAPPING_PATHS = [
    path[:cut]
    for path in SCALAR_PATHS
    for cut in range(len(path))
    if isinstance(path[cut - 1] if cut else "", str) or cut == 0
]


def _node(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


@st.composite
def hostile_plan(draw: st.DrawFn) -> tuple[str, str]:
    """(file name, YAML text) of the example plan with hostile strings put in."""
    import io

    from ruamel.yaml import YAML

    plan_data = _example_data()
    for path in draw(st.lists(st.sampled_from(SCALAR_PATHS), max_size=4)):
        _node(plan_data, path[:-1])[path[-1]] = draw(HOSTILE_TEXT)
    for path in draw(st.lists(st.sampled_from(MAPPING_PATHS), max_size=2)):
        node = _node(plan_data, path)
        if isinstance(node, dict):
            node[draw(HOSTILE_TEXT)] = draw(HOSTILE_TEXT | st.integers())
    buffer = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_unicode = True  # bidi controls and U+2028 stay raw in the file
    yaml.dump(plan_data, buffer)
    lines = buffer.getvalue().split("\n")
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(lines)))
        lines.insert(at, "# " + draw(HOSTILE_TEXT))
    stem = draw(HOSTILE_TEXT).replace("/", "_").replace("\x00", "_")
    return stem[:60] + ".dataplan.yaml", "\n".join(lines)


@fuzz(50)
@given(plan=hostile_plan())
def test_hostile_strings_through_every_format(tmp_path_factory: Any, plan: tuple[str, str]) -> None:
    name, text = plan
    tmp = tmp_path_factory.mktemp("hostile")
    (tmp / "plans").mkdir()
    try:
        (tmp / "plans" / name).write_text(text, encoding="utf-8", errors="surrogateescape")
    except OSError:  # a name this file system cannot store
        name = "dataplan.yaml"
        (tmp / "plans" / name).write_text(text, encoding="utf-8", errors="surrogateescape")
    result = _invoke_all_formats(tmp / "plans", ".", tmp / "out")
    assert _check_reports(tmp / "out"), result.output
    files = json.loads((tmp / "out" / "report.json").read_text(encoding="utf-8"))["files"]
    assert [item["path"] for item in files] == [name]  # the exact name, JSON-escaped
