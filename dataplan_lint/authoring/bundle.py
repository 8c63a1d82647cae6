"""`dataplan-lint bundle`: the Final Data Plan Bundle a reviewer reads.

`build(path)` checks the plan exactly as `check` does and turns it into one document: the
lint result per gate, then the thirteen bundle sections in order. Every section is a list
of blocks (paragraph, list, key-value table, table, mermaid), so Markdown, JSON and HTML
are three renderings of the same content. Plans are untrusted input: every value is read
defensively (a wrong type renders as text, a missing one as a dash) and escaped by the
renderer that writes it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dataplan_lint.core import quantities
from dataplan_lint.core.gates import GATE_TITLES

BUNDLE_FORMAT = 1
DASH = "-"

Block = dict[str, Any]


class BundleError(Exception):
    """The plan cannot be bundled (unreadable, or not a plan at all); exit 2."""


# --- defensive readers ---------------------------------------------------------------


def get(data: Any, *path: str | int) -> Any:
    node = data
    for key in path:
        if isinstance(key, int) and isinstance(node, list) and 0 <= key < len(node):
            node = node[key]
        elif isinstance(key, str) and isinstance(node, Mapping):
            node = node.get(key)
        else:
            return None
    return node


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def text(value: Any) -> str:
    """One line of plain text for any plan value."""
    if value is None or value == "" or value == [] or value == {}:
        return DASH
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        parts = [text(item) for item in value]
        return ("; " if any(" " in part for part in parts) else ", ").join(parts)
    if isinstance(value, Mapping):
        return "; ".join(f"{key}: {text(item)}" for key, item in value.items())
    return " ".join(str(value).split())


def seconds(value: Any) -> float | None:
    try:
        return quantities.parse("duration", value).value
    except (quantities.QuantityError, ValueError):
        return None


# --- blocks --------------------------------------------------------------------------


def paragraph(value: Any, label: str | None = None) -> Block:
    return {"type": "paragraph", "label": label, "text": text(value)}


def bullet_list(items: Iterable[Any], label: str | None = None) -> Block:
    return {"type": "list", "label": label, "items": [text(item) for item in items]}


def key_values(pairs: Iterable[tuple[str, Any]], label: str | None = None) -> Block:
    return {"type": "kv", "label": label, "items": [[key, text(value)] for key, value in pairs]}


def table(columns: list[str], rows: Iterable[Iterable[Any]], label: str | None = None) -> Block:
    return {
        "type": "table",
        "label": label,
        "columns": columns,
        "rows": [[text(cell) for cell in row] for row in rows],
    }


def nonempty(blocks: Iterable[Block | None]) -> list[Block]:
    kept: list[Block] = []
    for block in blocks:
        if block is None:
            continue
        if block["type"] == "table" and not block["rows"]:
            block = paragraph(None, block["label"])
        if block["type"] == "list" and not block["items"]:
            block = paragraph(None, block["label"])
        kept.append(block)
    return kept


def section(
    number: int, slug: str, title: str, gates: list[int], blocks: list[Block | None]
) -> dict[str, Any]:
    return {
        "number": number,
        "id": slug,
        "title": title,
        "gates": gates,
        "blocks": nonempty(blocks),
    }


# --- lint result ---------------------------------------------------------------------


def lint_result(findings: list[Any], checked: frozenset[int] | None = None) -> dict[str, Any]:
    """Findings per gate with a status; a gate whose rules did not run (`checked`, from
    pipeline.configured.checked_gates; None: all) is "not-checked", never "pass"."""
    from dataplan_lint.core.findings import Severity

    gates: dict[int, dict[str, Any]] = {
        gate: {
            "gate": gate,
            "title": title,
            "errors": 0,
            "warnings": 0,
            "infos": 0,
            "suppressed": 0,
            "findings": [],
        }
        for gate, title in GATE_TITLES.items()
    }
    for finding in findings:
        row = gates.setdefault(
            finding.gate,
            {
                "gate": finding.gate,
                "title": f"Gate {finding.gate}",
                "errors": 0,
                "warnings": 0,
                "infos": 0,
                "suppressed": 0,
                "findings": [],
            },
        )
        if finding.suppression is not None:
            row["suppressed"] += 1
            continue
        key = {Severity.ERROR: "errors", Severity.WARNING: "warnings"}.get(
            finding.severity, "infos"
        )
        row[key] += 1
        row["findings"].append(
            {
                "rule_id": finding.rule_id,
                "severity": finding.severity.label,
                "line": finding.line,
                "col": finding.col,
                "pointer": finding.pointer,
                "message": finding.message,
            }
        )
    ordered = [gates[gate] for gate in sorted(gates)]
    for row in ordered:
        row["status"] = "fail" if row["errors"] else "warn" if row["warnings"] else "pass"
        unseen = not (row["infos"] or row["suppressed"])
        if row["status"] == "pass" and unseen and checked is not None:
            row["status"] = "pass" if row["gate"] in checked else "not-checked"
    totals = {
        key: sum(row[key] for row in ordered)
        for key in ("errors", "warnings", "infos", "suppressed")
    }
    return {"passed": totals["errors"] == 0, "totals": totals, "gates": ordered}


# --- latency budget ------------------------------------------------------------------


def latency_budget(data: Any) -> dict[str, Any]:
    budget = as_map(get(data, "event_semantics", "latency_budget"))
    slo_raw = get(data, "event_semantics", "freshness_slo", "target")
    slo = seconds(slo_raw)
    legs = []
    running = 0.0
    complete = True
    for leg in as_list(budget.get("legs")):
        leg = as_map(leg)
        value = seconds(leg.get("budget"))
        if value is None:
            complete = False
        else:
            running += value
        legs.append(
            {
                "name": text(leg.get("name")),
                "from": text(leg.get("from")),
                "to": text(leg.get("to")),
                "budget": text(leg.get("budget")),
                "seconds": value,
                "cumulative_seconds": running if value is not None else None,
                "share_of_slo": (value / slo) if value is not None and slo else None,
            }
        )
    end_to_end = seconds(budget.get("end_to_end"))
    alert_at = seconds(budget.get("alert_at"))
    result = {
        "legs": legs,
        "total_seconds": running,
        "total": quantities.describe_seconds(running) if legs else DASH,
        "complete": complete,
        "end_to_end": text(budget.get("end_to_end")),
        "end_to_end_seconds": end_to_end,
        "alert_at": text(budget.get("alert_at")),
        "alert_at_seconds": alert_at,
        "slo": text(slo_raw),
        "slo_seconds": slo,
        "percentile": text(get(data, "event_semantics", "freshness_slo", "percentile")),
        "within_end_to_end": None if end_to_end is None else running <= end_to_end,
        "within_slo": None if slo is None else running <= slo,
        "slack_seconds": None if slo is None else slo - running,
    }
    return result


def latency_blocks(budget: dict[str, Any]) -> list[Block]:
    rows = []
    for leg in budget["legs"]:
        share = leg["share_of_slo"]
        cumulative = leg["cumulative_seconds"]
        rows.append(
            [
                leg["name"],
                f"{leg['from']} → {leg['to']}",
                leg["budget"],
                quantities.describe_seconds(cumulative) if cumulative is not None else DASH,
                f"{share:.0%}" if share is not None else DASH,
            ]
        )
    slo = budget["slo_seconds"]
    total = budget["total_seconds"]
    rows.append(
        [
            "total",
            "sum of the legs",
            budget["total"],
            budget["total"],
            f"{total / slo:.0%}" if slo else DASH,
        ]
    )
    verdict = []
    if budget["within_end_to_end"] is not None:
        verdict.append(
            f"The legs add up to {budget['total']}, "
            + ("within" if budget["within_end_to_end"] else "OVER")
            + f" the end-to-end target of {budget['end_to_end']}"
        )
    if budget["slo_seconds"] is not None:
        slack = budget["slack_seconds"]
        verdict.append(
            f"{'within' if budget['within_slo'] else 'OVER'} the freshness SLO of "
            f"{budget['slo']} ({budget['percentile']})"
            + (f" with {quantities.describe_seconds(slack)} to spare" if slack > 0 else "")
        )
    if budget["alert_at_seconds"] is not None:
        verdict.append(f"the latency alert fires at {budget['alert_at']}")
    if not budget["complete"]:
        verdict.append("some legs have no readable budget and are not counted")
    return [
        table(
            ["Leg", "From → to", "Budget", "Cumulative", "Share of SLO"],
            rows,
            label="Latency budget against the SLO",
        ),
        paragraph("; ".join(verdict) + "." if verdict else None),
    ]


# --- capacity ------------------------------------------------------------------------


def capacity_figures(data: Any, tolerance: float) -> dict[str, Any]:
    from dataplan_lint.checks import capacity_math as cm

    derived = cm.derive(data)
    missing = cm.missing_inputs(data)
    declared = as_map(get(data, "capacity", "declared"))
    rows = []
    for name in cm.DECLARED_KINDS:
        figure = derived.get(name)
        if name not in declared and figure is None:
            continue
        row: dict[str, Any] = {
            "figure": name,
            "declared": text(declared.get(name)) if name in declared else None,
            "derived": figure.text if figure is not None else None,
            "derived_value": _finite(figure.value) if figure is not None else None,
            "declared_value": figure.declared_value if figure is not None else None,
            "unit_kind": figure.unit_kind if figure is not None else None,
            "formula": figure.formula if figure is not None else None,
            "difference": None,
        }
        if figure is None:
            row["status"] = "missing inputs: " + ", ".join(missing.get(name, ["unknown"]))
        elif name not in declared:
            row["status"] = "not declared"
        elif figure.declared_value is None:
            row["status"] = "declared value unreadable"
        elif math.isinf(figure.value):
            row["status"] = "never converges"
        elif name == "partitions":
            enough = figure.declared_value >= figure.value
            row["status"] = (
                f"ok ({fmt_count(figure.declared_value)} >= {fmt_count(figure.value)})"
                if enough
                else f"too few (needs {fmt_count(figure.value)})"
            )
        else:
            difference = cm.relative_difference(figure.declared_value, figure.value)
            row["difference"] = difference
            row["status"] = "ok" if difference <= tolerance else "differs"
        rows.append(row)
    others = [
        {"figure": f.name, "derived": f.text, "formula": f.formula}
        for name, f in derived.items()
        if name not in cm.DECLARED_KINDS
    ]
    return {
        "tolerance": tolerance,
        "rows": rows,
        "other_derived": others,
        "partitions": partition_capacity(data, derived),
    }


def fmt_count(value: float) -> str:
    return f"{value:,.0f}"


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def partition_capacity(data: Any, derived: Mapping[str, Any]) -> dict[str, Any] | None:
    """Peak ingest against what the declared partitions carry (bytes and events)."""
    from dataplan_lint.checks import capacity_math as cm

    inputs = as_map(get(data, "capacity", "inputs"))
    partitions = cm.parse_value("number", get(data, "capacity", "declared", "partitions"))
    if partitions is None:
        figure = derived.get("partitions")
        partitions = figure.value if figure is not None else None
    per_partition = cm.parse_value("byte-rate", inputs.get("per_partition_throughput"))
    peak = derived.get("peak_ingest")
    if partitions is None or per_partition is None or peak is None or partitions <= 0:
        return None
    capacity = partitions * per_partition
    result: dict[str, Any] = {
        "partitions": int(partitions),
        "per_partition": cm.describe(per_partition, cm.BYTE_RATE),
        "peak_ingest": peak.text,
        "peak_ingest_value": peak.value,
        "capacity": cm.describe(capacity, cm.BYTE_RATE),
        "capacity_value": capacity,
        "utilisation": peak.value / capacity,
    }
    per_consumer = cm.parse_value("event-rate", inputs.get("per_consumer_throughput"))
    peak_eps = derived.get("peak_eps")
    if per_consumer and peak_eps is not None:
        result["peak_eps"] = peak_eps.text
        result["peak_eps_value"] = peak_eps.value
        result["event_capacity"] = cm.describe(partitions * per_consumer, cm.EVENT_RATE)
        result["event_capacity_value"] = partitions * per_consumer
        result["event_utilisation"] = peak_eps.value / (partitions * per_consumer)
    return result


def capacity_blocks(figures: dict[str, Any], data: Any) -> list[Block | None]:
    rows = []
    for row in figures["rows"]:
        difference = row["difference"]
        rows.append(
            [
                row["figure"],
                row["declared"],
                row["derived"],
                f"{difference:.1%}"
                if difference is not None and difference < 10
                else ("over 1000%" if difference is not None else None),
                row["status"],
                row["formula"],
            ]
        )
    capacity = as_map(get(data, "capacity"))
    part = figures["partitions"]
    part_text = None
    if part is not None:
        part_text = (
            f"Peak ingest {part['peak_ingest']} against {part['partitions']} partitions x "
            f"{part['per_partition']} = {part['capacity']} ({part['utilisation']:.0%} used)"
        )
        if "event_capacity" in part:
            part_text += (
                f"; peak {part['peak_eps']} against {part['event_capacity']} of consumer "
                f"capacity ({part['event_utilisation']:.0%} used)"
            )
        part_text += "."
    envelope = as_map(capacity.get("runtime_envelope"))
    scale = as_map(capacity.get("scale_path_10x"))
    return [
        table(
            ["Figure", "Declared", "Derived", "Difference", "Status", "Formula"],
            rows,
            label=f"Declared vs derived (tolerance {figures['tolerance']:.0%})",
        ),
        paragraph(part_text, "Partition capacity") if part_text else None,
        key_values(as_map(capacity.get("inputs")).items(), "Inputs"),
        table(
            ["Cost driver", "Kind", "Monthly", "Description"],
            (
                [get(d, "name"), get(d, "kind"), get(d, "monthly"), get(d, "description")]
                for d in as_list(capacity.get("cost_drivers"))
            ),
            label="Cost drivers",
        ),
        key_values(envelope.items(), "Runtime envelope") if envelope else None,
        key_values(
            [
                ("Throughput", scale.get("throughput")),
                ("State", scale.get("state")),
                ("Changes", scale.get("changes")),
                ("Owner", scale.get("owner")),
            ],
            "Path to 10x",
        ),
        table(
            ["Figure", "Derived", "Formula"],
            ([o["figure"], o["derived"], o["formula"]] for o in figures["other_derived"]),
            label="Other derived figures",
        ),
    ]


# --- topology ------------------------------------------------------------------------


def topology(data: Any) -> dict[str, Any]:
    from dataplan_lint.authoring import mermaid

    return mermaid.topology(data)


# --- the thirteen sections -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Parts:
    """What the sections read: the plan, its main sections, and the bundle's figures."""

    data: Any
    budget: dict[str, Any]
    figures: dict[str, Any]
    topo: dict[str, Any]
    ctx: Mapping[str, Any]
    es: Mapping[str, Any]
    ing: Mapping[str, Any]
    quality: Mapping[str, Any]
    ops: Mapping[str, Any]
    back: Mapping[str, Any]
    val: Mapping[str, Any]
    contracts: list[Any]
    meta: Mapping[str, Any]


