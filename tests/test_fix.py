"""`check --fix`, `--diff` and `--unsafe-fixes`: what is repaired, what is kept, what is not."""

from __future__ import annotations

import copy
import difflib
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dataplan_lint.cli.commands import cli
from dataplan_lint.core.findings import Edit, Fix
from dataplan_lint.core.pointers import split
from dataplan_lint.core.quantities import KINDS, is_valid, suggest
from dataplan_lint.files.fixer import apply
from dataplan_lint.files.loader import load_text

ROOT = Path(__file__).resolve().parent.parent
TOUR = ROOT / "examples" / "tour" / "dataplan.yaml"
INVALID = ROOT / "examples" / "invalid"
CLEAN = ROOT / "examples" / "clickstream-sessions" / "dataplan.yaml"

# The tour's findings that a fix repairs: (rule, line, old line, new line).
SAFE_FIXES = [
    ("DP201", 98, "    contract: clickstream_evnt", "    contract: clickstream_event"),
    ("DP1106", 849, "    - id: AC-5", "    - id: AC-4"),
]
UNSAFE_FIXES = [("DP401", 203, "    peak_eps: 25000", "    peak_eps: 17361")]


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def finding_rules(output: str) -> list[str]:
    return [line.split(" ")[1] for line in output.splitlines() if ": DP" in line]


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    old, new = before.splitlines(), after.splitlines()
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


@pytest.fixture
def tour(tmp_path: Path) -> Path:
    target = tmp_path / "dataplan.yaml"
    shutil.copy(TOUR, target)
    return target


def test_text_report_marks_fixable_findings_and_counts_them() -> None:
    result = run("check", "--no-snippets", str(TOUR))
    marked = [
        line.split(": ", 1)[1].split(" ")[0:2]
        for line in result.output.splitlines()
        if ": DP" in line
    ]
    assert ["DP201", "[*]"] in marked
    assert ["DP1106", "[*]"] in marked
    assert ["DP401", "error"] in marked  # unsafe: not marked without --unsafe-fixes
    assert ["DP1201", "error"] in marked  # a placeholder owner needs a person
    assert result.output.endswith("[*] 2 fixable with `--fix` (1 more with `--unsafe-fixes`).\n")
    shown = run("check", "--no-snippets", "--unsafe-fixes", str(TOUR))
    assert ": DP401 [*] error declared peak_eps" in shown.output
    assert shown.output.endswith("[*] 3 fixable with `--fix --unsafe-fixes`.\n")


def test_fix_repairs_safe_fixes_keeps_comments_and_reports_the_rest(tour: Path) -> None:
    before = tour.read_text()
    result = run("check", "--no-snippets", "--fix", str(tour))
    after = tour.read_text()
    assert changed_lines(before, after) == [(old, new) for _, _, old, new in SAFE_FIXES]
    assert [line for line in after.splitlines() if "#" in line] == [
        line for line in before.splitlines() if "#" in line
    ]
    assert result.exit_code == 1
    assert "dataplan-lint: fixed 2 findings in 1 file" in result.stderr
    rules = finding_rules(result.stdout)
    assert len(rules) == 18 and "DP201" not in rules and "DP1106" not in rules
    assert "DP401" in rules and "DP1201" in rules
    assert result.stdout.endswith("No fix is safe to apply; 1 with `--fix --unsafe-fixes`.\n")


def test_unsafe_fixes_repair_every_fixable_finding_of_the_tour(tour: Path) -> None:
    before = tour.read_text()
    result = run("check", "--no-snippets", "--fix", "--unsafe-fixes", str(tour))
    after = tour.read_text()
    expected = sorted(SAFE_FIXES + UNSAFE_FIXES, key=lambda item: item[1])
    assert changed_lines(before, after) == [(old, new) for _, _, old, new in expected]
    assert "fixed 3 findings in 1 file" in result.stderr
    assert len(finding_rules(result.stdout)) == 17
    assert "[*]" not in result.stdout  # nothing fixable is left
    # Idempotent: a second run changes nothing and finds nothing to fix.
    again = run("check", "--no-snippets", "--fix", "--unsafe-fixes", str(tour))
    assert tour.read_text() == after
    assert "fixed" not in again.stderr
    assert finding_rules(again.stdout) == finding_rules(result.stdout)
    diff = run("check", "--diff", "--unsafe-fixes", str(tour))
    assert diff.exit_code == 0 and diff.stdout == ""
    assert "nothing to fix" in diff.stderr


