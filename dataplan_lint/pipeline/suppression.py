"""Inline suppressions: a YAML comment that silences named rules on one line.

Syntax (on the offending line, or alone on the line above it)::

    retention: 1d  # dataplan-lint: disable=DP301 -- replay comes from the raw layer
    # dataplan-lint: disable=DP301,watermark-exceeds-freshness-slo -- agreed with the SRE team
    retention: 1d

Rules are named by id or slug, separated by commas; the reason follows `--`. A comment
alone on its line applies to the next line that is not a comment or blank.
Suppressed findings keep their place in the results with `Finding.suppression` set;
they do not fail the run. The comments are checked too: DP018 when the reason is
missing, DP019 when a named rule is not reported on that line, DP020 when the named
rule does not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from dataplan_lint.core import regexes
from dataplan_lint.core.findings import Finding, Span, Suppression
from dataplan_lint.core.rules import SUPPRESSION_RULES, builtin_finding

_MARKER = regexes.SUPPRESSION_MARKER.compile()


@dataclass(slots=True)
class Directive:
    """One `# dataplan-lint: disable=...` comment."""

    line: int  # where the comment is
    col: int
    target: int  # the line it applies to
    rules: list[tuple[str, int]]  # (id or slug as written, column)
    reason: str
    used: set[str] = field(default_factory=set)


def parse(text: str) -> list[Directive]:
    if "dataplan-lint" not in text:  # most plans: no directive, no need to split lines
        return []
    from dataplan_lint.files.loader import text_lines

    lines = text_lines(text)
    out: list[Directive] = []
    for number, line in enumerate(lines, start=1):
        if "dataplan-lint" not in line:
            continue
        match = _MARKER.search(line)
        if match is None:
            continue
        body = match["body"]
        rules_part, _, reason = body.partition("--")
        start = match.start("body")
        rules: list[tuple[str, int]] = []
        offset = 0
        for piece in rules_part.split(","):
            name = piece.strip()
            if name:
                rules.append((name, start + offset + piece.index(name) + 1))
            offset += len(piece) + 1
        before = line[: match.start()]
        target = number
        if not before.strip():
            target = _next_content_line(lines, number)
        out.append(Directive(number, match.start() + 1, target, rules, reason.strip()))
    return out


def _next_content_line(lines: list[str], number: int) -> int:
    for index in range(number, len(lines)):
        stripped = lines[index].strip()
        if stripped and not stripped.startswith("#"):
            return index + 1
    return number


def _malformed(directive: Directive, path: str) -> list[Finding]:
    """A suppression without a reason (DP018) or without a rule (DP020)."""
    out = []
    if not directive.reason:
        out.append(
            builtin_finding(
                "DP018",
                "the suppression gives no reason; add one after `--`, for example "
                "`# dataplan-lint: disable=DP301 -- replay reads the raw layer`",
                path,
                Span(directive.line, directive.col, directive.line, directive.col + 1),
            )
        )
    if not directive.rules:
        out.append(
            builtin_finding(
                "DP020",
                "the suppression names no rule; write `disable=DP301` (ids or slugs)",
                path,
                Span.point(directive.line, directive.col),
            )
        )
    return out


def apply(
    findings: Iterable[Finding],
    text: str | None,
    path: str,
    *,
    known: Callable[[str], str | None],
    enabled: Callable[[str], bool] = lambda rule_id: True,
) -> list[Finding]:
    """Mark suppressed findings and add findings about the comments themselves.

    `known(name)` maps an id or slug to a rule id (None when no rule has that name);
    `enabled(rule_id)` says whether the rule runs at all (an ignored rule's suppression
    is not reported as unused).
    """
    findings = list(findings)
    if not text or "dataplan-lint" not in text:
        return findings
    directives = parse(text)
    if not directives:
        return findings
    by_line: dict[int, list[tuple[Directive, str]]] = {}
    extra: list[Finding] = []
    for directive in directives:
        extra += _malformed(directive, path)
        for name, col in directive.rules:
            rule_id = known(name)
            if rule_id is None:
                extra.append(
                    builtin_finding(
                        "DP020",
                        f"the suppression names {name!r}, which is not a rule id or slug",
                        path,
                        Span(directive.line, col, directive.line, col + len(name)),
                    )
                )
                continue
            by_line.setdefault(directive.target, []).append((directive, rule_id))
    out: list[Finding] = []
    for finding in findings:
        if finding.suppression is None:
            for directive, rule_id in by_line.get(finding.line, ()):
                if rule_id == finding.rule_id and finding.rule_id not in SUPPRESSION_RULES:
                    directive.used.add(rule_id)
                    finding = finding.suppressed(
                        Suppression("inline", directive.reason or "(no reason given)")
                    )
                    break
        out.append(finding)
    for directive in directives:
        for name, col in directive.rules:
            rule_id = known(name)
            if rule_id is None or rule_id in directive.used or not enabled(rule_id):
                continue
            extra.append(
                builtin_finding(
                    "DP019",
                    f"unused suppression: {rule_id} is not reported on line "
                    f"{directive.target}; remove {name!r} from the comment",
                    path,
                    Span(directive.line, col, directive.line, col + len(name)),
                )
            )
    return out + extra