def _owned(items: Any, *fields: str) -> list[list[Any]]:
    return [[get(item, f) for f in fields] for item in as_list(items)]


def sections(
    data: Any, budget: dict[str, Any], figures: dict[str, Any], topo: dict[str, Any]
) -> list[dict[str, Any]]:
    """The thirteen sections, in order (one function each, below)."""
    parts = _Parts(
        data,
        budget,
        figures,
        topo,
        ctx=as_map(get(data, "context")),
        es=as_map(get(data, "event_semantics")),
        ing=as_map(get(data, "ingestion")),
        quality=as_map(get(data, "quality")),
        ops=as_map(get(data, "operations")),
        back=as_map(get(data, "backfill")),
        val=as_map(get(data, "validation")),
        contracts=as_list(get(data, "contracts")),
        meta=as_map(get(data, "metadata")),
    )
    return [build_section(parts) for build_section in SECTIONS]


def _problem_and_goals(parts: _Parts) -> dict[str, Any]:
    """Section 1: Problem and goals."""
    ctx, meta = parts.ctx, parts.meta
    return section(
        1,
        "problem-and-goals",
        "Problem and goals",
        [1],
        [
            paragraph(meta.get("description"), "Summary") if meta.get("description") else None,
            paragraph(ctx.get("problem"), "Problem"),
            bullet_list(as_list(ctx.get("goals")), "Goals"),
            table(
                ["Consumer", "Kind", "Owner", "Decisions", "Freshness", "Critical"],
                _owned(
                    ctx.get("consumers"),
                    "name",
                    "kind",
                    "owner",
                    "decisions",
                    "freshness",
                    "critical",
                ),
                label="Consumers",
            ),
            bullet_list(as_list(get(ctx, "scope", "in")), "In scope"),
            bullet_list(as_list(get(ctx, "scope", "out")), "Out of scope"),
            key_values(
                [
                    ("Latency class", ctx.get("latency_class")),
                    ("Claims real time", ctx.get("claims_real_time")),
                ],
            ),
        ],
    )


