"""Gate 7 completeness rules: each triggers at an exact position, and a near-miss does not."""

from __future__ import annotations

from ridecases import RIDE_CASES
from rulecases import Case, assert_near_miss, assert_triggers, parametrize
from ruleplans import block, check_text, edit, line_of, text_of

SUMMARY_MODE = "    compatibility: BACKWARD\n    version: 3\n"
NONE_MODE = (SUMMARY_MODE, "    compatibility: NONE\n    version: 3\n")
WINDOW = ("    deprecation_window: 30d\n", "")
MIGRATION = (
    "    deprecation_window: 30d\n    migration:\n"
    + block("clickstream", "Add new columns as nullable", "quality:"),
    "    deprecation_window: 30d\n\n",
)
SUMMARY_FIELDS = block("clickstream", "    versioning: integer", "deprecation_window: 30d")

CASES = [
    Case(
        "DP771",
        (
            (
                "      - name: page_views\n        type: int\n",
                "      - name: page_views\n        type: decimal\n        precision: 4\n"
                "        scale: 6\n",
            ),
        ),
        "scale: 6",
        "6",
        (
            (
                "      - name: page_views\n        type: int\n",
                "      - name: page_views\n        type: decimal\n        precision: 6\n"
                "        scale: 6\n",
            ),
        ),
    ),
    Case(
        "DP770",
        (
            (
                "        nullable: true\n        default: null\n        doc: Referring",
                "        default: null\n        doc: Referring",
            ),
        ),
        "        default: null",
        "null",
        (
            (
                "        nullable: true\n        default: null\n        doc: Referring",
                "        nullable: true\n        default: null\n        doc: Referring URL",
            ),
        ),
        nth=1,
    ),
    Case(
        "DP701",
        (("    - name: product-dashboard\n", "    - name: product-dashboard-v2\n"),),
        "name: product-dashboard-v2",
        "product-dashboard-v2",
        (
            ("    - name: product-dashboard\n", "    - name: product-dashboard-v2\n"),
            ("      critical: true\n    - name: recs", "      critical: false\n    - name: recs"),
        ),
    ),
    Case(
        "DP702",
        (NONE_MODE, WINDOW),
        "  - name: session_summary",
        "name",
        (NONE_MODE,),
    ),
    Case(
        "DP703",
        (NONE_MODE, MIGRATION),
        "  - name: session_summary",
        "name",
        (MIGRATION,),
    ),
    Case(
        "DP704",
        ((SUMMARY_FIELDS, "    versioning: integer\n"),),
        "  - name: session_summary",
        "name",
        ((SUMMARY_FIELDS, "    versioning: integer\n    schema_file: schemas/session.avsc\n"),),
    ),
    Case(
        "DP706",
        (("    versioning: integer\n", ""),),
        "    version: 3",
        "version",
        (("    versioning: integer\n", "    versioning: date\n"),),
    ),
    # issue 21: a field's values against each other
    Case(
        "DP707",
        (("\n        enum_default: other\n", "\n        enum_default: unknown\n"),),
        "enum_default: unknown",
        "unknown",
        (("\n        enum_default: other\n", "\n        enum_default: click\n"),),
    ),
    Case(
        "DP708",
        (
            (
                "          minimum: 0\n      - name: cart_adds",
                "          minimum: 0\n          maximum: -1\n      - name: cart_adds",
            ),
        ),
        "maximum: -1",
        "-1",
        (
            (
                "          minimum: 0\n      - name: cart_adds",
                "          minimum: 0\n          maximum: 100000\n      - name: cart_adds",
            ),
        ),
    ),
]


CASES += RIDE_CASES[7]  # the optional fields of issue 21, on ride-trips


@parametrize(CASES)
def test_rule_triggers_at_position(case: Case) -> None:
    assert_triggers(case)


@parametrize(CASES)
def test_near_miss_is_clean(case: Case) -> None:
    assert_near_miss(case)


def _optional_summary_fields(keep_required: bool) -> str:
    fields = SUMMARY_FIELDS.replace("          not_null: true\n", "          minimum: 0\n")
    if not keep_required:
        fields = fields.replace("required: true", "required: false")
    return edit("clickstream", (SUMMARY_FIELDS, fields))


def test_dp705_contract_without_required_fields() -> None:
    text = _optional_summary_fields(keep_required=False)
    hits = [f for f in check_text(text) if f.rule_id == "DP705"]
    fields_line = line_of(text, "    versioning: integer") + 1
    assert text.splitlines()[fields_line - 1] == "    fields:"
    assert [(f.line, f.col) for f in hits] == [(fields_line, 5)]
    assert "session_summary" in hits[0].message


def test_dp705_near_miss_one_required_field_is_enough() -> None:
    text = _optional_summary_fields(keep_required=False).replace(
        "      - name: session_id\n        type: string\n        required: false",
        "      - name: session_id\n        type: string\n        required: true",
    )
    assert "DP705" not in [f.rule_id for f in check_text(text)]


def test_contracts_with_history_are_left_to_the_compatibility_rules() -> None:
    # orders_cdc_event has a history (version 3 to 4); without its deprecation window
    # the compatibility analysis owns the finding, DP702 stays quiet.
    text = edit(
        "orders",
        (
            "    deprecation_window: 60d\n    migration:\n      - Column",
            "    migration:\n      - Column",
        ),
    )
    assert "DP702" not in [f.rule_id for f in check_text(text)]
    assert text != text_of("orders")
