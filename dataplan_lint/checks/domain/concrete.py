"""Gate 12: fields that need a concrete answer hold one, not a placeholder.

The schema marks every such property with `x-concrete: <what to write instead>`: owners,
runbooks, rollback steps, where the freshness SLO is measured, risk actions, ... One
check reads those marks, so a new field that needs a real answer is a schema edit, not a
new rule. A placeholder is a whole value such as `TBD`, `?`, `unknown`, `n/a`, `xxx`,
`-`, `<owner>`, or text carrying a TBD/TODO/FIXME marker. Unknowns are allowed only as
explicit assumptions with an owner (`assumptions`), never as filler in a field.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from dataplan_lint.checks.domain import Issue
from dataplan_lint.core import regexes
from dataplan_lint.core.pointers import join, split
from dataplan_lint.engine.matching import match_all

KEYWORD = "x-concrete"
MAX_DEPTH = 24

PLACEHOLDER_WORDS = frozenset(
    {
        "tbd",
        "tba",
        "tbc",
        "todo",
        "fixme",
        "xxx",
        "unknown",
        "unassigned",
        "none",
        "nobody",
        "n/a",
        "na",
        "nil",
        "null",
        "owner",
        "someone",
        "team",
        "team-tbd",
        "team-todo",
        "placeholder",
        "later",
        "-",
        "?",
    }
)
_WHOLE = regexes.PLACEHOLDER_WHOLE.compile()
_MARKER = regexes.PLACEHOLDER_MARKER.compile()


def placeholder(text: str) -> str | None:
    """The placeholder `text` is or carries (`TBD`, `?`, `TODO: ...`), or None."""
    word = text.strip()
    lowered = word.lower().rstrip(".!")
    if not word or lowered in PLACEHOLDER_WORDS or _WHOLE.match(word):
        return word
    marker = _MARKER.search(word)
    return marker.group(0) if marker else None


def fields_from_schema(root: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """(pointer pattern, fix) for every property marked `x-concrete`, in schema order.

    Patterns use `*` for list items and free mapping keys, like rule `given`s. Recursive
    definitions (nested contract fields) are followed once per path.
    """
    out: list[tuple[str, str]] = []

    def resolve(node: Any) -> Any:
        seen = 0
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and seen < 8:
            target: Any = root
            for token in split(node["$ref"].partition("#")[2]):
                target = target.get(token) if isinstance(target, Mapping) else None
            if not isinstance(target, Mapping):
                return node
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
            seen += 1
        return node

    def walk(node: Any, pattern: str, refs: tuple[str, ...]) -> None:
        if not isinstance(node, Mapping) or len(refs) > MAX_DEPTH:
            return
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in refs:
                return
            refs = (*refs, ref)
        node = resolve(node)
        fix = node.get(KEYWORD)
        if isinstance(fix, str) and pattern:
            out.append((pattern, fix))
        properties = node.get("properties")
        if isinstance(properties, Mapping):
            for key, child in properties.items():
                walk(child, join(pattern, key), refs)
        items = node.get("items")
        if isinstance(items, Mapping):
            walk(items, f"{pattern}/*", refs)
        extra = node.get("additionalProperties")
        if isinstance(extra, Mapping):
            walk(extra, f"{pattern}/*", refs)

    walk(root, "", ())
    return tuple(out)


@cache
def concrete_fields() -> tuple[tuple[str, str], ...]:
    """The marked fields of the bundled schema (precomputed with the fast validator)."""
    from dataplan_lint.schema._generated import plan_validator
    from dataplan_lint.schema.bundle import source_digest

    if source_digest() == plan_validator.SOURCE_DIGEST:
        return tuple(plan_validator.CONCRETE_FIELDS)
    from dataplan_lint.schema.bundle import bundled_schema

    return fields_from_schema(bundled_schema())


def placeholder_values(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """Every marked field (or item of a marked list) that holds a placeholder."""
    fields = options.get("fields")
    marked = fields if isinstance(fields, tuple) else concrete_fields()
    found: list[tuple[str, str, str]] = []
    matched = match_all(data, tuple(pattern for pattern, _ in marked))  # one walk
    for pattern, fix in marked:
        for pointer, value in matched[pattern]:
            texts = [(pointer, value)] if isinstance(value, str) else []
            if isinstance(value, list):
                texts = [(join(pointer, i), v) for i, v in enumerate(value) if isinstance(v, str)]
            for where, text in texts:
                match = placeholder(text)
                if match is not None:
                    found.append((where, match, fix))
    seen: set[str] = set()
    for where, match, fix in found:
        if where not in seen:
            seen.add(where)
            yield Issue(where, {"match": match, "fix": fix})
