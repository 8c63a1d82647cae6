"""Compare a plan's modeling layers, contracts and quality checks with its dbt project.

`modeling.dbt: {project_dir, manifest}` (paths relative to the plan's folder) names the
project and its `manifest.json`. The comparison runs once per plan and run (`analyse`
caches the last result); each rule function (`dbt-<check>`) reports its own check's
issues. Findings sit on the plan line; the manifest's `original_file_path` of the model,
test or source involved is a related location. When the manifest is missing, unreadable
or stale there is one `manifest` issue and nothing else is compared.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from dataplan_lint.core.findings import Related, Span
from dataplan_lint.core.settings import Settings
from dataplan_lint.core.words import closest, did_you_mean, suggestion
from dataplan_lint.engine.issues import Issue
from dataplan_lint.files.dbt_manifest import Manifest, ManifestProblem, Node, Test
from dataplan_lint.files.loader import LoadedPlan

MANIFEST = "manifest"
LAYER_MISSING = "layer-missing"
MODEL_NOT_IN_PLAN = "model-not-in-plan"
MATERIALIZATION = "materialization"
INCREMENTAL = "incremental"
CONTRACT = "contract"
TEST_MISSING = "test-missing"
TEST_NOT_IN_PLAN = "test-not-in-plan"
SOURCE_FRESHNESS = "source-freshness"

CHECKS = (
    MANIFEST,
    LAYER_MISSING,
    MODEL_NOT_IN_PLAN,
    MATERIALIZATION,
    INCREMENTAL,
    CONTRACT,
    TEST_MISSING,
    TEST_NOT_IN_PLAN,
    SOURCE_FRESHNESS,
)

_MATERIALIZED = {
    # A seed and a snapshot are stored as tables: a layer planned as a table may be either.
    "table": ("table", "seed", "snapshot"),
    "view": ("view",),
    "incremental": ("incremental",),
    "materialized-view": ("materialized_view", "dynamic_table"),
    "seed": ("seed",),
    "snapshot": ("snapshot",),
}
_STRATEGIES = {
    "merge": ("merge", "delete+insert"),
    "append": ("append",),
    "insert-overwrite": ("insert_overwrite", "microbatch"),
}
_TEST_FOR_KIND = {
    "uniqueness": "unique",
    "null": "not_null",
    "referential": "relationships",
    "accepted-values": "accepted_values",
}
_GENERIC = {*_TEST_FOR_KIND.values(), "unique_combination_of_columns"}
_MART_PREFIXES = ("fct_", "fact_", "dim_", "mart_", "agg_", "rpt_")
_MART_FOLDERS = {"marts", "mart"}
_PERIOD_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


def analyse(plan: LoadedPlan, settings: Settings) -> list[Issue]:
    """All dbt issues of `plan` (the registry runs it once per plan: see engine/memo.py).

    None carries a fix: the plan and the dbt project disagree, a person decides which is right.
    """
    return _Comparison(plan).run()


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


class _Comparison:
    def __init__(self, plan: LoadedPlan) -> None:
        self.plan = plan
        self.data = plan.data if isinstance(plan.data, Mapping) else {}
        self.issues: list[Issue] = []
        self.project = Path()
        self.manifest = Manifest()

    def issue(
        self,
        check: str,
        pointer: str,
        related: Iterable[Related] = (),
        at_key: bool = False,
        **values: Any,
    ) -> None:
        self.issues.append(Issue(pointer, values, at_key, tuple(related), check=check))

    # -- locating and reading the manifest ------------------------------------------------

    def run(self) -> list[Issue]:
        config = _get(self.data, "modeling", "dbt")
        if not isinstance(config, Mapping):
            return []
        project_rel = config.get("project_dir", ".")
        manifest_rel = config.get("manifest", "target/manifest.json")
        if not isinstance(project_rel, str) or not isinstance(manifest_rel, str):
            return []  # the schema reports the wrong types
        if not Path(self.plan.path).is_file():
            return []  # a plan from standard input or memory: no folder to resolve paths in
        if not self.load(project_rel, manifest_rel):
            return self.issues
        layers = self.layers()
        for pointer, layer in layers:
            self.layer(pointer, layer)
        self.unplanned_marts(layers)
        self.quality(layers)
        self.source_freshness()
        return self.issues

    def load(self, project_rel: str, manifest_rel: str) -> bool:
        from dataplan_lint.files.dbt_manifest import read_manifest, stale_reason

        base = Path(self.plan.path).resolve().parent
        root = _repo_root(base)
        project = (base / project_rel).resolve()
        manifest = (base / manifest_rel).resolve()
        where = "/modeling/dbt/manifest"
        for rel, target, key in (
            (project_rel, project, "project_dir"),
            (manifest_rel, manifest, "manifest"),
        ):
            if Path(rel).is_absolute() or (target != root and root not in target.parents):
                self.issue(
                    MANIFEST,
                    f"/modeling/dbt/{key}",
                    problem=f"`{rel}` is outside the repository; give a path inside it",
                    command="",
                )
                return False
        self.project = project
        command = f" (run `dbt parse` in `{project_rel}`)"
        try:
            self.manifest = read_manifest(manifest, root)
        except ManifestProblem as exc:
            self.issue(MANIFEST, where, problem=f"`{manifest_rel}` {exc}", command=command)
            return False
        stale = stale_reason(self.manifest, project, root)
        if stale:
            self.issue(MANIFEST, where, problem=f"`{manifest_rel}` {stale}", command=command)
            return False
        return True

    def related(self, path: str, message: str) -> Related:
        """A manifest `original_file_path`, shown as the plan's path is shown."""
        target = self.project / path
        shown = str(target)
        if not Path(self.plan.path).is_absolute():
            try:
                shown = os.path.relpath(target)
            except ValueError:
                shown = str(target)
        return Related(shown.replace(os.sep, "/"), Span.point(1, 1), message)

    # -- layers ----------------------------------------------------------------------------

    def layers(self) -> list[tuple[str, Mapping[str, Any]]]:
        out = []
        for index, layer in enumerate(_listed(_get(self.data, "modeling", "layers"))):
            if isinstance(layer, Mapping) and isinstance(layer.get("name"), str):
                out.append((f"/modeling/layers/{index}", layer))
        return out

    def source_named(self, name: str) -> Node | None:
        for source in self.manifest.sources.values():
            if name in (source.name, source.identifier):
                return source
        return None

    def layer(self, pointer: str, layer: Mapping[str, Any]) -> None:
        name = layer["name"]
        model = self.manifest.models.get(name)
        if model is None:
            if self.source_named(name) is not None:
                return  # landed outside dbt and declared as a dbt source
            renamed = self.renamed_to(layer)
            self.issue(
                LAYER_MISSING,
                pointer + "/name",
                (self.related(renamed.path, f"`{renamed.name}` reads the layer's parents"),)
                if renamed is not None
                else (),
                layer=name,
                hint=_renamed_hint(renamed)
                if renamed
                else did_you_mean(name, sorted(self.manifest.models)),
            )
            return
        here = self.related(
            model.path, f"{model.resource_type or 'model'} `{name}` in the dbt project"
        )
        self.materialization(pointer, layer, model, here)
        self.incremental(pointer, layer, model, here)
        self.contract(pointer, layer, model, here)

    def renamed_to(self, layer: Mapping[str, Any]) -> Node | None:
        """The project's node a missing layer was most likely renamed to: one that no layer
        names and that reads exactly the parents the layer `reads_from` (closest spelling
        first when several do)."""
        parents = {p for p in _listed(layer.get("reads_from")) if isinstance(p, str)}
        if not parents:
            return None
        planned = {item["name"] for _, item in self.layers()}
        same = [
            node
            for node in self.manifest.models.values()
            if node.name not in planned and self.reads_exactly(node, parents)
        ]
        names = sorted(node.name for node in same)
        best = closest(str(layer["name"]), names) or names[0]
        return next((node for node in same if node.name == best), None)

    def reads_exactly(self, node: Node, parents: set[str]) -> bool:
        """Whether `node`'s parents are the named ones: each a model, seed or snapshot by
        name, or a source table by name or identifier, and none left over either side."""
        matched: set[str] = set()
        for parent_id in node.depends_on:
            parent = self.manifest.by_id.get(parent_id)
            names = {parent.name, parent.identifier} - {""} if parent is not None else set()
            if not names & parents:
                return False
            matched |= names & parents
        return bool(node.depends_on) and matched == parents

    def materialization(
        self, pointer: str, layer: Mapping[str, Any], model: Node, here: Related
    ) -> None:
        planned = layer.get("materialization")
        expected = _MATERIALIZED.get(planned) if isinstance(planned, str) else None
        actual = _text(model.config.get("materialized"))
        if expected is None or actual in expected:
            return
        self.issue(
            MATERIALIZATION,
            pointer + "/materialization",
            (here,),
            layer=layer["name"],
            planned=planned,
            node=f"dbt {model.resource_type or 'model'}",
            actual=actual or "not set",
        )

    def incremental(
        self, pointer: str, layer: Mapping[str, Any], model: Node, here: Related
    ) -> None:
        incremental = layer.get("incremental")
        if not isinstance(incremental, Mapping):
            return
        if _text(model.config.get("materialized")) != "incremental":
            return  # the materialization finding says it already
        strategy = incremental.get("strategy")
        expected = _STRATEGIES.get(strategy) if isinstance(strategy, str) else None
        actual = _text(model.config.get("incremental_strategy"))
        if expected is not None and actual not in expected:
            self.issue(
                INCREMENTAL,
                pointer + "/incremental/strategy",
                (here,),
                layer=layer["name"],
                what="strategy",
                planned=strategy,
                actual=f"`{actual}`" if actual else "not set (the adapter's default)",
                fix=f"incremental_strategy='{expected[0]}'",
            )
        planned_key = incremental.get("unique_key")
        if isinstance(planned_key, list) and strategy == "merge":
            raw = model.config.get("unique_key")
            keys = [raw] if isinstance(raw, str) else _listed(raw)
            actual_key = sorted(k for k in keys if isinstance(k, str))
            if actual_key != sorted(str(k) for k in planned_key):
                self.issue(
                    INCREMENTAL,
                    pointer + "/incremental/unique_key",
                    (here,),
                    layer=layer["name"],
                    what="unique_key",
                    planned=", ".join(str(k) for k in planned_key),
                    actual=", ".join(actual_key) or "not set",
                    fix=f"unique_key={[str(k) for k in planned_key]}",
                )

    def contract(self, pointer: str, layer: Mapping[str, Any], model: Node, here: Related) -> None:
        name = layer.get("contract")
        if not isinstance(name, str):
            return
        index, contract = next(
            (
                (i, c)
                for i, c in enumerate(_listed(self.data.get("contracts")))
                if isinstance(c, Mapping) and c.get("name") == name
            ),
            (-1, None),
        )
        where = pointer + "/contract"
        if contract is None:
            self.issue(CONTRACT, where, (here,), layer=layer["name"], problem=(
                f"names contract `{name}`, which the plan does not define"
            ))  # fmt: skip
            return
        enforced = _get(model.config, "contract", "enforced") is True
        if not enforced:
            self.issue(CONTRACT, where, (here,), layer=layer["name"], problem=(
                f"is bound to contract `{name}` but model `{model.name}` does not set "
                "`contract: {enforced: true}`"
            ))  # fmt: skip
            return
        from dataplan_lint.checks.contract_fields import contract_fields
        from dataplan_lint.compat.model import normalise

        read = contract_fields(self.plan, f"/contracts/{index}", contract)
        if read is None:  # no fields, or a schema file DP740/DP741 report
            return
        fields = read.fields
        declared = {n.lower(): c for n, c in model.columns.items()}
        for field in fields:
            column = field.name
            places = (here, *read.place(field, f"column `{column}` in the contract's schema file"))
            found = declared.get(column.lower())
            if found is None:
                self.issue(CONTRACT, where, places, layer=layer["name"], problem=(
                    f"is bound to contract `{name}`, whose column `{column}` model "
                    f"`{model.name}` does not declare"
                ))  # fmt: skip
                continue
            written = field.type.text
            data_type = found.get("data_type")
            if written == "unknown" or not isinstance(data_type, str):
                continue
            planned, actual = normalise(written), normalise(data_type)
            if (planned.kind, planned.precision, planned.scale) != (
                actual.kind,
                actual.precision,
                actual.scale,
            ):
                self.issue(CONTRACT, where, places, layer=layer["name"], problem=(
                    f"is bound to contract `{name}`, which types `{column}` as {written}; "
                    f"model `{model.name}` declares {data_type}"
                ))  # fmt: skip
        names = {f.name.lower() for f in fields}
        for column in model.columns:
            if column.lower() not in names:
                self.issue(CONTRACT, where, (here,), layer=layer["name"], problem=(
                    f"is bound to contract `{name}`, which lacks column `{column}` that "
                    f"model `{model.name}` declares"
                ))  # fmt: skip

    # -- models the plan does not know -----------------------------------------------------

    def unplanned_marts(self, layers: list[tuple[str, Mapping[str, Any]]]) -> None:
        planned = {layer["name"] for _, layer in layers}
        known = planned | {
            str(s.get("id")) for s in _listed(self.data.get("sources")) if isinstance(s, Mapping)
        }
        planned_ids = {
            node.unique_id
            for node in self.manifest.by_id.values()
            if node.name in known or node.identifier in known
        }
        for model in sorted(self.manifest.models.values(), key=lambda m: m.name):
            if model.resource_type != "model" or model.name in planned:
                continue
            if not _is_mart(model) or not self.reaches(model, planned_ids):
                continue
            self.issue(
                MODEL_NOT_IN_PLAN,
                "/modeling/layers",
                (self.related(model.path, f"model `{model.name}` in the dbt project"),),
                at_key=True,
                model=model.name,
            )

    def reaches(self, model: Node, targets: set[str]) -> bool:
        """Does `model` read (directly or through other nodes) any of `targets`?"""
        seen: set[str] = set()
        stack = list(model.depends_on)
        while stack and len(seen) < 100_000:
            current = stack.pop()
            if current in targets:
                return True
            if current in seen:
                continue
            seen.add(current)
            node = self.manifest.by_id.get(current)
            if node is not None:
                stack.extend(node.depends_on)
        return False

    # -- quality checks and dbt tests ------------------------------------------------------

    def quality(self, layers: list[tuple[str, Mapping[str, Any]]]) -> None:
        checks = [
            (f"/quality/checks/{i}", c)
            for i, c in enumerate(_listed(_get(self.data, "quality", "checks")))
            if isinstance(c, Mapping)
        ]
        matched: set[str] = set()
        for pointer, check in checks:
            test_name = _TEST_FOR_KIND.get(str(check.get("kind")))
            dataset = check.get("dataset")
            model = self.manifest.models.get(dataset) if isinstance(dataset, str) else None
            if test_name is None or model is None:
                continue
            column = check.get("column")
            columns = _columns(column)
            if test_name == "unique" and len(columns) > 1:
                # A key of several columns: a unique_combination_of_columns test (dbt_utils
                # or the project's own generic test of that name).
                test_name = "unique_combination_of_columns"
                tests = [
                    t
                    for t in self.tests_on(model, None)
                    if t.name == test_name
                    and _columns(t.kwargs.get("combination_of_columns")) == sorted(columns)
                ]
            else:
                tests = [t for t in self.tests_on(model, column) if t.name == test_name]
                tests = [t for t in tests if _same_arguments(t, check)]
            here = self.related(model.path, f"model `{model.name}` in the dbt project")
            if not tests:
                self.issue(
                    TEST_MISSING,
                    pointer + "/kind",
                    (here,),
                    quality_check=check.get("id"),
                    problem=f"has no dbt `{test_name}` test on "
                    f"`{model.name}.{check.get('column')}`" + _argument_hint(test_name, check),
                )
                continue
            matched.update(t.unique_id for t in tests)
            if check.get("severity") == "blocking" and all(t.severity != "error" for t in tests):
                self.issue(
                    TEST_MISSING,
                    pointer + "/severity",
                    (self.related(tests[0].path, f"dbt test `{tests[0].name}`"),),
                    quality_check=check.get("id"),
                    problem=f"is blocking, but its dbt `{test_name}` test on "
                    f"`{model.name}.{check.get('column')}` only warns (severity: warn)",
                )
        layer_pointer = {layer["name"]: pointer for pointer, layer in layers}
        for test in self.manifest.tests:
            if test.unique_id in matched or test.name not in _GENERIC or test.severity != "error":
                continue
            node = self.manifest.by_id.get(test.attached)
            if node is None or node.name not in layer_pointer:
                continue
            self.issue(
                TEST_NOT_IN_PLAN,
                layer_pointer[node.name] + "/name",
                (self.related(test.path, f"dbt test `{test.name}`"),),
                test=test.name,
                target=f"{node.name}.{test.column}" if test.column else node.name,
            )

    def tests_on(self, model: Node, column: Any) -> list[Test]:
        return [
            t
            for t in self.manifest.tests
            if t.attached == model.unique_id and (not isinstance(column, str) or t.column == column)
        ]

    # -- source freshness ------------------------------------------------------------------

    def source_freshness(self) -> None:
        from dataplan_lint.core import quantities

        self.freshness_checks(quantities)
        target = _get(self.data, "event_semantics", "freshness_slo", "target")
        slo = _seconds(quantities, target)
        if slo is None:
            return
        planned = {
            str(layer.get("name"))
            for layer in _listed(_get(self.data, "modeling", "layers"))
            if isinstance(layer, Mapping)
        }
        for source in sorted(self.manifest.sources.values(), key=lambda s: s.unique_id):
            if source.name not in planned and source.identifier not in planned:
                continue
            here = self.related(source.path, f"dbt source table `{source.name}`")
            error_after = _get(source.freshness, "error_after")
            seconds = _after_seconds(error_after)
            if seconds is None:
                self.issue(
                    SOURCE_FRESHNESS,
                    "/event_semantics/freshness_slo/target",
                    (here,),
                    source=source.name,
                    problem="has no `freshness.error_after`, so dbt never fails on stale data",
                    slo=f"a freshness SLO of {target}",
                )
            elif seconds > slo:
                self.issue(
                    SOURCE_FRESHNESS,
                    "/event_semantics/freshness_slo/target",
                    (here,),
                    source=source.name,
                    problem=f"fails only after {_describe_after(error_after)}",
                    slo=f"a freshness SLO of {target}",
                )

    def freshness_checks(self, quantities: Any) -> None:
        """A planned freshness check on a dbt source is its `freshness` (warn and error)."""
        for index, check in enumerate(_listed(_get(self.data, "quality", "checks"))):
            if not isinstance(check, Mapping) or check.get("kind") != "freshness":
                continue
            dataset = check.get("dataset")
            source = self.source_named(dataset) if isinstance(dataset, str) else None
            threshold = check.get("threshold")
            if source is None or not isinstance(threshold, Mapping):
                continue
            here = self.related(source.path, f"dbt source table `{source.name}`")
            for level in ("warn", "error"):
                planned = _seconds(quantities, threshold.get(level))
                after = _get(source.freshness, f"{level}_after")
                actual = _after_seconds(after)
                if planned is None or actual == planned:
                    continue
                self.issue(
                    SOURCE_FRESHNESS,
                    f"/quality/checks/{index}/threshold/{level}",
                    (here,),
                    source=source.name,
                    problem=f"has `{level}_after` "
                    + (_describe_after(after) if actual is not None else "unset"),
                    slo=f"{threshold.get(level)} for check `{check.get('id')}`",
                )


