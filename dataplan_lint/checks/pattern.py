"""`pattern`: text matches (`match`) or does not match (`not-match`) a regular expression.

Absent values are not reported (use `present` for that). Matching is a search, so
anchor with `^...$` for a whole-value match; `ignore-case: true` folds case.
Patterns run on RE2 (linear time, see `core/user_regex.py`) and are compiled when the
ruleset is loaded: a pattern that does not compile is a configuration error naming the
rule and the option.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.core.findings import Finding
from dataplan_lint.core.user_regex import UserPattern, compile_user
from dataplan_lint.engine.context import RuleContext


def _compiled(expression: str, ignore_case: bool) -> UserPattern:
    return compile_user(expression, ignore_case)


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