def _assumptions(parts: _Parts) -> dict[str, Any]:
    """Section 2: Assumptions."""
    data = parts.data
    return section(
        2,
        "assumptions",
        "Assumptions",
        [12],
        [
            table(
                ["Id", "Gate", "Statement", "Owner", "Validate by", "Impact if false"],
                _owned(
                    get(data, "assumptions"),
                    "id",
                    "gate",
                    "statement",
                    "owner",
                    "validate_by",
                    "impact",
                ),
            ),
        ],
    )


def _contracts_and_ownership(parts: _Parts) -> dict[str, Any]:
    """Section 3: Contracts and ownership."""
    contracts, data = parts.contracts, parts.data
    return section(
        3,
        "contracts-and-ownership",
        "Contracts and ownership",
        [2, 7],
        [
            table(
                [
                    "Source",
                    "System",
                    "Kind",
                    "Owner",
                    "Contract",
                    "Mutation",
                    "Corrections",
                    "Delivery",
                ],
                [
                    [
                        get(s, "id"),
                        get(s, "system"),
                        get(s, "kind"),
                        get(s, "owner"),
                        get(s, "contract"),
                        get(s, "mutation"),
                        get(s, "corrections", "how"),
                        get(s, "delivery"),
                    ]
                    for s in as_list(get(data, "sources"))
                ],
                label="Sources",
            ),
            table(
                [
                    "Contract",
                    "Kind",
                    "Version owner",
                    "Version",
                    "Format",
                    "Consumers",
                    "Fields",
                ],
                [
                    [
                        get(c, "name"),
                        get(c, "kind"),
                        get(c, "owner"),
                        get(c, "version"),
                        get(c, "format"),
                        get(c, "consumers"),
                        len(as_list(get(c, "fields"))) or get(c, "schema_file"),
                    ]
                    for c in contracts
                ],
                label="Contracts",
            ),
        ],
    )


