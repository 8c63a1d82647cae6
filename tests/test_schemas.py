"""Checks on the v1 plan-format JSON Schemas and on the example plans."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from ruamel.yaml import YAML

from dataplan_lint.schema.bundle import schema_files

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
EXAMPLES = ROOT / "examples"
INVALID = EXAMPLES / "invalid"
ID_PREFIX = "https://dataplan-lint.dev/schemas/v1/"
TOP_ID = ID_PREFIX + "dataplan.schema.json"

SCHEMA_FILES = schema_files(SCHEMAS)  # the plan schema (the tool's own: test_input_schemas)
GOOD_EXAMPLES = sorted(p for p in EXAMPLES.glob("*/dataplan.yaml") if p.parent != INVALID)
GATE_SECTIONS = (
    "context",
    "sources",
    "event_semantics",
    "capacity",
    "ingestion",
    "modeling",
    "contracts",
    "quality",
    "operations",
    "backfill",
    "validation",
)
SCHEMA_CLASSES = (
    "unknown-key",
    "missing-required",
    "wrong-type",
    "bad-enum",
    "bad-quantity",
    "bad-pattern",
)
LOADER_CLASSES = (
    "yaml-syntax",
    "duplicate-key",
    "tab-indent",
    "not-a-mapping",
    "multi-document",
    "empty-file",
    "non-utf8",
)
EXPECT = re.compile(r"^# expect: (?P<cls>[a-z0-9-]+) (?P<line>\d+):(?P<col>\d+)\s*$")

# A deliberately simple reading of the quantity grammar; the package's quantity parser
# is the authority, these only need to accept the examples and reject the bad ones.
_NUM = r"[0-9]+(?:\.[0-9]+)?"
_COUNT = _NUM + r"[kKMB]?"
_SIZE = _NUM + r"(?:B|KB|MB|GB|TB|PB|KiB|MiB|GiB|TiB|PiB)"
_PER = r"/(?:s|min|h|day)"
QUANTITY_FORMATS = {
    "dp-duration": re.compile(_NUM + r"(?:ms|s|m|h|d|w)"),
    "dp-size": re.compile(_SIZE),
    "dp-count": re.compile(_COUNT),
    "dp-event-rate": re.compile(_COUNT + _PER),
    "dp-byte-rate": re.compile(_SIZE + _PER),
    "dp-percent": re.compile(_NUM + "%"),
}


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    for name, pattern in QUANTITY_FORMATS.items():

        def check(instance: object, pattern: re.Pattern[str] = pattern) -> bool:
            if not isinstance(instance, str):
                return True
            return pattern.fullmatch(instance) is not None

        checker.checks(name)(check)
    return checker


def _load_schemas() -> dict[Path, dict[str, Any]]:
    return {path: json.loads(path.read_text(encoding="utf-8")) for path in SCHEMA_FILES}


def _registry() -> Registry:
    resources = [
        (schema["$id"], Resource.from_contents(schema, default_specification=DRAFT202012))
        for schema in _load_schemas().values()
    ]
    return Registry().with_resources(resources)


def _validator() -> Draft202012Validator:
    registry = _registry()
    top = registry.contents(TOP_ID)
    return Draft202012Validator(top, registry=registry, format_checker=_format_checker())


def _load_yaml(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def _subschemas(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object below `node`, with a JSON-pointer-like location."""
    if not isinstance(node, dict):
        return
    yield where, node
    for key in ("properties", "$defs"):
        for name, child in node.get(key, {}).items():
            yield from _subschemas(child, f"{where}/{key}/{name}")
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            yield from _subschemas(node[key], f"{where}/{key}")
    for key in ("oneOf", "anyOf", "allOf"):
        for index, child in enumerate(node.get(key, [])):
            yield from _subschemas(child, f"{where}/{key}/{index}")


def _expectation(path: Path) -> tuple[str, int, int]:
    sidecar = path.with_name(path.name + ".expect")
    source = sidecar if sidecar.exists() else path
    first = source.read_bytes().split(b"\n", 1)[0].decode("ascii")
    match = EXPECT.match(first)
    assert match, f"{source.name}: first line must be '# expect: <class> <line>:<col>'"
    return match["cls"], int(match["line"]), int(match["col"])


