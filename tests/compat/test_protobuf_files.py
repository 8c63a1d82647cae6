"""Protobuf files as real repositories hold them: comments anywhere protoc allows them,
files in an edition, and message types imported from other files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dataplan_lint.compat.protobuf import read_proto
from dataplan_lint.compat.sources import SchemaFileError

from .plans import Repo, check, line_of, plan_with_contract, write_plan

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
