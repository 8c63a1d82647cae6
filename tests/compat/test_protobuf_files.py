"""Protobuf files as real repositories hold them: comments anywhere protoc allows them,
files in an edition, and message types imported from other files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dataplan_lint.compat.protobuf import read_proto
from dataplan_lint.compat.sources import SchemaFileError

from .plans import Repo, check, json_findings, line_of, plan_with_contract, write_plan

OPTIONS_WITH_COMMENTS = """\
syntax = "proto2";
package wild.v1;

// A message whose field options carry comments, as protoc allows.
message Reading {
  optional string unit = 1 [/*deprecated = true,*/ default = "kg"];
  optional int32 count = 2 /* before the options */ [ /* inside */ deprecated = true ];
  // optional int64 commented_out = 3;
  optional string path = 4 [default = "a//b/*c*/"];  /* after */
}
"""


def test_block_comments_inside_field_options_are_read() -> None:
    schema = read_proto(OPTIONS_WITH_COMMENTS, "reading.proto")
    assert [(f.name, f.number) for f in schema.fields] == [("unit", 1), ("count", 2), ("path", 4)]
    # Lines are the file's own; a commented-out field never lends its line to another.
    assert [f.origin.span.start_line for f in schema.fields if f.origin and f.origin.span] == [
        6,
        7,
        9,
    ]


def test_an_unclosed_block_comment_is_a_located_error() -> None:
    with pytest.raises(SchemaFileError) as caught:
        read_proto('syntax = "proto3";\nmessage A {\n  int32 x = 1; /* open\n}\n', "a.proto")
    assert caught.value.message == "invalid protobuf: a `/*` comment is never closed"
    assert (caught.value.line, caught.value.col) == (3, 16)


def _plan(repo: Repo, schema_file: str, message: str, **extra: Any) -> str:
    plan = plan_with_contract(
        name="readings", format="protobuf", schema_file=schema_file, message=message, **extra
    )
    return write_plan(repo.root / "dataplan.yaml", plan)


def test_a_file_in_an_edition_gets_a_plain_finding(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write(
        "proto/reading.proto",
        '// Written for editions.\nedition = "2023";\npackage wild.v1;\n'
        "message Reading {\n  string unit = 1 [features.field_presence = IMPLICIT];\n}\n",
    )
    text = _plan(repo, "proto/reading.proto", "wild.v1.Reading")
    result = check(repo.root, "dataplan.yaml")
    assert result.exit_code == 1
    (finding,) = result.findings()
    assert finding["rule"] == "DP741"
    assert (finding["line"], finding["col"]) == (line_of(text, "schema_file: proto/"), 16)
    assert "protobuf editions are not supported" in finding["message"]
    assert '(the file declares `edition = "2023"`)' in finding["message"]
    assert "(line 2, column 1)" in finding["message"]
    assert "invalid protobuf" not in finding["message"]


def test_comments_in_options_pass_check(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write("proto/reading.proto", OPTIONS_WITH_COMMENTS)
    _plan(repo, "proto/reading.proto", "wild.v1.Reading")
    result = check(repo.root, "dataplan.yaml")
    assert result.findings() == [], result.output
    assert result.exit_code == 0


# -- imports -----------------------------------------------------------------------------

COMMON = """\
syntax = "proto3";
package wild.common.v1;

message KeyValue {
  string key = 1;
  string value = 2;
}
"""

METRICS = """\
syntax = "proto3";
package wild.metrics.v1;

import "wild/common/v1/common.proto";
import "google/protobuf/timestamp.proto";
import "google/protobuf/wrappers.proto";

