"""references/consistency.md places every schema property: its counterparts, the relation
and the rule that checks it, or why none is needed. A new field cannot arrive unweighed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from dataplan_lint.core.pointers import split
from dataplan_lint.engine import catalog
from dataplan_lint.schema.bundle import bundled_schema

MATRIX = Path(__file__).resolve().parent.parent / "references" / "consistency.md"
ROW = re.compile(
    r"^\|\s*`(?P<path>/[^`]*)`\s*\|(?P<against>[^|]*)\|(?P<relation>[^|]*)\|(?P<rules>[^|]*)\|\s*$"
)
RULE_ID = re.compile(r"^[A-Z]+\d+$")
COMBINATORS = ("allOf", "anyOf", "oneOf")
CONDITIONALS = ("if", "then", "else")


def _target(root: dict[str, Any], ref: str) -> Any:
    node: Any = root
    for token in split(ref[1:]):
        node = node[token]
    return node


def schema_properties() -> set[str]:
    """Every property path of the bundled schema; `*` for list items and map values.

    `$ref`s are followed once per path, so recursive shapes (nested contract fields)
    end where they repeat.
    """
    root = bundled_schema()
    found: set[str] = set()

    def walk(node: Any, path: str, refs: frozenset[str]) -> None:
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#") and ref not in refs:
            walk(_target(root, ref), path, refs | {ref})
        for key in COMBINATORS:
            for sub in node.get(key) or []:
                walk(sub, path, refs)
        for key in CONDITIONALS:
            walk(node.get(key), path, refs)
        for name, sub in (node.get("properties") or {}).items():
            found.add(f"{path}/{name}")
            walk(sub, f"{path}/{name}", refs)
        for sub in (node.get("patternProperties") or {}).values():
            found.add(f"{path}/*")
            walk(sub, f"{path}/*", refs)
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):
            found.add(f"{path}/*")
            walk(extra, f"{path}/*", refs)
        walk(node.get("items"), f"{path}/*", refs)

    walk(root, "", frozenset())
    return found


def matrix_rows() -> dict[str, tuple[str, str, list[str]]]:
    """path -> (weighed against, relation, rule ids or [] for `-`)."""
    rows: dict[str, tuple[str, str, list[str]]] = {}
    for line in MATRIX.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match is None:
            continue
        path = match["path"]
        assert path not in rows, f"{path} has two rows"
        cell = match["rules"].strip()
        rules = [] if cell == "-" else [part.strip() for part in cell.split(",")]
        rows[path] = (match["against"].strip(), match["relation"].strip(), rules)
    return rows


def _covered(path: str, rows: dict[str, Any]) -> bool:
    if path in rows:
        return True
    return any(
        row.endswith("/**") and (path == row[:-3] or path.startswith(row[:-2])) for row in rows
    )


def test_every_schema_property_has_a_row() -> None:
    rows = matrix_rows()
    missing = sorted(p for p in schema_properties() if not _covered(p, rows))
    assert not missing, "add these properties to references/consistency.md:\n" + "\n".join(missing)


def test_every_row_names_a_schema_property() -> None:
    properties = schema_properties()
    stale = [
        path
        for path in matrix_rows()
        if (path[:-3] if path.endswith("/**") else path) not in properties
    ]
    assert not stale, f"rows for properties the schema does not have: {stale}"


def test_every_rule_named_exists_and_no_row_is_left_todo() -> None:
    known = {rule.id for rule in catalog.all_rules()}
    problems = []
    for path, (_, relation, rules) in matrix_rows().items():
        for rule in rules:
            if not RULE_ID.match(rule) or rule not in known:
                problems.append(f"{path}: {rule!r} is not a rule id")
        if not rules and not relation:
            problems.append(f"{path}: no rule, and no reason why none is needed")
    assert not problems, "\n".join(problems)


def test_the_walk_sees_nested_and_open_properties() -> None:
    properties = schema_properties()
    assert "/event_semantics/lateness/p99" in properties
    assert "/metadata/labels/*" in properties
    assert "/contracts/*/fields/*/fields" in properties
    assert len(properties) > 400
