"""One did-you-mean: every hint in messages and findings comes from `core/words.py`."""

from __future__ import annotations

from pathlib import Path

import pytest

from dataplan_lint.core.words import did_you_mean, suggestion

PACKAGE = Path(__file__).resolve().parent.parent / "dataplan_lint"
HELPER = PACKAGE / "core" / "words.py"


def test_the_hint_wording() -> None:
    assert did_you_mean("partiton_key", ["partition_key", "partitions"]) == (
        " (did you mean `partition_key`?)"
    )
    assert did_you_mean("zzz", ["partition_key"]) == ""
    assert suggestion("15m") == " (did you mean `15m`?)"
    assert suggestion(None) == ""


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=str)
def test_no_module_words_or_computes_its_own_hint(path: Path) -> None:
    if path == HELPER or "_generated" in path.parts:
        return
    text = path.read_text(encoding="utf-8")
    assert "did you mean" not in text.lower(), path
    assert "get_close_matches" not in text, path
