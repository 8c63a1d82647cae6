"""The rule sections of references/*.md are generated from the rules' YAML.

`python -m dataplan_lint.engine.index_codegen` rewrites them; the topic prose around
them is written by hand and kept as it is.
"""

from __future__ import annotations

from dataplan_lint.core.rules import BUILTIN_RULES
from dataplan_lint.engine import reference_codegen as codegen
from dataplan_lint.engine.catalog import all_rules


def test_every_page_is_current() -> None:
    stale = [
        path.name
        for path, text in codegen.pages().items()
        if path.read_text(encoding="utf-8") != text
    ]
    assert stale == [], f"run {codegen.COMMAND}"


def test_every_rule_has_one_generated_section_on_its_page() -> None:
    pages = {path.name: text for path, text in codegen.pages().items()}
    for meta in all_rules():
        page = meta.reference.partition("#")[0]
        text = pages[page]
        assert text.count(f"<!-- rule {meta.id}:") == 1, meta.id
        assert text.count(f'<a id="{meta.slug}"></a>') == 1, meta.id
    assert set(BUILTIN_RULES) <= {meta.id for meta in all_rules()}


def _rules(*ids: str) -> list:
    return [meta for meta in all_rules() if meta.id in ids]


PAGE = """# Sources

Topic prose, by hand.

## Rules

<a id="source-contract-missing"></a>
### DP201 source-contract-missing

Hand-written text that the YAML replaces.

## Afterwards

More prose, by hand.
"""


def test_a_hand_written_section_becomes_a_block_where_it_stands() -> None:
    text = codegen.regenerate(PAGE, _rules("DP201"))
    assert "Hand-written text" not in text
    assert text.startswith("# Sources\n\nTopic prose, by hand.\n\n## Rules\n\n<!-- rule DP201:")
    assert "### DP201 source-contract-missing" in text
    assert "```yaml\nsources:\n  - contract: clickstream_evnt\n```" in text
    assert text.endswith("<!-- end rule DP201 -->\n\n## Afterwards\n\nMore prose, by hand.\n")
    assert codegen.regenerate(text, _rules("DP201")) == text  # stable


def test_a_new_rule_is_added_after_the_last_block_and_a_moved_one_dropped() -> None:
    first = codegen.regenerate(PAGE, _rules("DP201"))
    both = codegen.regenerate(first, _rules("DP201", "DP203"))
    assert both.index("<!-- end rule DP201 -->") < both.index("<!-- rule DP203:")
    assert both.index("<!-- end rule DP203 -->") < both.index("## Afterwards")
    assert codegen.regenerate(both, _rules("DP201")) == first
