"""`pattern`: text matches (`match`) or does not match (`not-match`) a regular expression.

Absent values are not reported (use `present` for that). Matching is a search, so
anchor with `^...$` for a whole-value match; `ignore-case: true` folds case.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from dataplan_lint.core.findings import Finding
from dataplan_lint.engine import options as o
from dataplan_lint.engine.context import RuleContext
from dataplan_lint.engine.registry import function


@cache
def _compiled(expression: str, ignore_case: bool) -> re.Pattern[str]:
    return re.compile(expression, re.IGNORECASE if ignore_case else 0)


@function("pattern", options={"match": o.text(), "not-match": o.text(), "ignore-case": o.flag()})
def pattern(
    ctx: RuleContext, value: Any, pointer: str, options: Mapping[str, Any]
) -> Iterator[Finding]:
    if value is None or isinstance(value, list | dict):
        return
    text = str(value)
    fold = bool(options.get("ignore-case", False))
    wanted = options.get("match")
    if wanted is not None and not _compiled(str(wanted), fold).search(text):
        yield ctx.report(pointer, pattern=wanted)
        return
    unwanted = options.get("not-match")
    if unwanted is not None:
        found = _compiled(str(unwanted), fold).search(text)
        if found:
            yield ctx.report(pointer, pattern=unwanted, match=found.group(0))