def _event_semantics_and_freshness(parts: _Parts) -> dict[str, Any]:
    """Section 4: Event semantics and freshness model."""
    es, budget = parts.es, parts.budget
    return section(
        4,
        "event-semantics-and-freshness",
        "Event semantics and freshness model",
        [3],
        [
            key_values(
                [
                    ("Time basis", es.get("time")),
                    ("Event-time field", es.get("event_time_field")),
                    ("Event-time owner", es.get("event_time_owner")),
                    ("Ordering", get(es, "ordering")),
                    ("Duplicates expected", get(es, "duplicates", "expected")),
                    ("Dedupe", get(es, "duplicates", "dedupe")),
                    ("Lateness", es.get("lateness")),
                    ("Watermark", es.get("watermark")),
                    ("Allowed lateness", es.get("allowed_lateness")),
                    ("Late-data policy", es.get("late_data_policy")),
                    ("Freshness SLO", es.get("freshness_slo")),
                ]
            ),
            table(
                ["Window", "Kind", "Size", "Slide / gap", "Emit"],
                [
                    [
                        get(w, "name"),
                        get(w, "kind"),
                        get(w, "size"),
                        get(w, "slide") or get(w, "gap"),
                        get(w, "emit"),
                    ]
                    for w in as_list(es.get("windows"))
                ],
                label="Windows",
            )
            if es.get("windows")
            else None,
            *latency_blocks(budget),
        ],
    )


