"""`dataplan-lint init`: write a complete starter plan, guided or one-shot.

Guided mode asks the eight planning questions (`answers.QUESTIONS`); one-shot mode uses
the template defaults and records every answer as an assumption whose owner is the
placeholder `TBD`, which the linter reports until a person takes it. Either way the
capacity inputs come from the answers and `capacity.declared` is computed from them with
`dataplan_lint.checks.capacity_math`, the same formulas the capacity rules check.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dataplan_lint.authoring import answers as answers_mod
from dataplan_lint.authoring import templates, yaml_out
from dataplan_lint.authoring.answers import Answers
from dataplan_lint.core import units

DEFAULT_PATH = "dataplan.yaml"


class InitError(Exception):
    """A problem the user must fix (exit 2), such as an existing file without --force."""


def fill_capacity(plan: dict[str, Any]) -> None:
    """Compute `capacity.declared` (and the figures that repeat it) from the inputs."""
    from dataplan_lint.checks import capacity_math

    meta = plan.pop("_meta", {})
    capacity = plan["capacity"]
    declared: dict[str, Any] = {}
    capacity["declared"] = declared
    derived = capacity_math.derive(plan)
    for name, kind in capacity_math.DECLARED_KINDS.items():
        figure = derived.get(name)
        if figure is None or not math.isfinite(figure.value):
            continue
        if name == "partitions":
            declared[name] = _partitions_with_headroom(figure.value, derived, capacity)
        elif kind == "number":
            declared[name] = units.format_value("number", figure.value)
        else:
            declared[name] = units.format_value(kind, figure.value)
    if "lag_alert" in meta:
        declared["consumer_lag_threshold"] = units.duration(meta["lag_alert"])
    for source in plan.get("sources", []):
        if "partitions" in source and "partitions" in declared:
            source["partitions"] = declared["partitions"]
    state = sum(derived[n].value for n in ("window_state", "dedupe_state") if n in derived)
    if state > 0:
        # The state alert fires at half again the state the plan sizes for.
        for alert in plan.get("operations", {}).get("alerts", []):
            if alert.get("metric") == "state_size":
                alert["threshold"] = units.size(1.5 * state)
    storage = derived.get("retention_storage")
    cost = derived.get("monthly_cost")
    inputs = capacity["inputs"]
    for driver in capacity.get("cost_drivers", []):
        if driver["kind"] == "storage" and storage is not None and "price_per_gb_month" in inputs:
            driver["monthly"] = round(storage.value / 1e9 * inputs["price_per_gb_month"], 2)
        elif driver["kind"] == "compute" and cost is not None:
            driver["monthly"] = round(inputs["instances"] * inputs["hourly_rate"] * 730, 2)


def _partitions_with_headroom(needed: float, derived: Any, capacity: dict[str, Any]) -> int:
    """The partition count to declare: what peak throughput needs plus the plan's own
    headroom target (DP411), and never below what consumers need (DP4xx)."""
    throughput = derived.get("partitions_throughput")
    headroom = capacity.get("inputs", {}).get("headroom", 0)
    count = math.ceil(needed - 1e-9)
    if throughput is not None and isinstance(headroom, int | float) and headroom > 0:
        with_headroom = throughput.value * (1.0 + headroom)
        if math.isfinite(with_headroom):
            count = max(count, math.ceil(with_headroom - 1e-9))
    return count


def build_plan(template: str, answers: Answers, one_shot: bool) -> dict[str, Any]:
    plan = templates.build(template, answers, one_shot)
    fill_capacity(plan)
    return plan


def render(template: str, answers: Answers, one_shot: bool) -> str:
    plan = build_plan(template, answers, one_shot)
    mode = "one-shot" if one_shot else "guided"
    header = [
        "For a local copy of the schema (editors, offline use): "
        "dataplan-lint schema > dataplan.schema.json",
        f"Written by `dataplan-lint init --template {template}` ({mode} mode).",
        "capacity.declared is computed from capacity.inputs; change an input, then re-derive",
        "the figures (`dataplan-lint bundle` shows declared and derived side by side).",
    ]
    if one_shot:
        header.append(
            "Every assumption owned by TBD is an unknown: confirm it, give it an owner, and "
            "adjust the plan."
        )
    return yaml_out.dump(plan, header)


PromptFn = Callable[[str, str, Callable[[str], Any]], Any]


def click_prompt() -> PromptFn:
    import click

    def prompt(text: str, default: str, parse: Callable[[str], Any]) -> Any:
        def convert(raw: str) -> Any:
            try:
                return parse(raw)
            except answers_mod.AnswerError as exc:
                raise click.BadParameter(str(exc)) from None

        return click.prompt(f"  {text}", default=default, value_proc=convert)

    return prompt


def target_path(path: str) -> Path:
    """Where the plan goes: `path` itself for a file name, `path/dataplan.yaml` for a
    folder - one that exists, one written with a trailing slash (`plans/`), or a new
    name without a YAML suffix (`plans`)."""
    target = Path(path)
    folder = path.endswith(("/", os.sep)) or target.is_dir()
    if not folder and not target.exists():
        folder = target.suffix.lower() not in (".yaml", ".yml")
    return target / DEFAULT_PATH if folder else target


def run(
    path: str,
    template: str,
    one_shot: bool,
    force: bool,
    name: str | None,
    prompt: PromptFn | None = None,
    announce: Callable[[str], None] = print,
) -> tuple[Path, Answers]:
    """Write the plan; returns where and with which answers. Raises InitError."""
    from dataplan_lint.files.atomic import write_output

    target = target_path(path)
    if target.exists() and not force:
        raise InitError(f"{target} already exists; use --force to overwrite it")
    new_folder = target.name == DEFAULT_PATH and not target.parent.exists()
    if not new_folder and not target.parent.is_dir():
        raise InitError(f"{target.parent} is not a folder")
    defaults = answers_mod.DEFAULTS[template]
    if name:
        try:
            defaults = answers_mod.with_name(defaults, answers_mod._identifier(name))
        except answers_mod.AnswerError as exc:
            raise InitError(f"--name {name!r}: {exc}") from None
    chosen = defaults
    if not one_shot:
        chosen = answers_mod.ask(defaults, prompt or click_prompt(), announce)
    text = render(template, chosen, one_shot)
    try:
        if new_folder:
            target.parent.mkdir(parents=True, exist_ok=True)
        write_output(target, text)
    except OSError as exc:
        raise InitError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target, chosen
