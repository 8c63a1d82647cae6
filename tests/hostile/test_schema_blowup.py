"""Schema files that grow exponentially when walked path by path.

A few hundred bytes can describe a type whose expansion has millions of paths: a JSON
Schema whose `$defs` each reference the previous one twice, a `.proto` whose messages
each hold two of the message before, an Avro record that reuses a named record twice per
level. The readers read each named type once and the differ compares each pair of named
types once, so these take well under a second; a contract still reports a bounded
number of findings (the last one says how many more there are).

Every case runs `check --base` in a child process with a wall-clock timeout and an
address-space limit (bounded.py), in a real git repository
whose branch changes the innermost type.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from bounded import run_cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "examples" / "clickstream-sessions" / "dataplan.yaml").read_text(encoding="utf-8")
LEVELS = 24  # 2**24 paths to the innermost field


def json_bomb(leaf: str, levels: int = LEVELS) -> str:
    defs: dict[str, object] = {"L0": {"type": "object", "properties": {"v": {"type": leaf}}}}
    for level in range(1, levels + 1):
        below = {"$ref": f"#/$defs/L{level - 1}"}
        defs[f"L{level}"] = {"type": "object", "properties": {"a": below, "b": below}}
    return json.dumps({"$ref": f"#/$defs/L{levels}", "$defs": defs})


def proto_bomb(leaf: str, levels: int = LEVELS) -> str:
    lines = ['syntax = "proto3";', "package bomb;"]
    for level in range(levels, 0, -1):
        lines.append(f"message M{level} {{ M{level - 1} a = 1; M{level - 1} b = 2; }}")
    lines.append(f"message M0 {{ {leaf} v = 1; }}")
    return "\n".join(lines) + "\n"


def avro_bomb(leaf: str, levels: int = LEVELS) -> str:
    record: object = {"type": "record", "name": "R0", "fields": [{"name": "v", "type": leaf}]}
    for level in range(1, levels + 1):
        record = {
            "type": "record",
            "name": f"R{level}",
            "fields": [{"name": "a", "type": record}, {"name": "b", "type": f"R{level - 1}"}],
        }
    return json.dumps(record)


def avro_wide(leaf: str, count: int = 300) -> str:
    """Many fields changing at once: the findings are bounded, not the changes."""
    fields = [{"name": f"f{i}", "type": leaf} for i in range(count)]
    return json.dumps({"type": "record", "name": "Wide", "fields": fields})


def json_recursive(leaf: str) -> str:
    node = {
        "type": "object",
        "properties": {
            "value": {"type": leaf},
            "children": {"type": "array", "items": {"$ref": "#"}},
        },
    }
    return json.dumps(node)


def proto_recursive(leaf: str) -> str:
    return f'syntax = "proto3";\nmessage Tree {{ {leaf} value = 1; repeated Tree children = 2; }}\n'


def avro_recursive(leaf: str) -> str:
    return json.dumps(
        {
            "type": "record",
            "name": "Tree",
            "fields": [
                {"name": "value", "type": leaf},
                {"name": "children", "type": {"type": "array", "items": "Tree"}},
            ],
        }
    )


CONTRACT = """\
  - name: bomb
    kind: event
    owner: team-web-collector
    consumers: [team-data-platform]
    format: {fmt}
    compatibility: FULL
    version: 1.0.0
    versioning: semver
    schema_file: schemas/{file}
    deprecation_window: 30d
    migration: [Upgrade readers first.]
