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

from dataplan_lint import __version__
from dataplan_lint.authoring import answers as answers_mod
from dataplan_lint.authoring import templates, yaml_out
from dataplan_lint.authoring.answers import Answers
from dataplan_lint.core import units

DEFAULT_PATH = "dataplan.yaml"
# Where `init` writes the schema for editors, below the repository's top folder (or the
# plan's folder outside a repository), unless --schema-file names another place.
SCHEMA_FILE = Path(".dataplan") / "dataplan.schema.json"
# The exported schema committed in this repository, at the release tag of this version:
# the modeline of `init --no-schema-file` (it resolves once the tag is published).
RELEASED_SCHEMA = (
    f"https://raw.githubusercontent.com/dataplan-lint/dataplan-lint/v{__version__}/"
    "schemas/editor/dataplan.schema.json"
)


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


def render(
    template: str, answers: Answers, one_shot: bool, schema_ref: str = RELEASED_SCHEMA
) -> str:
    plan = build_plan(template, answers, one_shot)
    mode = "one-shot" if one_shot else "guided"
    header = [
        "The line above points editors (yaml-language-server) at the plan schema; "
        "`dataplan-lint schema --output FILE` writes a current copy.",
        f"Written by `dataplan-lint init --template {template}` ({mode} mode).",
        "capacity.declared is computed from capacity.inputs; change an input, then re-derive",
        "the figures (`dataplan-lint bundle` shows declared and derived side by side).",
    ]
    if one_shot:
        header.append(
            "Every assumption owned by TBD is an unknown: confirm it, give it an owner, and "
            "adjust the plan."
        )
    return yaml_out.dump(plan, header, schema_ref)


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
    schema_file: str | None = "",
) -> tuple[Path, Path | None]:
    """Write the plan; returns where, and where the schema for editors went (None when
    the plan names the released one). Raises InitError.

    `schema_file` is where the schema for editors goes ("" for the default place, None
    for none: the plan then points at the released schema of this version instead).
    """
    from dataplan_lint.files.atomic import write_output

    target = target_path(path)
    if target.exists() and not force:
        raise InitError(f"{target} already exists; use --force to overwrite it")
    new_folder = target.name == DEFAULT_PATH and not target.parent.exists()
    if not new_folder and not target.parent.is_dir():
        raise InitError(f"{target.parent} is not a folder")
    schema = None if schema_file is None else schema_target(target, schema_file)
    defaults = answers_mod.DEFAULTS[template]
    if name:
        try:
            defaults = answers_mod.with_name(defaults, answers_mod._identifier(name))
        except answers_mod.AnswerError as exc:
            raise InitError(f"--name {name!r}: {exc}") from None
    chosen = defaults
    if not one_shot:
        chosen = answers_mod.ask(defaults, prompt or click_prompt(), announce)
    reference = RELEASED_SCHEMA if schema is None else modeline_path(target, schema)
    text = render(template, chosen, one_shot, reference)
    try:
        if new_folder:
            target.parent.mkdir(parents=True, exist_ok=True)
        if schema is not None:
            write_schema(schema)
        write_output(target, text)
    except OSError as exc:
        failed = exc.filename or target
        raise InitError(f"cannot write {failed}: {exc.strerror or exc}") from None
    return target, schema


def schema_target(plan: Path, schema_file: str) -> Path:
    """Where the schema for editors goes: `schema_file`, or `.dataplan/dataplan.schema.json`
    at the top of the repository holding the plan (the plan's folder outside one)."""
    if schema_file:
        return Path(schema_file)
    from dataplan_lint.files.git import enclosing_root

    folder = plan.parent.resolve()
    root = enclosing_root(folder) or folder
    target = root / SCHEMA_FILE
    # A `.dataplan` that is a symlink out of the repository would take the write with it.
    if not target.parent.resolve().is_relative_to(root.resolve()):
        raise InitError(
            f"{target.parent} leads outside {root}; name the schema file with --schema-file"
        )
    return target


def modeline_path(plan: Path, schema: Path) -> str:
    """`schema` as yaml-language-server resolves a modeline: relative to the plan's folder."""
    relative = Path(os.path.relpath(schema.resolve(), plan.parent.resolve())).as_posix()
    return relative if relative.startswith("../") else f"./{relative}"


def shown_path(path: Path) -> str:
    """`path` from the current folder when it is below it, else as it is (absolute)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


def write_schema(schema: Path) -> None:
    """Write the exported schema to `schema`, replacing an earlier export (not any other
    file: a different file there is left alone with an error)."""
    from dataplan_lint.files.atomic import write_output
    from dataplan_lint.schema.bundle import ID_PREFIX, ROOT_FILE
    from dataplan_lint.schema.editor import editor_schema_text

    text = editor_schema_text()
    if schema.is_symlink() or (schema.exists() and not schema.is_file()):
        raise InitError(f"{schema} exists and is not a regular file; choose --schema-file")
    if schema.exists():
        import json

        from dataplan_lint.files.loader import read_limited

        try:
            raw = read_limited(schema, 4 * len(text))
            current = json.loads(raw) if len(raw) <= 4 * len(text) else None
        except (OSError, ValueError):
            current = None
        if not isinstance(current, dict) or current.get("$id") != ID_PREFIX + ROOT_FILE:
            raise InitError(
                f"{schema} exists and is not a schema written by dataplan-lint; "
                "choose another place with --schema-file"
            )
        if raw == text.encode("utf-8"):
            return
    schema.parent.mkdir(parents=True, exist_ok=True)
    write_output(schema, text)
