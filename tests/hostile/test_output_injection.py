"""Text from a pull request cannot act in a terminal or a CI log.

Plan values, plan file names, echoed source lines, schema field names (diff and
`check --base`), baseline entries and config values all reach human-readable output.
Each case runs the real command line in a bounded child (`bounded.run_cli`) and checks
every output line the way the GitHub runner and a terminal read it: no line may start a
workflow command (`::` after blanks) unless it is one of the github reporter's own
annotations, `##[` may not appear at all, and no raw ESC, NUL, C1, bidi control, line
separator or lone surrogate may reach text output. Structured formats must still carry
the exact string.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bounded import Outcome, run_cli
from log_safety import assert_log_safe, assert_markdown_tables_intact, log_lines

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "examples" / "clickstream-sessions" / "dataplan.yaml").read_text(encoding="utf-8")

# One hostile string with every kind of trouble in it.
HOSTILE = (
    "evil\n::error::pwned\r::add-mask::secret \x1b[31mred\x1b[0m \x1b]8;;https://x.example\x07"
    "link\x1b]8;;\x07 ##[set-output name=x]y \u202eabc\u2066 \x00 \x9b \u2028 end"
)


def _plan_with_contract_name(name: str) -> str:
    quoted = json.dumps(name)  # a YAML double-quoted scalar (JSON escapes are YAML escapes)
    old = "    contract: clickstream_event"
    assert old in EXAMPLE
    return EXAMPLE.replace(old, f"    contract: {quoted}", 1)


@pytest.fixture
def hostile_plan(tmp_path: Path) -> Path:
    (tmp_path / "dataplan.yaml").write_text(_plan_with_contract_name(HOSTILE), encoding="utf-8")
    return tmp_path


SHOWN = (
    "evil\\n::error::pwned\\r::add-mask::secret \\x1b[31mred\\x1b[0m "
    "\\x1b]8;;https://x.example\\x07link\\x1b]8;;\\x07 #\\x23[set-output name=x]y "
    "\\u202eabc\\u2066 \\x00 \\x9b \\u2028 end"
)


def test_text_output_shows_a_hostile_value_escaped(hostile_plan: Path) -> None:
    outcome = run_cli(["check", "--no-snippets", "--select", "DP201", "."], hostile_plan)
    assert outcome.code == 1, outcome
    assert_log_safe(outcome.stdout)
    assert (
        f"dataplan.yaml:83:15: DP201 error source contract `{SHOWN}` is not defined in `contracts`"
        " - name a contract from `contracts`, or add the missing contract"
    ) in outcome.stdout.splitlines()


@pytest.mark.parametrize("fmt", ["text", "github", "json", "sarif", "junit", "gitlab", "rdjson"])
def test_every_format_on_stdout_is_log_safe(fmt: str, hostile_plan: Path) -> None:
    outcome = run_cli(["check", "--format", fmt, "."], hostile_plan)
    assert outcome.code == 1, outcome
    # Structured formats may keep TAB/CR/LF inside quoted strings only; both must be safe
    # to print: no command openers, and (text, github) no raw control characters.
    assert_log_safe(outcome.stdout, annotations=fmt == "github")
    assert_log_safe(outcome.stderr)


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab", "rdjson"])
def test_json_formats_keep_the_exact_string(fmt: str, hostile_plan: Path) -> None:
    outcome = run_cli(["check", "--format", fmt, "."], hostile_plan)
    document = json.loads(outcome.stdout)
    assert _contains(document, HOSTILE)


def _contains(node: object, needle: str) -> bool:
    if isinstance(node, str):
        return needle in node
    if isinstance(node, dict):
        return any(_contains(value, needle) for value in node.values())
    if isinstance(node, list):
        return any(_contains(value, needle) for value in node)
    return False


def test_junit_text_nodes_keep_the_string_and_cannot_open_a_command(hostile_plan: Path) -> None:
    outcome = run_cli(["check", "--format", "junit", "."], hostile_plan)
    assert_log_safe(outcome.stdout)
    root = ElementTree.fromstring(outcome.stdout.encode("utf-8"))
    texts = [node.text or "" for node in root.iter("failure")]
    # XML 1.0 cannot carry NUL or ESC at all: they are shown escaped; the rest is exact.
    kept = HOSTILE.replace("\x1b", "\\x1b").replace("\x07", "\\x07").replace("\x00", "\\x00")
    assert any(kept in text for text in texts), texts


def test_github_annotations_escape_data_and_properties(hostile_plan: Path) -> None:
    outcome = run_cli(["check", "--format", "github", "--select", "DP201", "."], hostile_plan)
    assert_log_safe(outcome.stdout, annotations=True)
    data = SHOWN.replace("\\n", "%0A").replace("\\r", "%0D")
    assert (
        "::error file=dataplan.yaml,line=83,endLine=83,col=15,endColumn=197,"
        f"title=DP201 source-contract-missing::source contract `{data}` is not defined in "
        "`contracts` - name a contract from `contracts`, or add the missing contract"
    ) in outcome.stdout.splitlines()


FILE_NAMES = [
    "x\n::error::pwn.dataplan.yaml",
    "::warning::at-start.dataplan.yaml",
    "  ::add-mask::blank.dataplan.yaml",
    "\x1b]0;title\x07esc.dataplan.yaml",
    "right\u202eto-left.dataplan.yaml",
    "cr\r::error::x.dataplan.yaml",
    "##[error]legacy.dataplan.yaml",
]


@pytest.mark.parametrize("fmt", ["text", "github", "junit", "json"])
def test_hostile_file_names(fmt: str, tmp_path: Path) -> None:
    broken = EXAMPLE.replace("apiVersion:", "unknown_key: 1\napiVersion:", 1)
    for name in FILE_NAMES:
        (tmp_path / name).write_text(broken, encoding="utf-8")
    outcome = run_cli(["check", "--format", fmt, "."], tmp_path)
    assert outcome.code == 1, outcome
    assert_log_safe(outcome.stdout, annotations=fmt == "github")
    if fmt == "text":
        headers = sorted(line for line in outcome.stdout.splitlines() if "DP011" in line)
        assert headers[0].startswith("  \\x3a:add-mask::blank.dataplan.yaml:3:1: DP011 ")
        assert "x\\n::error::pwn.dataplan.yaml:3:1: DP011 error" in outcome.stdout
        assert "\\x3a:warning::at-start.dataplan.yaml:3:1:" in outcome.stdout
        assert "right\\u202eto-left.dataplan.yaml:3:1:" in outcome.stdout
    if fmt == "json":
        paths = {item["path"] for item in json.loads(outcome.stdout)["files"]}
        assert paths == set(FILE_NAMES)


def test_error_messages_on_stderr_escape_file_names(tmp_path: Path) -> None:
    # A folder named like a plan is an input error that names the path on stderr.
    (tmp_path / "x\n::error::pwn.dataplan.yaml").mkdir()
    (tmp_path / "##[add-mask]y.dataplan.yaml").mkdir()
    outcome = run_cli(["check", "."], tmp_path)
    assert outcome.code == 2, outcome
    assert "is a directory, not a plan file" in outcome.stderr
    assert "error: x\\n::error::pwn.dataplan.yaml: is a directory" in outcome.stderr
    assert_log_safe(outcome.stderr)
    assert_log_safe(outcome.stdout)


def test_echoed_source_lines_are_escaped_and_carets_stay_aligned(tmp_path: Path) -> None:
    (tmp_path / "bidi.dataplan.yaml").write_text(
        EXAMPLE.replace("kind: DataPlan", "kind: DataPlan\n\u202eab\u2066c: 1  # ##[error] x", 1),
        encoding="utf-8",
    )
    (tmp_path / "esc.dataplan.yaml").write_text(
        EXAMPLE.replace("kind: DataPlan", "kind: DataPlan\nx\x1b[2J: 1", 1), encoding="utf-8"
    )
    outcome = run_cli(["check", "."], tmp_path)
    assert outcome.code == 1, outcome
    assert_log_safe(outcome.stdout)
    lines = outcome.stdout.splitlines()
    assert lines[:6] == [
        "bidi.dataplan.yaml:5:1: DP011 error unknown key '\\u202eab\\u2066c' at the top level",
        "  5 | \\u202eab\\u2066c: 1  # #\\x23[error] x",
        "      ^^^^^^^^^^^^^^^",
        "esc.dataplan.yaml:5:2: DP001 error invalid YAML: control characters are not allowed "
        "(found U+001B)",
        "  5 | x\\x1b[2J: 1",
        "       ^^^^",
    ]


def test_colour_output_escapes_user_text_too(hostile_plan: Path) -> None:
    outcome = run_cli(["check", "--color", "always", "--select", "DP201", "."], hostile_plan)
    assert outcome.code == 1, outcome
    assert_log_safe(outcome.stdout, controls=False)
    without_our_colours = re.sub(r"\x1b\[[0-9;]*m", "", outcome.stdout)
    assert "\x1b" not in without_our_colours and "\u202e" not in without_our_colours


def test_markdown_summary_cannot_inject_html_links_or_rows(tmp_path: Path) -> None:
    name = (
        "a|b\n| x | y |<img src=x onerror=alert(1)> [l](https://e.example) https://e.example \u202e"
    )
    (tmp_path / "dataplan.yaml").write_text(_plan_with_contract_name(name), encoding="utf-8")
    summary = tmp_path / "summary.md"
    outcome = run_cli(
        ["check", "--format", "github", "--select", "DP201", "."],
        tmp_path,
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert outcome.code == 1, outcome
    text = summary.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if "DP201" in line]
    assert len(rows) == 1
    row = rows[0]
    assert "<img" not in row and "&lt;img src=x onerror=alert(1)&gt;" in row
    assert "\\[l\\](https\\://e.example)" in row
    assert " https\\://e.example \\\\u202e" in row
    assert "a\\|b<br>\\| x \\| y \\|" in row
    assert "\u202e" not in text
    assert_markdown_tables_intact(text)


def test_stale_baseline_entries_are_escaped(tmp_path: Path) -> None:
    hostile_name = "x\n::error::from-the-path.dataplan.yaml"
    (tmp_path / hostile_name).write_text(EXAMPLE, encoding="utf-8")
    entry = {
        "path": hostile_name,
        "rule_id": "DP201\n##[add-mask]x",
        "fingerprint": "0" * 16,
        "message": "gone\n::add-mask::secret \x1b[2J",
    }
    document = {"version": 1, "tool": "dataplan-lint", "entries": [entry]}
    (tmp_path / "baseline.json").write_text(json.dumps(document), encoding="utf-8")
    outcome = run_cli(["check", "--baseline", "baseline.json", "."], tmp_path)
    assert "no longer occurs" in outcome.stdout, outcome
    assert_log_safe(outcome.stdout)
    assert (
        "  x\\n::error::from-the-path.dataplan.yaml: DP201\\n#\\x23[add-mask]x "
        "gone\\n::add-mask::secret \\x1b[2J"
    ) in outcome.stdout.splitlines()


def test_bundle_on_stdout_cannot_open_a_command(tmp_path: Path) -> None:
    plan = EXAMPLE.replace(
        "  description: >-\n",
        "  description: |-\n    ::error::from-a-block\n    ##[add-mask]x\n    \u202e\n",
        1,
    )
    assert plan != EXAMPLE
    (tmp_path / "dataplan.yaml").write_text(plan, encoding="utf-8")
    for extra in ([], ["--html"], ["--format", "json"]):
        outcome = run_cli(["bundle", "dataplan.yaml", *extra], tmp_path)
        assert outcome.code == 0, outcome
        assert_log_safe(outcome.stdout)


# --- schema field names: `diff` and `check --base` -------------------------------------


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


PAYMENT_CONTRACT = """\
  - name: payment_authorized
    kind: event
    owner: team-payments
    consumers: [team-data-platform]
    format: json-schema
    compatibility: BACKWARD
    version: 1.0.0
    versioning: semver
    schema_file: schemas/payment.schema.json
    content_model: closed
    deprecation_window: 30d
    migration: [Upgrade readers first.]