"""


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def _repo(tmp_path: Path, fmt: str, file: str, old: str, new: str) -> Path:
    root = tmp_path / "repo"
    (root / "schemas").mkdir(parents=True)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "user.email", "tests@example.com")
    _git(root, "config", "user.name", "tests")
    plan = EXAMPLE.replace("contracts:\n", "contracts:\n" + CONTRACT.format(fmt=fmt, file=file), 1)
    (root / "dataplan.yaml").write_text(plan, encoding="utf-8")
    (root / "schemas" / file).write_text(old, encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    _git(root, "checkout", "-q", "-b", "feature")
    (root / "schemas" / file).write_text(new, encoding="utf-8")
    return root


def _check(root: Path) -> tuple[int, list[dict[str, object]], str]:
    args = ["check", "--base", "main", "--select", "compatibility", "--format", "json"]
    outcome = run_cli([*args, "dataplan.yaml"], root)
    return outcome.code, outcome.findings(), outcome.stderr


Maker = Callable[[str], str]
CASES: list[tuple[str, str, str, Maker, str, str]] = [
    ("json-defs-doubling", "json-schema", "bomb.schema.json", json_bomb, "string", "integer"),
    ("proto-messages-doubling", "protobuf", "bomb.proto", proto_bomb, "string", "double"),
    ("avro-named-record-reused", "avro", "bomb.avsc", avro_bomb, '"string"', '"boolean"'),
    ("json-recursive-ref", "json-schema", "tree.schema.json", json_recursive, "string", "integer"),
    ("proto-recursive-message", "protobuf", "tree.proto", proto_recursive, "string", "double"),
    ("avro-recursive-record", "avro", "tree.avsc", avro_recursive, '"string"', '"boolean"'),
]


@pytest.mark.parametrize(
    ("fmt", "file", "make", "old_leaf", "new_leaf"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_exponential_schema_is_judged_once_per_named_type(
    tmp_path: Path, fmt: str, file: str, make: Maker, old_leaf: str, new_leaf: str
) -> None:
    leaf = {"avro": json.loads}.get(fmt, str)
    root = _repo(tmp_path, fmt, file, make(leaf(old_leaf)), make(leaf(new_leaf)))
    code, findings, stderr = _check(root)
    assert code == 1, stderr
    breaking = [f for f in findings if f["rule_id"] == "DP730"]
    # One innermost type changed: one finding, at the first path that reaches it.
    assert len(breaking) == 1, breaking
    message = str(breaking[0]["message"])
    assert "breaks FULL compatibility" in message
    assert "schemas/" + file in message


def test_findings_per_contract_are_bounded_with_a_count_of_the_rest(tmp_path: Path) -> None:
    root = _repo(tmp_path, "avro", "wide.avsc", avro_wide("string"), avro_wide("boolean"))
    code, findings, stderr = _check(root)
    assert code == 1, stderr
    breaking = [f for f in findings if f["rule_id"] == "DP730"]
    assert len(breaking) == 20
    summaries = [f for f in breaking if "more incompatible" in str(f["message"])]
    assert len(summaries) == 1
    assert "(and 280 more incompatible changes, not listed)" in str(summaries[0]["message"])


def proto_deep(leaf: str, levels: int = 30) -> str:
    """Thirty distinct messages nested one in the next, each with a oneof: no sharing, but
    as deep as real telemetry schemas get (and deeper)."""
    lines = ['syntax = "proto3";', "package deep;"]
    for level in range(levels, 0, -1):
        lines.append(
            f"message D{level} {{ string name = 1; D{level - 1} inner = 2; "
            f"oneof pick {{ int64 count = 3; double ratio = 4; }} }}"
        )
    lines.append(f"message D0 {{ {leaf} v = 1; }}")
    return "\n".join(lines) + "\n"


def odcs_deep(levels: int = 30) -> str:
    """An ODCS contract whose one column nests thirty objects deep."""
    lines = ["apiVersion: v3.0.2", "kind: DataContract", "id: deep", 'version: "1"']
    lines += ["status: active", "schema:", "  - name: deep", "    properties:"]
    indent = "      "
    for level in range(levels):
        lines += [f"{indent}- name: level{level}", f"{indent}  logicalType: object"]
        lines.append(f"{indent}  properties:")
        indent += "    "
    lines += [f"{indent}- name: leaf", f"{indent}  logicalType: string"]
    return "\n".join(lines) + "\n"


EXPORT_CASES = [
    *[
        (case[0], case[1], case[2], case[3](json.loads(case[4]) if case[1] == "avro" else case[4]))
        for case in CASES
    ],
    ("proto-deep-nesting", "protobuf", "deep.proto", proto_deep("string")),
    ("odcs-deep-nesting", "odcs", "deep.odcs.yaml", odcs_deep()),
]
# The doubling cases expand to 2**24 columns: refused by name; the others are written.
EXPANDS_TOO_FAR = {"json-defs-doubling", "proto-messages-doubling", "avro-named-record-reused"}


@pytest.mark.parametrize(
    ("case", "fmt", "file", "text"), EXPORT_CASES, ids=[case[0] for case in EXPORT_CASES]
)
def test_export_odcs_is_bounded_on_every_schema_check_reads(
    tmp_path: Path, case: str, fmt: str, file: str, text: str
) -> None:
    """`export odcs` ends (in a child with a timeout) on every file `check` accepts."""
    root = _repo(tmp_path, fmt, file, text, text)
    code, findings, stderr = _check(root)
    assert code == 0, (findings, stderr)
    outcome = run_cli(["export", "odcs", "dataplan.yaml", "--output-dir", "out"], root)
    if case in EXPANDS_TOO_FAR:
        assert outcome.code == 2, outcome
        assert "not exported: bomb: its fields expand to " in outcome.stderr, outcome.stderr
        assert "nested properties, more than the 20,000 an export writes" in outcome.stderr
        assert not (root / "out" / "bomb.odcs.yaml").exists()
    else:
        assert outcome.code == 0, outcome
        assert (root / "out" / "bomb.odcs.yaml").is_file()