def _capacity(parts: _Parts) -> dict[str, Any]:
    """Section 5: Capacity: declared vs derived."""
    data, figures = parts.data, parts.figures
    return section(
        5, "capacity", "Capacity: declared vs derived", [4], capacity_blocks(figures, data)
    )


def _ingestion_and_orchestration(parts: _Parts) -> dict[str, Any]:
    """Section 6: Ingestion and orchestration."""
    ing, topo = parts.ing, parts.topo
    return section(
        6,
        "ingestion-and-orchestration",
        "Ingestion and orchestration",
        [5],
        [
            key_values(
                [
                    ("Pattern", ing.get("pattern")),
                    ("Update semantics", ing.get("update_semantics")),
                    ("Delivery", ing.get("delivery")),
                    ("Sink", ing.get("sink")),
                    ("Trigger", ing.get("trigger")),
                    ("Concurrency", ing.get("concurrency")),
                    ("Checkpointing", ing.get("checkpointing")),
                    ("Retry", get(ing, "failure_handling", "retry")),
                    ("Dead letter", get(ing, "failure_handling", "dead_letter")),
                    ("Quarantine", get(ing, "failure_handling", "quarantine")),
                    ("Recovery", ing.get("recovery")),
                ]
            ),
            table(
                ["Stage", "Kind", "Depends on", "Owner"],
                _owned(ing.get("topology"), "stage", "kind", "depends_on", "owner"),
                label="Stages",
            ),
            {"type": "mermaid", "label": "Topology", "code": topo["mermaid"]},
        ],
    )


