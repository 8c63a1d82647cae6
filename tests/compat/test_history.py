"""In-file history, versions, waivers and model contracts - no git involved - and the
`fail`/`pass` examples of the compatibility rules."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from dataplan_lint.compat.history import is_major_bump, parse_version
from dataplan_lint.compat.waivers import Waiver
from dataplan_lint.engine.rulesets import documents
from tests.conftest import copy_example

from .plans import EXAMPLES, check, line_of, load_example, write_plan

ROOT = Path(__file__).resolve().parents[2]


def clickstream() -> Any:
    return load_example()


def event(data: Any) -> dict[str, Any]:
    contract: dict[str, Any] = data["contracts"][0]
    assert contract["name"] == "clickstream_event"
    return contract


def lint(tmp_path: Path, data: Any, *args: str) -> tuple[str, Any]:
    text = write_plan(tmp_path / "dataplan.yaml", data)
    return text, check(tmp_path, "dataplan.yaml", *args)


def test_good_examples_have_no_compatibility_findings() -> None:
    for name in ("clickstream-sessions", "orders-cdc"):
        result = check(EXAMPLES / name, "dataplan.yaml")
        assert result.findings() == [], result.output
        assert result.exit_code == 0


def test_history_step_break_points_at_the_new_field(tmp_path: Path) -> None:
    data = clickstream()
    contract = event(data)
    contract["version"] = "3.0.0"
    contract["fields"][6]["type"] = "long"  # page_url: string -> long
    text, result = lint(tmp_path, data)
    found = result.findings()
    assert [(f["rule"], f["message"]) for f in found] == [
        (
            "DP731",
            "changing the type of `ClickstreamEvent.page_url` from string to long breaks "
            "BACKWARD_TRANSITIVE compatibility (new readers of long cannot read string values "
            "in old data) from version 2.0.0 to 3.0.0; keep "
            "`ClickstreamEvent.page_url` as string and add a new field instead, or add a waiver "
            "for `change the type of ClickstreamEvent.page_url` and a new major version",
        )
    ]
    assert found[0]["line"] == line_of(text, "- name: page_url")


def test_transitive_mode_compares_with_every_earlier_version(tmp_path: Path) -> None:
    data = clickstream()
    contract = event(data)
    first = copy.deepcopy(contract["history"][0])
    first["version"] = "1.0.0"
    first["fields"] = first["fields"] + [{"name": "legacy", "type": "int", "required": True}]
    second = copy.deepcopy(contract["history"][0])  # 2.0.0 drops `legacy`: fine under BACKWARD
    contract["history"] = [first, second]
    contract["fields"].append({"name": "legacy", "type": "string", "default": "x"})
    contract["version"] = "3.0.0"
    _, result = lint(tmp_path, data)
    assert [f["message"] for f in result.findings()] == [
        "changing the type of `ClickstreamEvent.legacy` from int to string breaks "
        "BACKWARD_TRANSITIVE compatibility (new readers of string cannot read int values in "
        "old data) from version 2.0.0 to 3.0.0 against version 1.0.0; keep "
        "`ClickstreamEvent.legacy` as int and add a new field instead, or add a waiver for "
        "`change the type of ClickstreamEvent.legacy` and a new major version"
    ]
    contract["compatibility"] = "BACKWARD"
    _, result = lint(tmp_path, data)
    assert result.findings() == []


def test_versions_must_increase(tmp_path: Path) -> None:
    data = clickstream()
    event(data)["version"] = "1.9.0"
    text, result = lint(tmp_path, data)
    assert [(f["rule"], f["line"]) for f in result.findings()] == [
        ("DP732", line_of(text, "version: 1.9.0"))
    ]
    assert "is lower than the version before it (2.0.0)" in result.findings()[0]["message"]
    event(data)["version"] = "2.0.0"
    _, result = lint(tmp_path, data)
    assert result.rules() == ["DP733"]


def test_none_mode_still_needs_a_major_version_and_a_plan(tmp_path: Path) -> None:
    data = clickstream()
    contract = event(data)
    contract["compatibility"] = "NONE"
    contract["history"][0]["compatibility"] = "NONE"
    contract["fields"] = [f for f in contract["fields"] if f["name"] != "page_url"]
    _, result = lint(tmp_path, data)
    assert result.rules() == ["DP734"]
    contract["version"] = "3.0.0"
    del contract["migration"]
    _, result = lint(tmp_path, data)
    assert result.rules() == ["DP735"]
    assert "no `migration`" in result.findings()[0]["message"]


def test_in_file_waiver_accepts_a_break_until_it_expires(tmp_path: Path) -> None:
    data = clickstream()
    contract = event(data)
    contract["version"] = "3.0.0"
    contract["fields"] = [f for f in contract["fields"] if f["name"] != "received_at"]
    contract["compatibility"] = "FULL_TRANSITIVE"
    contract["history"][0]["compatibility"] = "FULL_TRANSITIVE"
    waiver = {
        "change": "remove field `received_at`",
        "reason": "The collector timestamp moves to the envelope.",
        "owner": "team-web-collector",
        "expires": "2030-06-30",
    }
    contract["waivers"] = [waiver]
    _, result = lint(tmp_path, data)
    assert result.findings() == [], result.output
    contract["waivers"] = [{**waiver, "expires": "2026-01-31"}]
    text, result = lint(tmp_path, data)
    assert result.rules() == ["DP731", "DP739"]
    expired = next(f for f in result.findings() if f["rule"] == "DP739")
    assert expired["line"] == line_of(text, "expires: '2026-01-31'")
    assert "expired on 2026-01-31" in expired["message"]


def test_model_contract_history(tmp_path: Path) -> None:
    copy_example("orders-cdc", tmp_path)  # its ODCS contract, at the same repository path
    data = load_example("orders-cdc")
    model = data["contracts"][2]
    assert model["kind"] == "model"
    old = copy.deepcopy(model["fields"])
    old.append({"name": "legacy_total", "type": "number(12,2)"})
    old[0]["type"] = "DECIMAL(38, 0)"  # normalises to number(38,0)
    old[2]["type"] = "text"  # varchar == text
    old[4]["type"] = "bigint"  # int -> bigint in the history: a type change
    model["history"] = [{"version": 1, "fields": old}]
    model["fields"][1]["constraints"] = {}  # drop an enforced not_null
    _, result = lint(tmp_path, data)
    messages = sorted(f["message"] for f in result.findings())
    assert messages == [
        "loosening `not_null` of `customer_id` (removed) breaks the model contract "
        "`fct_orders_contract` (consumers rely on the enforced constraint) from version 1 to 2; "
        "keep the earlier constraint of `customer_id`, or add a waiver for "
        "`loosen the constraint of customer_id` and a new major version",
        "narrowing the type of `item_count` from long to int breaks the model contract "
        "`fct_orders_contract` (downstream models and exports rely on the column's data type) "
        "from version 1 to 2; keep `item_count` as long and add a new field instead, or add a "
        "waiver for `change the type of item_count` and a new major version",
        "removing optional field `legacy_total` breaks the model contract `fct_orders_contract` "
        "(downstream queries still select the column) from version 1 to 2; restore "
        "`legacy_total`, or add a waiver for `remove legacy_total` and a new major version",
    ]
    assert {f["rule"] for f in result.findings()} == {"DP738"}


def test_protobuf_inline_contract_by_field_number(tmp_path: Path) -> None:
    data = clickstream()
    contract = event(data)
    contract["format"] = "protobuf"
    contract["compatibility"] = "FULL"
    contract.pop("record")
    contract["history"][0]["compatibility"] = "FULL"
    for number, field in enumerate(contract["fields"], start=1):
        field["number"] = number
    for number, field in enumerate(contract["history"][0]["fields"], start=1):
        field["number"] = number
    contract["history"][0]["fields"][0]["name"] = "id"  # renamed, same number: wire-compatible
    _, result = lint(tmp_path, data)
    assert result.findings() == [], result.output
    contract["fields"][3]["type"] = "double"  # anonymous_id string -> double
    _, result = lint(tmp_path, data)
    assert result.rules() == ["DP731", "DP734"]


# -- units -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "scheme", "major"),
    [
        ("1.2.0", "2.0.0", "semver", True),
        ("1.2.0", "1.3.0", "semver", False),
        ("v1.9.9", "1.10.0", "semver", False),
        (3, 4, "integer", True),
        ("2024-01-01", "2024-06-01", "date", True),
    ],
)
def test_versions(old: Any, new: Any, scheme: str, major: bool) -> None:
    a, b = parse_version(old), parse_version(new)
    assert a.scheme == b.scheme == scheme
    assert a < b
    assert is_major_bump(a, b) is major


def test_waiver_matching() -> None:
    waiver = Waiver(0, "", "remove field `user.id`", "r", "o", dt.date(2030, 1, 1), "2030-01-01")
    assert waiver.covers("field-removed", "user.id")
    assert not waiver.covers("field-removed", "user")
    assert not waiver.covers("field-removed", "id")
    assert not waiver.covers("type-narrowed", "user.id")
    bare = Waiver(0, "", "user.id goes away", "r", "o", None, "")
    assert bare.covers("field-removed", "user.id")
    assert waiver.expired(lambda: dt.date(2030, 1, 2))
    assert not waiver.expired(lambda: dt.date(2030, 1, 1))


# -- rule examples -----------------------------------------------------------------------

NEEDS_BASE_OR_FILES = {"DP730", "DP737", "DP740", "DP743", "DP744"}  # test_git_base.py, and
# test_protobuf_files.py for DP744


def _compat_rules() -> list[tuple[str, Any]]:
    docs = documents([ROOT / "rules" / "gate07-compatibility.yaml"])
    return sorted(
        (rule_id, doc.examples)
        for rule_id, doc in docs.items()
        if rule_id.startswith("DP7") and int(rule_id[2:]) >= 730
    )


@pytest.mark.parametrize(("rule_id", "examples"), _compat_rules(), ids=lambda v: str(v)[:5])
def test_rule_examples(tmp_path: Path, rule_id: str, examples: Any) -> None:
    from ruleexamples import build

    assert examples.get("fail") and examples.get("pass")
    if rule_id in NEEDS_BASE_OR_FILES:
        pytest.skip("needs a git base or a schema file; see test_git_base.py")
    copy_example("orders-cdc", tmp_path)  # examples built on orders-cdc read its ODCS file
    for key, expected in (("fail", [rule_id]), ("pass", [])):
        (tmp_path / "dataplan.yaml").write_text(build(examples[key], EXAMPLES))
        result = check(tmp_path, "dataplan.yaml")
        assert sorted({f["rule"] for f in result.findings()}) == expected, (key, result.output)


def test_history_versions_from_schema_files(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    v1 = (EXAMPLES / "compat" / "schemas" / "checkout.avsc").read_text()
    (schemas / "checkout-v1.avsc").write_text(v1)
    (schemas / "checkout-v2.avsc").write_text(v1.replace('"type": "int"', '"type": "long"'))
    (schemas / "checkout-v3.avsc").write_text(v1.replace('"type": "long"}', '"type": "int"}'))
    data = clickstream()
    data["contracts"].append(
        {
            "name": "checkout_completed",
            "kind": "event",
            "owner": "team-checkout",
            "consumers": ["team-data-platform"],
            "format": "avro",
            "compatibility": "BACKWARD",
            "version": 3,
            "versioning": "integer",
            "schema_file": "schemas/checkout-v3.avsc",
            "history": [
                {"version": 1, "schema_file": "schemas/checkout-v1.avsc"},
                {"version": 2, "schema_file": "schemas/checkout-v2.avsc"},
            ],
            "deprecation_window": "30d",
            "migration": ["Readers first."],
        }
    )
    _, result = lint(tmp_path, data)
    # Each break is shown where it is: the changed field's line in the newer schema file.
    found = [(f["rule"], f["path"], f["line"], f["message"]) for f in result.findings()]
    assert found == [
        (
            "DP731",
            "schemas/checkout-v3.avsc",
            8,
            "narrowing the type of `CheckoutCompleted.customer_id` from long to int breaks "
            "BACKWARD compatibility (new readers of int cannot read long values in old data) from "
            "version 2 to 3 (`schemas/checkout-v3.avsc` line 8); keep "
            "`CheckoutCompleted.customer_id` as long and add a new field instead, or add a waiver "
            "for `change the type of CheckoutCompleted.customer_id` and a new major version",
        ),
        (
            "DP731",
            "schemas/checkout-v3.avsc",
            9,
            "narrowing the type of `CheckoutCompleted.item_count` from long to int breaks BACKWARD "
            "compatibility (new readers of int cannot read long values in old data) from "
            "version 2 to 3 (`schemas/checkout-v3.avsc` line 9); keep "
            "`CheckoutCompleted.item_count` as long and add a new field instead, or add a waiver "
            "for `change the type of CheckoutCompleted.item_count` and a new major version",
        ),
    ]


@pytest.mark.parametrize(
    ("example", "loaded"),
    [
        ("clickstream-sessions", []),  # inline contracts only: no parser, no git
        ("orders-cdc", ["dataplan_lint.files.git"]),  # an ODCS file: found from the repo root
    ],
)
def test_plain_checks_load_no_format_parser_and_no_git(example: str, loaded: list[str]) -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from dataplan_lint.files.discovery import Discovered\n"
        "from dataplan_lint.pipeline.runner import check_file\n"
        "from dataplan_lint.core.settings import Settings\n"
        f"p = Path({str(EXAMPLES / example / 'dataplan.yaml')!r})\n"
        "report = check_file(Discovered(p, 'x'), Settings())\n"
        "assert report.findings == [], report.findings\n"
        "assert 'dataplan_lint.compat.analysis' in sys.modules\n"
        "heavy = [m for m in ('fastavro', 'proto_schema_parser', 'antlr4',\n"
        "         'dataplan_lint.files.git') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == repr(loaded)


def test_history_entries_without_fields_are_skipped_over(tmp_path: Path) -> None:
    data = clickstream()
    contract = event(data)
    contract["history"].append({"version": "2.0.5", "notes": "Docs only."})
    contract["fields"][6]["type"] = "long"  # page_url: string -> long
    contract["version"] = "3.0.0"
    _, result = lint(tmp_path, data)
    assert [f["message"] for f in result.findings()] == [
        "changing the type of `ClickstreamEvent.page_url` from string to long breaks "
        "BACKWARD_TRANSITIVE compatibility (new readers of long cannot read string values in "
        "old data) from version 2.0.0 to 3.0.0; keep `ClickstreamEvent.page_url` as string and "
        "add a new field instead, or add a waiver for "
        "`change the type of ClickstreamEvent.page_url` and a new major version"
    ]


def test_compatibility_findings_carry_change_and_mode_for_reporters(tmp_path: Path) -> None:
    """The job summary's compatibility table reads `change` and `mode` from Finding.data."""
    from ruleexamples import build

    from dataplan_lint.core.settings import Settings
    from dataplan_lint.files.discovery import Discovered
    from dataplan_lint.pipeline.runner import check_file

    example = documents()["DP731"].examples["fail"]
    path = tmp_path / "dataplan.yaml"
    path.write_text(build(example, EXAMPLES), encoding="utf-8")
    report = check_file(Discovered(path, "dataplan.yaml"), Settings())
    (finding,) = [f for f in report.findings if f.rule_id == "DP731"]
    data = dict(finding.data)
    assert data["mode"] == "BACKWARD_TRANSITIVE"
    assert data["change"] and data["change"] in finding.message