def _renamed_hint(node: Node) -> str:
    kind = node.resource_type or "model"
    return suggestion(node.name, f"a {kind} no layer names, reading the same parents as the layer")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _columns(value: Any) -> list[str]:
    """A column list given as `a, b` text or a list, sorted."""
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        return []
    return sorted(str(v).strip() for v in value if str(v).strip())


def _is_mart(model: Node) -> bool:
    return model.name.startswith(_MART_PREFIXES) or bool(_MART_FOLDERS & set(model.fqn[:-1]))


def _same_arguments(test: Test, check: Mapping[str, Any]) -> bool:
    if test.name == "accepted_values":
        values = check.get("values")
        given = test.kwargs.get("values")
        if isinstance(values, list) and isinstance(given, list):
            return {str(v) for v in values} == {str(v) for v in given}
    if test.name == "relationships":
        references = check.get("references")
        if isinstance(references, str) and "." in references:
            table, _, column = references.rpartition(".")
            to = _text(test.kwargs.get("to")).replace('"', "'").replace(" ", "")
            return column == test.kwargs.get("field") and to in (
                f"ref('{table}')",
                table,
            )
    return True


def _argument_hint(test_name: str, check: Mapping[str, Any]) -> str:
    if test_name == "relationships":
        return f" to `{check.get('references')}`"
    if test_name == "accepted_values" and isinstance(check.get("values"), list):
        return " with the same values"
    return ""


def _seconds(quantities: Any, raw: Any) -> float | None:
    try:
        value: float = quantities.seconds(raw)
    except (quantities.QuantityError, ValueError, TypeError):
        return None
    return value


def _after_seconds(after: Any) -> float | None:
    if not isinstance(after, Mapping):
        return None
    count, period = after.get("count"), after.get("period")
    if isinstance(count, bool) or not isinstance(count, int | float) or not 0 < count < 1e15:
        return None  # also a 400-digit count, which float() cannot take
    factor = _PERIOD_SECONDS.get(period) if isinstance(period, str) else None
    return float(count) * factor if factor else None


def _describe_after(after: Any) -> str:
    count = after.get("count")
    return f"{count} {after.get('period')}{'' if count == 1 else 's'}"


def _repo_root(folder: Path) -> Path:
    """The working tree's top level above `folder`, or the folder itself outside one."""
    from dataplan_lint.files.git import enclosing_root

    return enclosing_root(folder) or folder