def _modeling_and_serving(parts: _Parts) -> dict[str, Any]:
    """Section 7: Modeling and serving."""
    data = parts.data
    return section(
        7,
        "modeling-and-serving",
        "Modeling and serving",
        [6],
        [
            table(
                [
                    "Layer",
                    "Kind",
                    "Owner",
                    "Materialization",
                    "Stateful",
                    "Incremental",
                    "Handles",
                    "Reads from",
                ],
                [
                    [
                        get(layer, "name"),
                        get(layer, "kind"),
                        get(layer, "owner"),
                        get(layer, "materialization"),
                        get(layer, "stateful"),
                        get(layer, "incremental", "strategy"),
                        get(layer, "incremental", "handles"),
                        get(layer, "reads_from"),
                    ]
                    for layer in as_list(get(data, "modeling", "layers"))
                ],
            ),
        ],
    )


def _quality_and_reconciliation(parts: _Parts) -> dict[str, Any]:
    """Section 8: Quality and reconciliation."""
    quality = parts.quality
    return section(
        8,
        "quality-and-reconciliation",
        "Quality and reconciliation",
        [8],
        [
            table(
                ["Check", "Dataset", "Kind", "Column", "Threshold", "Severity", "Owner"],
                _owned(
                    quality.get("checks"),
                    "id",
                    "dataset",
                    "kind",
                    "column",
                    "threshold",
                    "severity",
                    "owner",
                ),
                label="Checks",
            ),
            table(
                [
                    "Reconciliation",
                    "Compares",
                    "Source",
                    "Target",
                    "Tolerance",
                    "Cadence",
                    "Owner",
                ],
                _owned(
                    quality.get("reconciliation"),
                    "id",
                    "compares",
                    "source",
                    "target",
                    "tolerance",
                    "cadence",
                    "owner",
                ),
                label="Reconciliation",
            ),
            key_values(as_map(quality.get("drift")).items(), "Drift")
            if quality.get("drift")
            else None,
            bullet_list(
                as_list(get(quality, "escalation", "path")),
                f"Escalation (owner {text(get(quality, 'escalation', 'owner'))})",
            ),
        ],
    )


def _schema_evolution(parts: _Parts) -> dict[str, Any]:
    """Section 9: Schema evolution and compatibility."""
    contracts = parts.contracts
    return section(
        9,
        "schema-evolution",
        "Schema evolution and compatibility",
        [7],
        [
            table(
                [
                    "Contract",
                    "Compatibility",
                    "Versioning",
                    "Version",
                    "History",
                    "Deprecation window",
                    "Migration steps",
                    "Waivers",
                ],
                [
                    [
                        get(c, "name"),
                        get(c, "compatibility"),
                        get(c, "versioning"),
                        get(c, "version"),
                        [get(h, "version") for h in as_list(get(c, "history"))],
                        get(c, "deprecation_window"),
                        len(as_list(get(c, "migration"))),
                        len(as_list(get(c, "waivers"))),
                    ]
                    for c in contracts
                ],
            ),
            *[
                bullet_list(as_list(get(c, "migration")), f"Migration: {text(get(c, 'name'))}")
                for c in contracts
                if as_list(get(c, "migration"))
            ],
        ],
    )