# -- fix clauses ------------------------------------------------------------------------


def test_every_suggested_waiver_covers_its_change() -> None:
    """The waiver a DP730/DP731/DP738 message suggests accepts exactly that change."""
    from dataplan_lint.compat.diff import Change
    from dataplan_lint.compat.remedies import _WAIVER_VERB, remedy, waiver_text

    for kind in _WAIVER_VERB:
        change = Change(kind, "Order.amount", "a change", backward="why")
        text = waiver_text(change)
        assert text is not None and text.endswith(" Order.amount")
        waiver = Waiver(0, "/w", text, "planned", "team", None, "")
        assert waiver.covers(kind, "Order.amount"), (kind, text)
        assert f"add a waiver for `{text}`" in remedy(change, "why")
    root = Change("content-model-changed", "", "closing the root")
    assert waiver_text(root) is None
    assert remedy(root, None).endswith("or publish the change as a new contract")


def test_suggested_waiver_silences_the_finding(tmp_path: Path) -> None:
    data = clickstream()
    contract = event(data)
    contract["version"] = "3.0.0"
    contract["fields"][6]["type"] = "long"  # page_url: string -> long
    _, result = lint(tmp_path, data)
    (finding,) = result.findings()
    suggested = finding["message"].split("add a waiver for `")[1].split("`")[0]
    assert suggested == "change the type of ClickstreamEvent.page_url"
    contract["waivers"] = [
        {
            "change": suggested,
            "reason": "page_url becomes a page id.",
            "owner": "team-web-collector",
            "expires": "2999-01-31",
        }
    ]
    _, result = lint(tmp_path, data)
    assert [f["rule"] for f in result.findings()] == []
    assert result.exit_code == 0


def test_suggested_suppression_silences_a_weakened_mode(tmp_path: Path) -> None:
    """DP736's fix clause names a suppression comment; written on the finding's line
    with a reason, it silences exactly that warning."""
    from ruleexamples import build

    path = tmp_path / "dataplan.yaml"
    path.write_text(build(documents()["DP736"].examples["fail"], EXAMPLES), encoding="utf-8")
    result = check(tmp_path, "dataplan.yaml")
    (finding,) = result.findings()
    assert finding["rule"] == "DP736"
    comment = finding["message"].split("agreed with `")[1].split("`")[0]
    assert comment == "# dataplan-lint: disable=DP736 -- <reason>"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = finding["line"] - 1
    lines[line] += "  " + comment.replace("<reason>", "consumers agreed in RFC-12")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = check(tmp_path, "dataplan.yaml")
    assert result.findings() == []
    assert result.exit_code == 0