def test_diff_prints_the_fixes_and_writes_nothing(tour: Path) -> None:
    before = tour.read_bytes()
    mtime = tour.stat().st_mtime_ns
    result = run("check", "--diff", str(tour))
    assert tour.read_bytes() == before and tour.stat().st_mtime_ns == mtime
    assert result.exit_code == 1
    expected = "".join(
        difflib.unified_diff(
            before.decode().splitlines(keepends=True),
            before.decode()
            .replace("contract: clickstream_evnt", "contract: clickstream_event")
            .replace("- id: AC-5", "- id: AC-4")
            .splitlines(keepends=True),
            fromfile=str(tour),
            tofile=str(tour),
        )
    )
    assert result.stdout == expected
    assert "would fix 2 findings in 1 file" in result.stderr
    clean = run("check", "--diff", str(CLEAN))
    assert clean.exit_code == 0 and clean.stdout == ""


@pytest.mark.parametrize(
    ("name", "rule", "old", "new"),
    [
        ("unknown-key", "DP011", "    partiton_key: user_id", "    partition_key: user_id"),
        ("bad-enum", "DP014", "    kind: streaming", "    kind: stream"),
        ("bad-quantity", "DP015", "    delay: 15 minutes", "    delay: 15m"),
    ],
)
def test_schema_findings_with_one_candidate_are_fixed(
    tmp_path: Path, name: str, rule: str, old: str, new: str
) -> None:
    plan = tmp_path / "dataplan.yaml"
    shutil.copy(INVALID / f"{name}.dataplan.yaml", plan)
    before = plan.read_text()
    assert rule in finding_rules(run("check", "--no-snippets", str(plan)).stdout)
    result = run("check", "--no-snippets", "--fix", str(plan))
    assert changed_lines(before, plan.read_text()) == [(old, new)]
    assert rule not in finding_rules(result.stdout)


def test_quoting_flow_style_crlf_and_bom_survive(tmp_path: Path) -> None:
    text = (INVALID / "bad-enum.dataplan.yaml").read_text()
    text = text.replace("kind: streaming", 'kind: "streaming"  # the source kind')
    text = text.replace("    delivery: at-least-once", '    delivery: "at-least-once"')
    plan = tmp_path / "dataplan.yaml"
    plan.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    run("check", "--fix", str(plan))
    raw = plan.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    fixed = raw[3:].decode()
    # The comment keeps its column, as ruamel.yaml keeps end-of-line comments aligned.
    expected = text.replace('"streaming"  #', '"stream"     #')
    assert fixed == expected.replace("\n", "\r\n")


def test_renaming_a_key_in_a_flow_mapping(tmp_path: Path) -> None:
    text = (INVALID / "unknown-key.dataplan.yaml").read_text()
    text = text.replace("    corrections: {how: none}", "    corrections: {hwo: none}  # none")
    plan = tmp_path / "dataplan.yaml"
    plan.write_text(text)
    result = run("check", "--no-snippets", "--fix", str(plan))
    assert changed_lines(text, plan.read_text()) == [
        ("    corrections: {hwo: none}  # none", "    corrections: {how: none}  # none"),
        ("    partiton_key: user_id", "    partition_key: user_id"),
    ]
    assert "DP011" not in finding_rules(result.stdout)


def test_a_fix_that_does_not_apply_cleanly_leaves_the_file_alone(tmp_path: Path) -> None:
    text = TOUR.read_text()
    good = Fix("rename", (Edit("/sources/0/contract", "clickstream_event"),))
    gone = Fix("gone", (Edit("/sources/9/owner", "x"),))
    outcome = apply(text, [good, gone])
    assert outcome.error is not None and "no longer there" in outcome.error
    assert outcome.text == text and outcome.applied == []
    # Overlapping fixes: the second waits for the next pass.
    other = Fix("other", (Edit("/sources/0/contract", "something_else"),))
    outcome = apply(text, [good, other])
    assert outcome.applied == [good] and outcome.deferred == [other]


def test_placeholder_owner_is_not_fixable_and_rules_say_which_are() -> None:
    explained = run("explain", "DP1201").stdout
    assert "not fixable automatically: it needs a person" in explained
    assert "fixable with `check --fix --unsafe-fixes`" in run("explain", "DP401").stdout
    assert "fixable: `check --fix` repairs its findings" in run("explain", "DP011").stdout
    listing = run("rules").stdout
    assert "  DP011   error   [*] unknown-key" in listing
    assert "  DP401   error   [!] throughput-figure-mismatch" in listing
    assert "  DP1201  error       " in listing


