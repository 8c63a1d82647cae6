"""Render a bundle (see `bundle.build`) as one self-contained HTML page.

No JavaScript, no external resources: the stylesheet is inline and a Content-Security-
Policy meta tag forbids scripts and network loads, as a second line of defence behind
escaping every piece of plan text with `html.escape`. Three pictures open the page, each
under its heading with a text alternative: the topology (`topology_svg`, laid out by
`layout`), the latency budget and capacity declared vs derived (`svg`). The Mermaid
source of the same graph is kept, folded, for documents that draw Mermaid.
"""

from __future__ import annotations

from html import escape
from typing import Any

from dataplan_lint.authoring import svg

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;
max-width:1100px;padding:0 1rem;color:#1f2328}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}.label{font-weight:600;margin:.8rem 0 .2rem}
.pass{color:#1a7f37}.not-checked{color:#6e7781}.warn{color:#9a6700}.fail{color:#cf222e;font-weight:600}
pre{background:#f6f8fa;padding:.6rem;overflow:auto}
h3{font-size:1.05rem;margin:1.4rem 0 .4rem}
figure{margin:0 0 1rem}figcaption{color:#57606a;font-size:.9rem;margin-top:.2rem}
.chart{max-width:100%;height:auto;display:block}
.chart text{font:12px sans-serif;fill:#1f2328}.chart .mark{font-size:11px}
.chart .band{font-weight:600;fill:#57606a}.chart .name{font-weight:600}
.chart .kind{font-size:10.5px;fill:#57606a}.chart .note{font-size:11.5px;fill:#57606a}
.chart .inbar{fill:#ffffff;font-size:11px;font-weight:600}.chart .mark{font-weight:600}
.chart .bad{fill:#cf222e;font-weight:600}.chart .fig{font-weight:600}
.chart .head{font-weight:600;fill:#57606a}.chart .unit{font-size:10.5px;fill:#57606a}
.empty{color:#57606a;font-style:italic}
""".strip()


def e(value: Any) -> str:
    return escape(str(value), quote=True)


def _table(columns: list[str], rows: list[list[Any]], classes: list[str] | None = None) -> str:
    head = "".join(f"<th>{e(c)}</th>" for c in columns)
    body = []
    for index, row in enumerate(rows):
        css = f' class="{e(classes[index])}"' if classes else ""
        body.append(f"<tr{css}>" + "".join(f"<td>{e(cell)}</td>" for cell in row) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def block(item: dict[str, Any]) -> str:
    label = item.get("label")
    kind = item["type"]
    out = []
    if label and kind != "paragraph":
        out.append(f'<p class="label">{e(label)}</p>')
    if kind == "paragraph":
        prefix = f"<strong>{e(label)}:</strong> " if label else ""
        out.append(f"<p>{prefix}{e(item['text'])}</p>")
    elif kind == "list":
        out.append("<ul>" + "".join(f"<li>{e(entry)}</li>" for entry in item["items"]) + "</ul>")
    elif kind == "kv":
        out.append(_table(["Item", "Value"], item["items"]))
    elif kind == "table":
        out.append(_table(item["columns"], item["rows"]))
    elif kind == "mermaid":
        out.append(
            "<details><summary>Mermaid source (the diagram at the top, for documents that "
            f'draw Mermaid)</summary><pre class="mermaid-source">{e(item["code"])}</pre></details>'
        )
    return "".join(out)


def lint_html(lint: dict[str, Any]) -> str:
    totals = lint["totals"]
    verdict = "passes" if lint["passed"] else "fails"
    rows = [
        [
            g["gate"],
            g["title"],
            g["status"].replace("-", " "),
            g["errors"],
            g["warnings"],
            g["infos"],
        ]
        for g in lint["gates"]
    ]
    out = [
        f'<p class="{"pass" if lint["passed"] else "fail"}">The plan {verdict} '
        f"<code>dataplan-lint check</code>: {e(totals['errors'])} errors, "
        f"{e(totals['warnings'])} warnings, {e(totals['infos'])} info.</p>",
        _table(
            ["Gate", "Title", "Status", "Errors", "Warnings", "Info"],
            rows,
            [g["status"] for g in lint["gates"]],
        ),
    ]
    findings = [
        [g["gate"], f["rule_id"], f["severity"], f"{f['line']}:{f['col']}", f["message"]]
        for g in lint["gates"]
        for f in g["findings"]
    ]
    if findings:
        out.append('<p class="label">Findings</p>')
        out.append(_table(["Gate", "Rule", "Severity", "Line:col", "Message"], findings))
    return "".join(out)


def pictures(bundle: dict[str, Any]) -> str:
    """The three pictures a reviewer looks at first, each under its heading."""
    from dataplan_lint.authoring import topology_svg

    shown = [
        (
            "topology",
            "Topology",
            topology_svg.topology_chart(bundle["topology"]),
            "Sources, ingestion stages, model layers and consumers; arrows follow the "
            "plan's references (see 6. Ingestion and 7. Modeling for the tables).",
            "The plan declares no sources, stages, layers or consumers.",
        ),
        (
            "latency",
            "Latency budget against the SLO",
            svg.latency_chart(bundle["latency_budget"]),
            "Each leg's budget stacked end to end against the end-to-end target, the alert "
            "level and the freshness SLO (the table is in 4. Event semantics).",
            "The plan has no latency legs with a readable budget.",
        ),
        (
            "capacity",
            "Capacity: declared vs derived",
            svg.capacity_chart(bundle["capacity"]),
            "Each declared figure against the one derived from the inputs, with the "
            "tolerance band around the derived value (the table is in 5. Capacity).",
            "The plan declares no capacity figures that can be derived.",
        ),
    ]
    out = ['<section id="at-a-glance"><h2>At a glance</h2>']
    for slug, title, chart, caption, empty in shown:
        out.append(f'<h3 id="{slug}-picture">{e(title)}</h3>')
        if chart:
            out.append(
                f'<figure class="chart-figure">{chart}'
                f"<figcaption>{e(caption)}</figcaption></figure>"
            )
        else:
            out.append(f'<p class="empty">{e(empty)}</p>')
    out.append("</section>")
    return "".join(out)


def render(bundle: dict[str, Any]) -> str:
    plan = bundle["plan"]
    charts = {"capacity": svg.throughput_chart(bundle["capacity"]["partitions"])}
    body = [
        f"<h1>Data Plan Bundle: {e(plan['name'])}</h1>",
        f"<p>Plan {e(plan['path'])} - owner {e(plan['owner'])}, version {e(plan['version'])}, "
        f"status {e(plan['status'])}, {e(plan['mode'])} mode.</p>",
        pictures(bundle),
        '<h2 id="lint-result">Lint result per gate</h2>',
        lint_html(bundle["lint"]),
    ]
    for sec in bundle["sections"]:
        body.append(f'<section id="{e(sec["id"])}">')
        body.append(f"<h2>{e(sec['number'])}. {e(sec['title'])}</h2>")
        chart = charts.get(sec["id"])
        if chart:
            body.append(f'<figure class="chart-figure">{chart}</figure>')
        body.extend(block(item) for item in sec["blocks"])
        body.append("</section>")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{e(CSP)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Data Plan Bundle: {e(plan['name'])}</title>"
        f"<style>{STYLE}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