message Sample {
  repeated wild.common.v1.KeyValue attributes = 1;
  google.protobuf.Timestamp observed_at = 2;
  google.protobuf.FloatValue reading = 3;
}
"""


def _metrics_repo(tmp_path: Path, **extra: Any) -> tuple[Repo, str]:
    repo = Repo(tmp_path / "repo")
    repo.write("proto/wild/common/v1/common.proto", COMMON)
    repo.write("proto/wild/metrics/v1/metrics.proto", METRICS)
    text = _plan(repo, "proto/wild/metrics/v1/metrics.proto", "wild.metrics.v1.Sample", **extra)
    return repo, text


def test_imported_and_well_known_messages_are_read() -> None:
    from dataplan_lint.compat.references import Fetch

    files = {"proto/wild/common/v1/common.proto": COMMON}

    def read(rel: str) -> str:
        if rel not in files:
            raise SchemaFileError(f"`{rel}` does not exist")
        return files[rel]

    schema = read_proto(
        METRICS, "proto/wild/metrics/v1/metrics.proto", None, Fetch(read, 1_000_000)
    )
    by_name = {f.name: f.type for f in schema.fields}
    attributes = by_name["attributes"].items
    assert attributes is not None
    assert [(f.name, f.type.kind) for f in attributes.fields] == [
        ("key", "string"),
        ("value", "string"),
    ]
    assert attributes.fields[0].origin is not None
    assert attributes.fields[0].origin.path == "proto/wild/common/v1/common.proto"
    assert [(f.name, f.type.kind) for f in by_name["observed_at"].fields] == [
        ("seconds", "int64"),
        ("nanos", "int32"),
    ]
    assert [(f.name, f.type.kind) for f in by_name["reading"].fields] == [("value", "float")]
    assert schema.extra["not_followed"] == ()


def test_a_change_inside_an_imported_message_is_reported(tmp_path: Path) -> None:
    repo, text = _metrics_repo(tmp_path)
    assert check(repo.root, "dataplan.yaml").findings() == []
    repo.commit("base")
    repo.branch()
    repo.edit("proto/wild/common/v1/common.proto", "  string value = 2;", "  double value = 2;")
    (finding,) = json_findings(repo.root, "--base", "main", "--select", "DP730")
    # shown where the change is (the changed file); the plan's schema_file line related
    assert finding["related"][0]["span"]["line"] == line_of(text, "schema_file: proto/")
    assert (
        "changing the type of `Sample.attributes[].value` from string to double"
        in (finding["message"])
    )
    assert "(`proto/wild/common/v1/common.proto` line 6)" in finding["message"]


def test_an_import_that_cannot_be_followed_is_said(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write("proto/wild/metrics/v1/metrics.proto", METRICS)
    text = _plan(repo, "proto/wild/metrics/v1/metrics.proto", "wild.metrics.v1.Sample")
    result = check(repo.root, "dataplan.yaml")
    found = [f for f in result.findings() if f["rule"] == "DP744"]
    # One finding for the import; the types it would define are its part, not noted again.
    (finding,) = found
    assert (finding["line"], finding["col"]) == (line_of(text, "schema_file: proto/"), 16)
    message = finding["message"]
    assert "import `wild/common/v1/common.proto` is not in the repository (looked for" in message
    assert "`proto/wild/metrics/v1/wild/common/v1/common.proto`" in message
    assert "its messages are not compared; set `import_roots`" in message
    assert result.exit_code == 0  # a warning: the rest of the contract is still compared


def test_a_type_defined_in_no_file_is_said(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    body = METRICS.replace('import "wild/common/v1/common.proto";\n', "")
    repo.write("events.proto", body)
    _plan(repo, "events.proto", "wild.metrics.v1.Sample")
    (finding,) = check(repo.root, "dataplan.yaml").findings()
    assert finding["rule"] == "DP744"
    assert (
        "message `wild.common.v1.KeyValue` is defined in no file read; its fields are not"
        in (finding["message"])
    )


def test_import_roots_name_where_imports_live(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write("third_party/wild/common/v1/common.proto", COMMON)
    repo.write("proto/metrics.proto", METRICS)
    _plan(repo, "proto/metrics.proto", "wild.metrics.v1.Sample")
    assert {f["rule"] for f in check(repo.root, "dataplan.yaml").findings()} == {"DP744"}
    _plan(repo, "proto/metrics.proto", "wild.metrics.v1.Sample", import_roots=["third_party"])
    assert check(repo.root, "dataplan.yaml").findings() == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../outside.proto", "import `../../outside.proto` points outside the repository"),
        ("linked/outside.proto", "resolves outside the repository"),
    ],
)
def test_imports_stay_inside_the_repository(tmp_path: Path, name: str, expected: str) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "outside.proto").write_text(COMMON, encoding="utf-8")
    repo = Repo(tmp_path / "repo")
    (repo.root / "linked").symlink_to(outside)
    repo.write("events.proto", METRICS.replace("wild/common/v1/common.proto", name))
    _plan(repo, "events.proto", "wild.metrics.v1.Sample")
    messages = [f["message"] for f in check(repo.root, "dataplan.yaml").findings()]
    assert any(expected in message for message in messages), messages