"""


@pytest.fixture
def schema_repo(tmp_path: Path) -> Path:
    """A git repo whose branch adds a required field with a hostile name to a schema."""
    marker = "\ncontracts:\n"
    assert marker in EXAMPLE
    (tmp_path / "dataplan.yaml").write_text(
        EXAMPLE.replace(marker, marker + PAYMENT_CONTRACT, 1), encoding="utf-8"
    )
    (tmp_path / "schemas").mkdir()
    schema_path = tmp_path / "schemas" / "payment.schema.json"
    shutil.copy(ROOT / "examples" / "compat" / "schemas" / "payment.schema.json", schema_path)
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "base")
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["properties"][HOSTILE] = {"type": "string"}
    schema["required"].append(HOSTILE)
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    return tmp_path


SHOWN_FIELD = SHOWN


def test_diff_text_escapes_schema_field_names(schema_repo: Path) -> None:
    outcome = run_cli(["diff", "--base", "main"], schema_repo)
    assert outcome.code == 1, outcome
    assert_log_safe(outcome.stdout)
    breaking = [line for line in outcome.stdout.splitlines() if "BREAKING" in line]
    # The field is named by its path (`$.name` for JSON Schema), the name shown escaped.
    assert any(
        line.startswith("    BREAKING    adding required field `")
        and line.endswith(f"{SHOWN_FIELD}` without a default")
        for line in breaking
    ), breaking


def test_diff_json_keeps_the_exact_field_name(schema_repo: Path) -> None:
    outcome = run_cli(["diff", "--base", "main", "--format", "json"], schema_repo)
    assert_log_safe(outcome.stdout)
    changes = json.loads(outcome.stdout)["plans"][0]["contracts"]
    paths = [change["path"] for contract in changes for change in contract["changes"]]
    assert any(HOSTILE in path for path in paths), paths


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_check_base_escapes_schema_field_names(fmt: str, schema_repo: Path) -> None:
    outcome = run_cli(
        ["check", "--base", "main", "--format", fmt, "--select", "compatibility", "."],
        schema_repo,
    )
    assert outcome.code == 1, outcome
    assert_log_safe(outcome.stdout, annotations=fmt == "github")
    if fmt == "text":
        assert f"{SHOWN_FIELD}` without a default" in outcome.stdout


def _outcome_lines(outcome: Outcome) -> list[str]:
    return log_lines(outcome.stdout) + log_lines(outcome.stderr)


def test_config_values_in_error_messages(tmp_path: Path) -> None:
    (tmp_path / "dataplan.yaml").write_text(EXAMPLE, encoding="utf-8")
    (tmp_path / ".dataplan-lint.yaml").write_text(
        'select: ["DP1\\n::error::from-config \\e[2J ##[add-mask]z"]\n', encoding="utf-8"
    )
    outcome = run_cli(["check", "."], tmp_path)
    assert outcome.code == 2, outcome
    for line in _outcome_lines(outcome):
        assert_log_safe(line)


# Where the package may print. Everything else goes through these writers, which escape
# (`_echo_err`, `write_err`), guard (`_say`) or print reports the reporters made safe.
PRINTERS = {
    ("cli/commands.py", "_echo_err"),
    ("cli/commands.py", "_say"),
    ("cli/commands.py", "_echo_out"),
    ("cli/check_command.py", "write_err"),
    ("cli/check_command.py", "write_out"),
    ("cli/entry.py", "main"),  # a constant message on Ctrl-C
    ("schema/codegen.py", "main"),  # developer tools that regenerate bundled files
    ("engine/index_codegen.py", "main"),
    ("engine/reference_codegen.py", "main"),
}


def _prints(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id == "print"
    if not isinstance(func, ast.Attribute):
        return False
    owner = ast.unparse(func.value)
    return (owner, func.attr) in {
        ("click", "echo"),
        ("click", "secho"),
        ("sys.stdout", "write"),
        ("sys.stderr", "write"),
    }


def test_every_print_goes_through_the_sanitising_writers() -> None:
    package = ROOT / "dataplan_lint"
    found: set[tuple[str, str]] = set()
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Call) and _prints(node):
                    found.add((path.relative_to(package).as_posix(), function.name))
    assert found <= PRINTERS, sorted(found - PRINTERS)