def test_all_schema_files_present() -> None:
    names = {path.name for path in SCHEMA_FILES}
    expected = {f"{name}.schema.json" for name in (*GATE_SECTIONS, "bundle", "common", "dataplan")}
    assert names == expected


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_is_valid_draft_2020_12(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_id_matches_file_name(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$id"] == ID_PREFIX + path.name


def test_schema_ids_are_unique() -> None:
    ids = [schema["$id"] for schema in _load_schemas().values()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_every_property_and_definition_is_described(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    missing = []
    for where, node in _subschemas(schema, "#"):
        for key in ("properties", "$defs"):
            for name, child in node.get(key, {}).items():
                if "description" not in child:
                    missing.append(f"{where}/{key}/{name}")
    assert not missing, f"no description: {missing}"


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_every_object_with_properties_sets_additional_properties(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    open_objects = [
        where
        for where, node in _subschemas(schema, "#")
        if "properties" in node and "additionalProperties" not in node
    ]
    assert not open_objects, f"additionalProperties not set: {open_objects}"


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_refs_point_at_known_documents_and_defs(path: Path) -> None:
    schemas = {schema["$id"]: schema for schema in _load_schemas().values()}
    schema = schemas[ID_PREFIX + path.name]
    text = path.read_text(encoding="utf-8")
    for target in re.findall(r'"\$ref": "([^"]+)"', text):
        base, _, fragment = target.partition("#")
        document = schemas[base] if base else schema
        assert base == "" or base.startswith(ID_PREFIX), target
        if fragment:
            assert fragment.startswith("/$defs/"), f"{target}: only refs into $defs"
            assert fragment.removeprefix("/$defs/") in document.get("$defs", {}), target


def test_top_level_references_every_gate() -> None:
    top = json.loads((SCHEMAS / "dataplan.schema.json").read_text(encoding="utf-8"))
    for section in GATE_SECTIONS:
        assert top["properties"][section]["$ref"] == f"{ID_PREFIX}{section}.schema.json"


def test_there_are_good_examples() -> None:
    assert {p.parent.name for p in GOOD_EXAMPLES} >= {"clickstream-sessions", "orders-cdc"}


@pytest.mark.parametrize("path", GOOD_EXAMPLES, ids=lambda p: p.parent.name)
def test_good_example_validates(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../schemas/editor/dataplan.schema.json"
    errors = sorted(_validator().iter_errors(_load_yaml(path)), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


@pytest.mark.parametrize("cls", SCHEMA_CLASSES)
def test_invalid_example_fails_schema(cls: str) -> None:
    path = INVALID / f"{cls}.dataplan.yaml"
    found, line, col = _expectation(path)
    assert found == cls
    assert line >= 1 and col >= 1
    errors = list(_validator().iter_errors(_load_yaml(path)))
    assert errors, f"{path.name} unexpectedly validates"


KEYWORD_CLASS = {
    "additionalProperties": "unknown-key",
    "required": "missing-required",
    "type": "wrong-type",
    "enum": "bad-enum",
    "const": "bad-enum",
    "format": "bad-quantity",
    "pattern": "bad-pattern",
}


def _position(document: Any, error: ValidationError) -> tuple[int, int]:
    """1-based line/column an error should point at, by the conventions of examples/invalid."""
    steps = list(error.absolute_path)
    if error.validator == "required" and not steps:
        return 1, 1
    parent, last, node = None, None, document
    for step in steps:
        parent, last, node = node, step, node[step]
    if error.validator == "additionalProperties":
        known = error.schema.get("properties", {})
        unknown = next(key for key in node if key not in known)
        line, col = node.lc.key(unknown)
    elif isinstance(last, int):
        line, col = parent.lc.item(last)
    elif error.validator == "required":
        line, col = parent.lc.key(last)
    else:
        line, col = parent.lc.value(last)
    return line + 1, col + 1


@pytest.mark.parametrize("cls", SCHEMA_CLASSES)
def test_invalid_example_points_at_the_problem(cls: str) -> None:
    path = INVALID / f"{cls}.dataplan.yaml"
    _, line, col = _expectation(path)
    plain = _load_yaml(path)
    (error,) = list(_validator().iter_errors(plain))
    assert KEYWORD_CLASS[error.validator] == cls
    positioned = YAML(typ="rt").load(path.read_text(encoding="utf-8"))
    assert _position(positioned, error) == (line, col)


@pytest.mark.parametrize("cls", LOADER_CLASSES)
def test_loader_examples_have_expectations(cls: str) -> None:
    path = INVALID / f"{cls}.dataplan.yaml"
    assert path.exists()
    found, _, _ = _expectation(path)
    assert found == cls