def test_acceptance_renumbering_is_withheld_when_another_field_names_a_moving_id(
    tour: Path,
) -> None:
    text = tour.read_text().replace("AC-1 to AC-4 met.", "AC-1 to AC-5 met.")
    tour.write_text(text)
    result = run("check", "--no-snippets", str(tour))
    assert ": DP1106 warning" in result.stdout  # no [*]: AC-5 is named elsewhere


# --------------------------------------------------------------------------- properties


def _leaves(data: Any, pointer: str = "") -> list[tuple[str, Any]]:
    if isinstance(data, dict):
        return [leaf for k, v in data.items() for leaf in _leaves(v, f"{pointer}/{k}")]
    if isinstance(data, list):
        return [leaf for i, v in enumerate(data) for leaf in _leaves(v, f"{pointer}/{i}")]
    return [(pointer, data)]


def _keys(data: Any, pointer: str = "") -> list[str]:
    out: list[str] = []
    if isinstance(data, dict):
        for k, v in data.items():
            out.append(f"{pointer}/{k}")
            out += _keys(v, f"{pointer}/{k}")
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _keys(v, f"{pointer}/{i}")
    return out


_PLAN_TEXT = TOUR.read_text()
_PLAN = load_text(_PLAN_TEXT, "tour").plan
assert _PLAN is not None
_SCALARS = [  # values written on one line (a multi-line one may become shorter)
    (p, v)
    for p, v in _leaves(_PLAN.data)
    if isinstance(v, str) and _PLAN.values[p].start_line == _PLAN.values[p].end_line
]
_KEYS = [k for k in _keys(_PLAN.data) if "~" not in k]
_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_-0123456789", min_size=1, max_size=12)
_VALUES = st.one_of(_WORDS, st.integers(0, 10**6), st.sampled_from(["15m", "a: b", "#x", "yes"]))


def _set(data: Any, pointer: str, value: Any, rename: str | None) -> None:
    tokens = split(pointer)
    node = data
    for token in tokens[:-1]:
        node = node[int(token)] if isinstance(node, list) else node[token]
    last = tokens[-1]
    if rename is None:
        node[int(last) if isinstance(node, list) else last] = value
        return
    items = list(node.items())
    node.clear()
    node.update({rename if k == last else k: v for k, v in items})


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(_SCALARS), _VALUES),
        min_size=1,
        max_size=4,
        unique_by=lambda e: e[0][0],
    ),
    st.one_of(st.none(), st.tuples(st.sampled_from(_KEYS), _WORDS)),
)
def test_random_edits_change_exactly_what_they_mean(
    sets: list[tuple[tuple[str, Any], Any]], rename: tuple[str, str] | None
) -> None:
    assert _PLAN is not None
    edits = [Edit(pointer, value) for (pointer, _), value in sets]
    expected = copy.deepcopy(_PLAN.data)
    for edit in edits:
        _set(expected, edit.pointer, edit.value, None)
    fixes = [Fix("set", (edit,)) for edit in edits]
    if rename is not None:
        key, new = rename
        parent = split(key)[:-1]
        siblings = _PLAN.data
        for token in parent:
            siblings = siblings[int(token)] if isinstance(siblings, list) else siblings[token]
        touches = any(e.pointer.startswith(key.rsplit("/", 1)[0]) for e in edits)
        if new not in siblings and not touches:
            fixes.append(Fix("rename", (Edit(key, rename=new),)))
            _set(expected, key, None, new)
    outcome = apply(_PLAN_TEXT, fixes)
    assert outcome.error is None, outcome.error
    reloaded = load_text(outcome.text, "fixed").plan
    assert reloaded is not None and reloaded.data == expected
    # Only the lines of the edited values (or the renamed key) changed.
    allowed = {_PLAN.values[e.pointer].start_line for e in edits}
    if len(fixes) > len(edits):
        allowed.add(_PLAN.keys[fixes[-1].edits[0].pointer].start_line)
    old, new = _PLAN_TEXT.splitlines(), outcome.text.splitlines()
    assert len(old) == len(new)
    assert {n for n, (a, b) in enumerate(zip(old, new, strict=True), 1) if a != b} <= allowed


@given(
    st.sampled_from(KINDS),
    st.one_of(
        st.text(max_size=30),
        st.builds(
            "{} {}".format,
            st.sampled_from(["15", "2.5", "500", "1"]),
            st.sampled_from(["minutes", "Hours", "megabytes", "events per second", "percent"]),
        ),
    ),
)
def test_suggestions_parse_and_keep_the_number(kind: str, text: str) -> None:
    written = suggest(kind, text)
    if written is not None:
        assert is_valid(kind, written)
        number = re.match(r"\d+(?:\.\d+)?", written)
        assert number is not None and number.group() in text
