"""The schema registries' rules this tool follows where they decide a case, each on
schemas of our own: the verdict under every mode, and the rule named in the finding."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .corpus_cases import run_case

MODES = ("BACKWARD", "FORWARD", "FULL")


def _proto(body: str, package: str = "wild.v1") -> str:
    return f'syntax = "proto3";\npackage {package};\nmessage Parcel {{\n{body}\n}}\n'


def _verdicts(fmt: str, old: Any, new: Any, tmp_path: Path) -> dict[str, tuple[str, list[str]]]:
    out = {}
    for mode in MODES:
        case = {"id": mode, "format": fmt, "mode": mode, "old": [old], "new": new}
        out[mode] = run_case(case, tmp_path / mode)
    return out


def _obj(**keys: Any) -> dict[str, Any]:
    return {"type": "object", **keys}


STRING = {"type": "string"}

# (id, format, old, new, incompatible under, text every breaking change names)
CASES: list[tuple[str, str, Any, Any, set[str], str]] = [
    (
        "protobuf-field-renumbered",
        "protobuf",
        _proto("  string label = 1;\n  int64 weight_g = 2;"),
        _proto("  string label = 1;\n  int64 weight_g = 5;"),
        {"BACKWARD", "FORWARD", "FULL"},
        "checkNoChangingFieldIDs",
    ),
    (
        "protobuf-package-renamed",
        "protobuf",
        _proto("  string label = 1;"),
        _proto("  string label = 1;", package="wild.v2"),
        {"BACKWARD", "FORWARD", "FULL"},
        "Confluent PACKAGE_CHANGED",
    ),
    (
        "protobuf-oneof-renamed",
        "protobuf",
        _proto("  oneof carrier { string van = 1; string bike = 2; }"),
        _proto("  oneof courier { string van = 1; string bike = 2; }"),
        set(),
        "",
    ),
    (
        "protobuf-field-out-of-oneof",
        "protobuf",
        _proto("  string label = 3;\n  oneof carrier { string van = 1; string bike = 2; }"),
        _proto("  string label = 3;\n  string van = 1;\n  oneof carrier { string bike = 2; }"),
        set(),
        "",
    ),
    (
        "protobuf-field-into-existing-oneof",
        "protobuf",
        _proto("  string label = 3;\n  oneof carrier { string van = 1; string bike = 2; }"),
        _proto("  oneof carrier { string van = 1; string bike = 2; string label = 3; }"),
        {"BACKWARD", "FORWARD", "FULL"},
        "Confluent FIELD_MOVED_TO_EXISTING_ONEOF",
    ),
    (
        "protobuf-member-dropped-from-renamed-oneof",
        "protobuf",
        _proto("  oneof carrier { string van = 1; string bike = 2; }"),
        _proto("  oneof courier { string van = 1; }"),
        {"BACKWARD", "FULL"},
        "Confluent ONEOF_FIELD_REMOVED",
    ),
    (
        "json-required-name-dropped",
        "json-schema",
        _obj(required=["parcel_id", "label"]),
        _obj(required=["parcel_id"]),
        {"FORWARD", "FULL"},
        "old readers still need it",
    ),
    (
        "json-removed-property-not-covered",
        "json-schema",
        _obj(properties={"parcel_id": STRING, "label": STRING}, additionalProperties=False),
        _obj(
            properties={"parcel_id": STRING},
            additionalProperties={"type": "string", "maxLength": 8},
        ),
        {"BACKWARD", "FORWARD", "FULL"},  # FORWARD: old readers reject extra properties
        "",
    ),
    (
        "json-removed-property-covered",
        "json-schema",
        _obj(properties={"parcel_id": STRING, "label": STRING}, additionalProperties=False),
        _obj(properties={"parcel_id": STRING}, additionalProperties=STRING),
        {"FORWARD", "FULL"},  # closed -> partially open: old readers reject extra properties
        "",
    ),
]


@pytest.mark.parametrize(
    ("fmt", "old", "new", "breaks", "named"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_registry_rule(
    tmp_path: Path, fmt: str, old: Any, new: Any, breaks: set[str], named: str
) -> None:
    if fmt == "json-schema":
        old, new = json.loads(json.dumps(old)), json.loads(json.dumps(new))
    got = _verdicts(fmt, old, new, tmp_path)
    assert {mode for mode, (verdict, _) in got.items() if verdict == "incompatible"} == breaks
    for mode in breaks:
        reasons = _reasons(fmt, old, new, mode, tmp_path)
        assert reasons, got
        assert all(named in reason for reason in reasons), reasons


def test_a_removed_property_the_partial_model_does_not_admit_names_the_rule(
    tmp_path: Path,
) -> None:
    old = _obj(properties={"parcel_id": STRING, "label": STRING}, additionalProperties=False)
    new = _obj(
        properties={"parcel_id": STRING}, additionalProperties={"type": "string", "maxLength": 8}
    )
    (reason,) = [r for r in _reasons("json-schema", old, new, "BACKWARD", tmp_path) if r]
    assert "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL" in reason


def _reasons(fmt: str, old: Any, new: Any, mode: str, tmp_path: Path) -> list[str]:
    """The reasons of the step's findings (what the message says after "because")."""
    from dataplan_lint.compat.analysis import HISTORY, Analysis
    from dataplan_lint.core.settings import Settings
    from dataplan_lint.files.loader import load_text

    from .corpus_cases import write_case

    case = {"id": "r", "format": fmt, "mode": mode, "old": [old], "new": new}
    plan = write_case(case, tmp_path / f"reasons-{mode}")
    loaded = load_text(plan.read_text(encoding="utf-8"), str(plan))
    assert loaded.plan is not None
    issues = Analysis(loaded.plan, Settings()).run()
    return [str(i.values["reason"]) for i in issues if i.check == HISTORY]