def _operations(parts: _Parts) -> dict[str, Any]:
    """Section 10: Operations."""
    ops = parts.ops
    return section(
        10,
        "operations",
        "Operations",
        [9],
        [
            table(
                ["Alert", "Metric", "Condition", "For", "Severity", "Owner", "Runbook"],
                [
                    [
                        get(a, "id"),
                        get(a, "metric"),
                        f"{text(get(a, 'comparator'))} {text(get(a, 'threshold'))}",
                        get(a, "for"),
                        get(a, "severity"),
                        get(a, "owner"),
                        get(a, "runbook"),
                    ]
                    for a in as_list(ops.get("alerts"))
                ],
                label="Alerts",
            ),
            key_values(
                [
                    ("Metrics", ops.get("metrics")),
                    ("On call", ops.get("on_call")),
                    ("Replay workflow", ops.get("replay_workflow")),
                    ("Break glass", ops.get("break_glass")),
                    ("Cost guardrails", ops.get("cost_guardrails")),
                ]
            ),
        ],
    )


def _backfill_cutover_rollback(parts: _Parts) -> dict[str, Any]:
    """Section 11: Backfill, cutover and rollback."""
    back = parts.back
    return section(
        11,
        "backfill-cutover-rollback",
        "Backfill, cutover and rollback",
        [10],
        [
            key_values(
                [
                    ("Replay", back.get("replay")),
                    ("Idempotency", back.get("idempotency")),
                    ("Estimate", back.get("estimate")),
                    ("Cutover strategy", get(back, "cutover", "strategy")),
                    ("Cutover owner", get(back, "cutover", "owner")),
                ]
            ),
            table(
                ["Stage", "Traffic", "Duration", "Exit criteria"],
                _owned(
                    get(back, "cutover", "stages"),
                    "name",
                    "traffic",
                    "duration",
                    "exit_criteria",
                ),
                label="Cutover stages",
            ),
            table(
                ["Checkpoint", "Metric", "Comparator", "Threshold"],
                _owned(
                    get(back, "cutover", "checkpoints"),
                    "name",
                    "metric",
                    "comparator",
                    "threshold",
                ),
                label="Validation checkpoints",
            ),
            bullet_list(as_list(get(back, "cutover", "go_no_go")), "Go/no-go"),
            table(
                ["Rollback trigger", "Comparator", "Threshold", "For"],
                _owned(
                    get(back, "rollback", "triggers"),
                    "metric",
                    "comparator",
                    "threshold",
                    "for",
                ),
                label=f"Rollback (owner {text(get(back, 'rollback', 'owner'))})",
            ),
            bullet_list(as_list(get(back, "rollback", "steps")), "Rollback steps"),
            bullet_list(as_list(get(back, "rollback", "safeguards")), "Safeguards"),
        ],
    )


def _validation_and_acceptance(parts: _Parts) -> dict[str, Any]:
    """Section 12: Validation and acceptance."""
    val = parts.val
    return section(
        12,
        "validation-and-acceptance",
        "Validation and acceptance",
        [11],
        [
            bullet_list(as_list(val.get("pre_launch")), "Pre-launch"),
            key_values(as_map(val.get("parallel_run")).items(), "Parallel run")
            if val.get("parallel_run")
            else None,
            bullet_list(as_list(val.get("post_cutover")), "Post-cutover"),
            bullet_list(as_list(val.get("recovery")), "Recovery"),
            key_values([("Stabilization window", val.get("stabilization_window"))]),
            table(
                ["Id", "Criterion", "Metric", "Threshold"],
                _owned(val.get("acceptance"), "id", "criterion", "metric", "threshold"),
                label="Acceptance criteria",
            ),
            bullet_list(as_list(val.get("release_gates")), "Release gates"),
            table(
                ["Metric", "Threshold", "Action"],
                _owned(val.get("incident_thresholds"), "metric", "threshold", "action"),
                label="Incident thresholds",
            ),
        ],
    )


