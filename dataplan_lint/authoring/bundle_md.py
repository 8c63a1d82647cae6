"""Render a bundle (see `bundle.build`) as GitHub-flavoured Markdown.

Plan text is escaped so it cannot break a table, open HTML or start a code fence:
`&`, `<` and `>` become entities, `|` and a backslash are backslash-escaped, and
newlines fold into spaces.
"""

from __future__ import annotations

from typing import Any

_STATUS = {"pass": "pass", "warn": "warnings", "fail": "FAIL", "not-checked": "not checked"}


def esc(value: Any) -> str:
    raw = " ".join(str(value).split())
    raw = raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    raw = raw.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")
    raw = raw.replace("[", "\\[").replace("]", "\\]")
    return raw


def _table(columns: list[str], rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(esc(c) for c in columns) + " |"]
    out.append("|" + "|".join("---" for _ in columns) + "|")
    out += ["| " + " | ".join(esc(cell) for cell in row) + " |" for row in rows]
    return out


def block(item: dict[str, Any]) -> list[str]:
    out: list[str] = []
    label = item.get("label")
    kind = item["type"]
    if label and kind != "paragraph":
        out += [f"**{esc(label)}**", ""]
    if kind == "paragraph":
        prefix = f"**{esc(label)}:** " if label else ""
        out.append(prefix + esc(item["text"]))
    elif kind == "list":
        out += [f"- {esc(entry)}" for entry in item["items"]]
    elif kind == "kv":
        out += _table(["Item", "Value"], item["items"])
    elif kind == "table":
        out += _table(item["columns"], item["rows"])
    elif kind == "mermaid":
        out += ["```mermaid", item["code"], "```"]
    return out


def lint_table(lint: dict[str, Any]) -> list[str]:
    totals = lint["totals"]
    verdict = "passes" if lint["passed"] else "FAILS"
    out = [
        f"**Lint result:** the plan {verdict} `dataplan-lint check` "
        f"({totals['errors']} errors, {totals['warnings']} warnings, {totals['infos']} info"
        + (f", {totals['suppressed']} suppressed" if totals["suppressed"] else "")
        + ").",
        "",
    ]
    rows = [
        [str(g["gate"]), g["title"], _STATUS[g["status"]], g["errors"], g["warnings"], g["infos"]]
        for g in lint["gates"]
    ]
    out += _table(["Gate", "Title", "Status", "Errors", "Warnings", "Info"], rows)
    findings = [
        [g["gate"], f["rule_id"], f["severity"], f"{f['line']}:{f['col']}", f["message"]]
        for g in lint["gates"]
        for f in g["findings"]
    ]
    if findings:
        out += ["", "**Findings**", ""]
        out += _table(["Gate", "Rule", "Severity", "Line:col", "Message"], findings)
    return out


def render(bundle: dict[str, Any]) -> str:
    plan = bundle["plan"]
    out = [
        f"# Data Plan Bundle: {esc(plan['name'])}",
        "",
        f"Plan {esc(plan['path'])} - owner {esc(plan['owner'])}, version "
        f"{esc(plan['version'])}, status {esc(plan['status'])}, {esc(plan['mode'])} mode.",
        "",
        "## Lint result per gate",
        "",
        *lint_table(bundle["lint"]),
    ]
    for sec in bundle["sections"]:
        out += ["", f"## {sec['number']}. {esc(sec['title'])}"]
        for item in sec["blocks"]:
            out += ["", *block(item)]
    return "\n".join(out) + "\n"