def _open_risks(parts: _Parts) -> dict[str, Any]:
    """Section 13: Open risks with owners."""
    data = parts.data
    return section(
        13,
        "open-risks",
        "Open risks with owners",
        [12],
        [
            table(
                [
                    "Id",
                    "Risk",
                    "Owner",
                    "Likelihood",
                    "Impact",
                    "Mitigation",
                    "Follow-up",
                    "Due",
                ],
                _owned(
                    get(data, "risks"),
                    "id",
                    "risk",
                    "owner",
                    "likelihood",
                    "impact",
                    "mitigation",
                    "follow_up",
                    "due",
                ),
            ),
        ],
    )


SECTIONS = (
    _problem_and_goals,
    _assumptions,
    _contracts_and_ownership,
    _event_semantics_and_freshness,
    _capacity,
    _ingestion_and_orchestration,
    _modeling_and_serving,
    _quality_and_reconciliation,
    _schema_evolution,
    _operations,
    _backfill_cutover_rollback,
    _validation_and_acceptance,
    _open_risks,
)


# --- entry points --------------------------------------------------------------------


def build(path: str | Path, config_file: str | Path | None = None) -> dict[str, Any]:
    """Check the plan at `path` as `check` would and assemble the bundle as plain data.

    The plan's own configuration applies (the nearest config file, or `config_file`), so
    the lint result and the capacity tolerance match what `check` reports for it.
    """
    from dataplan_lint.config.file import ConfigError, ConfigResolver
    from dataplan_lint.core.settings import Settings
    from dataplan_lint.files.discovery import Discovered, display_path
    from dataplan_lint.files.loader import load_text
    from dataplan_lint.pipeline.configured import (
        check_configured,
        checked_gates,
        per_file_settings,
        resolve_all,
    )

    target = Path(path)
    if target.is_dir():
        raise BundleError(f"{path}: is a directory, not a plan file")
    if not target.exists():
        raise BundleError(f"{path}: no such file")
    display = display_path(target)
    item = Discovered(target, display)
    try:
        configs = resolve_all([item], ConfigResolver(Path(config_file) if config_file else None))
    except ConfigError as exc:
        raise BundleError(f"config error: {exc}") from None
    settings = per_file_settings(configs, Settings())
    report = check_configured([item], settings)[0]
    if report.input_error:
        raise BundleError(report.input_error)
    loaded = load_text(report.text or "", display)
    data = loaded.plan.data if loaded.plan is not None else None
    if not isinstance(data, Mapping):
        problems = "; ".join(
            f"{f.rule_id} {f.line}:{f.col} {f.message}" for f in report.findings[:3]
        )
        raise BundleError(f"{display}: not a readable plan ({problems or 'no mapping'})")
    tolerance = configs[0].tolerance
    if not isinstance(tolerance, int | float) or isinstance(tolerance, bool):
        tolerance = 0.10
    budget = latency_budget(data)
    figures = capacity_figures(data, float(tolerance))
    topo = topology(data)
    meta = as_map(data.get("metadata"))
    return {
        "bundle_format": BUNDLE_FORMAT,
        "plan": {
            "path": display,
            "name": text(meta.get("name")),
            "owner": text(meta.get("owner")),
            "version": text(meta.get("version")),
            "status": text(meta.get("status")),
            "mode": text(meta.get("mode")),
        },
        "lint": lint_result(report.findings, checked_gates(settings)),
        "latency_budget": budget,
        "capacity": figures,
        "topology": topo,
        "sections": sections(data, budget, figures, topo),
    }


def render(path: str | Path, fmt: str, config_file: str | Path | None = None) -> str:
    bundle = build(path, config_file)
    if fmt == "json":
        from dataplan_lint.core.safe_text import dump_json

        return dump_json(bundle, allow_nan=False)
    if fmt == "html":
        from dataplan_lint.authoring import bundle_html

        return bundle_html.render(bundle)
    from dataplan_lint.authoring import bundle_md

    return bundle_md.render(bundle)
