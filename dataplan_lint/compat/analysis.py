"""Run every compatibility check on one plan: in-file history, git base, waivers.

The result is a list of `Issue`s, each tagged with the check (rule function) it
belongs to, the plan pointer it is reported at, the values that fill the rule's message,
and related locations (the base or older version of a changed field). Each
`compatibility-<check>` rule function (rows of `checks/table.py`) reports its check's
issues; the analysis runs once per plan and run (`analyse` caches the last result).

Policy, in short:

* every step of the history, and the base -> head comparison, is judged against the
  mode in force at the newer version; transitive modes also compare the newer version
  with every earlier one (reporting only incompatibilities the step introduced);
* a difference that breaks the mode is an error unless an unexpired waiver covers it;
* versions must increase; a changed contract needs a new version; a breaking change
  (waived or not, and any change a consumer can notice under NONE) needs a new major
  version plus a deprecation window and migration steps;
* model contracts (`kind: model`) follow dbt: removing or renaming a column, changing a
  column type, removing a constraint of an enforced contract, or dropping enforcement
  breaks; adding a column does not.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dataplan_lint.compat import diff as d
from dataplan_lint.compat.classify import breaks, is_transitive, weakened
from dataplan_lint.compat.diff import Change, diff_schemas, root_path
from dataplan_lint.compat.history import Entry, Version, bumped, entries, is_major_bump
from dataplan_lint.compat.inline import read_inline
from dataplan_lint.compat.model import Schema
from dataplan_lint.compat.remedies import remedy
from dataplan_lint.compat.sources import SchemaFileError
from dataplan_lint.compat.waivers import Waiver, read_waivers, today
from dataplan_lint.core.findings import CHANGE_SITE, IN_SCHEMA_FILE, Edit, Related
from dataplan_lint.core.refs import shown_ref
from dataplan_lint.core.settings import JSON_SCHEMA_POLICIES, Settings
from dataplan_lint.engine.issues import Issue
from dataplan_lint.files.loader import LoadedPlan

if TYPE_CHECKING:
    from dataplan_lint.files.git import GitBase

# Check names; the rule functions are `compatibility-<check>`.
HISTORY = "history"
BASE = "base"
VERSION_ORDER = "version-order"
VERSION_BUMP = "version-bump"
MAJOR_BUMP = "major-bump"
MIGRATION_PLAN = "migration-plan"
MODE_WEAKENED = "mode-weakened"
CONTRACT_REMOVED = "contract-removed"
MODEL_CONTRACT = "model-contract"
WAIVER_EXPIRED = "waiver-expired"
WAIVER_UNUSED = "waiver-unused"
SCHEMA_FILE = "schema-file"
SCHEMA_FILE_OUTSIDE = "schema-file-outside"
PROTOBUF_RESERVE = "protobuf-reserve"
SCHEMA_REFERENCE = "schema-reference"

MAX_LISTED = 20
"""Incompatible changes listed one by one per comparison; the last one listed says how
many more there are (a schema file can differ in thousands of places)."""

CHECKS = (
    HISTORY,
    BASE,
    VERSION_ORDER,
    VERSION_BUMP,
    MAJOR_BUMP,
    MIGRATION_PLAN,
    MODE_WEAKENED,
    CONTRACT_REMOVED,
    MODEL_CONTRACT,
    WAIVER_EXPIRED,
    WAIVER_UNUSED,
    SCHEMA_FILE,
    SCHEMA_FILE_OUTSIDE,
    PROTOBUF_RESERVE,
    SCHEMA_REFERENCE,
)


@dataclass(slots=True)
class Resolved:
    """One version of a contract with its schema resolved (None when unavailable)."""

    entry: Entry
    schema: Schema | None
    file_rel: str | None = None  # the schema file it came from, if any
    label: str = ""  # "version 2.0.0" or "the base (origin/main)"
    error: SchemaFileError | None = None  # why a schema file could not be read


@dataclass(slots=True)
class Judged:
    """One difference of one comparison, with what the policy made of it."""

    change: Change
    reason: str | None  # why it breaks the mode (None: allowed)
    waiver: Waiver | None = None
    against: str = ""  # " against version 1.0.0" for transitive comparisons
    old_label: str = ""  # the version the old side of the change comes from


@dataclass(slots=True)
class StepResult:
    judged: list[Judged] = field(default_factory=list)
    breaking: bool = False  # needs a major version (breaks the mode, or noticeable under NONE)
    compared: str = ""  # label of the version the step was judged against


# ---------------------------------------------------------------------------------------


def analyse(plan: LoadedPlan, settings: Settings) -> list[Issue]:
    """All issues of `plan` (the registry runs it once per plan: see engine/memo.py)."""
    return Analysis(plan, settings).run()


class Analysis:
    def __init__(self, plan: LoadedPlan, settings: Settings) -> None:
        self.plan = plan
        self.settings = settings
        policy = settings.json_schema_policy
        self.json_policy = policy if policy in JSON_SCHEMA_POLICIES else JSON_SCHEMA_POLICIES[0]
        self._versions: list[Resolved] = []
        self.issues: list[Issue] = []
        self.plan_file = Path(plan.path)
        self._parsed: dict[tuple[str, ...], Schema | SchemaFileError] = {}
        self._against_base = False

    def today(self) -> dt.date:
        """The date waivers and date versions are judged on (read only when needed: it
        makes the result depend on the day, see files.dependencies.today)."""
        return today(self.settings.today)

    def issue(
        self,
        check: str,
        pointer: str,
        related: tuple[Related, ...] = (),
        at_key: bool = False,
        fix: tuple[Edit, ...] = (),
        **values: Any,
    ) -> None:
        if self._against_base:
            # Marks what only the comparison with --base finds (Finding.data "origin"):
            # the pre-commit compat hook reports just these, next to the plain hook.
            values["origin"] = "base"
        self.issues.append(Issue(pointer, values, at_key, related, fix, check))

    def bump(
        self, pointer: str, versions: list[Resolved], level: str, *others: Version
    ) -> tuple[Edit, ...]:
        """The edit giving the current version the next `level` version after every
        version the contract has had (in the history, and `others` such as the base)."""
        known = [v.entry.version for v in versions] + list(others)
        current = versions[-1].entry.version
        comparable = [v for v in known if v.comparable(current)]
        if not comparable or len(comparable) != len(known):
            return ()
        highest = max(comparable, key=lambda v: v.key)
        new = bumped(highest, level, self.today().isoformat())
        if new is None:
            return ()
        raw = versions[-1].entry.holder.get("version")
        if isinstance(new, int) and isinstance(raw, str):
            new = str(new)
        return (Edit(pointer, new),)

    # -- driver ----------------------------------------------------------------------------

    def run(self) -> list[Issue]:
        contracts = self.plan.data.get("contracts") if isinstance(self.plan.data, dict) else None
        if not isinstance(contracts, list):
            contracts = []
        from_base = self.base_contracts()
        for index, contract in enumerate(contracts):
            if isinstance(contract, Mapping) and isinstance(contract.get("name"), str):
                self.contract(contract, f"/contracts/{index}", from_base)
        if from_base is not None:
            self._against_base = True
            self.removed_contracts(contracts, from_base)
            self._against_base = False
        return self.issues

    def contract(
        self,
        contract: Mapping[str, Any],
        pointer: str,
        from_base: BaseSide | None,
    ) -> None:
        waivers = read_waivers(contract, pointer)
        for waiver in waivers:
            if waiver.expired(self.today):
                self.issue(
                    WAIVER_EXPIRED,
                    waiver.pointer + "/expires",
                    change=waiver.change,
                    expires=waiver.expires_text,
                    owner=waiver.owner,
                    contract=contract["name"],
                )
        live = [w for w in waivers if not w.expired(self.today)]
        self._current_step: set[tuple[str, str, str]] = set()
        self._current_major = False
        used: set[int] = set()
        versions = [self.resolve(entry, contract) for entry in entries(contract, pointer)]
        self._versions = versions
        for version in versions:
            version.label = f"version {version.entry.version.text}"
        self.version_order(versions, contract)
        needs_major: list[str] = []
        for newer in range(1, len(versions)):
            result = self.history_step(versions, newer, contract, live, used)
            if result:
                needs_major.append(result)
        in_file_major = bool(needs_major)
        if from_base is not None:
            base_contract = from_base.contracts.get(contract["name"])
            if base_contract is not None:
                self._against_base = True
                result = self.base_step(
                    contract, pointer, versions, from_base, base_contract, live, used
                )
                self._against_base = False
                if result:
                    needs_major.append(result)
        if needs_major:
            self._against_base = not in_file_major
            self.migration_plan(contract, pointer, needs_major[-1])
            self._against_base = False
        if from_base is not None:
            self._against_base = True
            for waiver in live:
                if waiver.index not in used:
                    self.issue(
                        WAIVER_UNUSED,
                        waiver.pointer + "/change",
                        change=waiver.change,
                        contract=contract["name"],
                    )
            self._against_base = False

    # -- resolving versions ----------------------------------------------------------------

    def resolve(self, entry: Entry, contract: Mapping[str, Any]) -> Resolved:
        holder = entry.holder
        schema_file = holder.get("schema_file")
        if isinstance(schema_file, str):
            from dataplan_lint.compat.schema_files import (
                Refused,
                locate,
                parse_key,
                read_schema,
                schema_file_place,
            )

            where = entry.pointer + "/schema_file"
            try:
                located = locate(self.plan_file, schema_file)
            except Refused as exc:
                self.issue(SCHEMA_FILE_OUTSIDE, where, file=schema_file, problem=str(exc))
                return Resolved(entry, None, schema_file, error=SchemaFileError(str(exc)))
            key = parse_key(located.rel, contract)
            if key not in self._parsed:
                try:
                    self._parsed[key] = read_schema(located, contract, self.plan_file)
                except SchemaFileError as exc:
                    self._parsed[key] = exc
            parsed = self._parsed[key]
            if isinstance(parsed, SchemaFileError):
                # A validated format (ODCS) reports every error, each at its place.
                for problem in getattr(parsed, "problems", None) or [parsed]:
                    self.issue(
                        SCHEMA_FILE,
                        where,
                        schema_file_place(located, problem, self.plan.path),
                        file=schema_file,
                        problem=problem.message + problem.where(),
                        remedy=problem.remedy(),
                    )
                return Resolved(entry, None, located.rel, error=parsed)
            if entry.is_current:
                for note in parsed.extra.get("not_followed") or ():
                    self.issue(
                        SCHEMA_REFERENCE,
                        where,
                        file=schema_file,
                        problem=note,
                        contract=contract.get("name"),
                    )
            return Resolved(entry, parsed, located.rel)
        if isinstance(holder.get("fields"), list):
            schema = read_inline(holder, contract, self.plan, self.plan.path, entry.pointer)
            return Resolved(entry, schema)
        return Resolved(entry, None)

    # -- versions --------------------------------------------------------------------------

    def version_order(self, versions: list[Resolved], contract: Mapping[str, Any]) -> None:
        for before, after in itertools.pairwise(versions):
            old, new = before.entry.version, after.entry.version
            where = after.entry.pointer + "/version"
            if not old.comparable(new):
                if (old.scheme != "text" and new.scheme != "text") or old.text == new.text:
                    self.issue(
                        VERSION_ORDER,
                        where,
                        old=old.text,
                        new=new.text,
                        problem=f"cannot be compared with {old.text} ({old.scheme} vs "
                        f"{new.scheme} versions)",
                        remedy="write every version in one scheme and declare it in `versioning`",
                        contract=contract["name"],
                    )
                continue
            if new.key < old.key:
                self.issue(
                    VERSION_ORDER,
                    where,
                    old=old.text,
                    new=new.text,
                    problem=f"is lower than the version before it ({old.text})",
                    remedy=f"keep `history` oldest first and raise {new.text} above {old.text}",
                    contract=contract["name"],
                    related=(self.related(before, "the version before it"),),
                )
            elif new.key == old.key:
                changes = self.changes(before, after)
                if not changes:
                    self.issue(
                        VERSION_ORDER,
                        where,
                        old=old.text,
                        new=new.text,
                        problem=f"repeats the version before it ({old.text})",
                        remedy="remove the repeated entry from `history`",
                        contract=contract["name"],
                        related=(self.related(before, "the version before it"),),
                    )
                else:
                    fix: tuple[Edit, ...] = ()
                    if after.entry.is_current:
                        step = self.compare([before], after, after.entry.mode, contract, [], set())
                        fix = self.bump(where, versions, "major" if step.breaking else "minor")
                    self.issue(
                        VERSION_BUMP,
                        where,
                        (self.related(before, "the same version, earlier in the history"),),
                        fix=fix,
                        version=new.text,
                        change=changes[0].summary,
                        step="in the history",
                        contract=contract["name"],
                    )

    def changes(self, before: Resolved, after: Resolved) -> list[Change]:
        if before.schema is None or after.schema is None:
            return []
        return diff_schemas(before.schema, after.schema, self.json_policy)

    def related(self, version: Resolved, message: str) -> Related:
        pointer = version.entry.pointer + "/version"
        return Related(self.plan.path, self.plan.span(pointer), message)

    # -- one comparison --------------------------------------------------------------------

    def compare(
        self,
        older: list[Resolved],
        newer: Resolved,
        mode: str,
        contract: Mapping[str, Any],
        waivers: list[Waiver],
        used: set[int],
    ) -> StepResult:
        """Judge `newer` against `older[-1]` (and, for transitive modes, every one before).

        For a transitive comparison with an older version only the differences that are
        new at this step are kept (those between it and the previous version were judged
        at the step that introduced them).
        """
        result = StepResult()
        # Versions recorded without fields (only notes) are skipped over.
        known = [v for v in older if v.schema is not None]
        if newer.schema is None or not known:
            return result
        latest = known[-1]
        latest_schema = latest.schema
        assert latest_schema is not None
        result.compared = latest.label
        model = contract.get("kind") == "model"
        seen: set[tuple[str, str, str]] = set()
        targets = [latest]
        if is_transitive(mode) and not model:
            targets += list(reversed(known[:-1]))
        for target in targets:
            assert target.schema is not None
            changes = diff_schemas(target.schema, newer.schema, self.json_policy)
            already: set[tuple[str, str, str]] = set()
            if target is not latest and latest.schema is not None:
                already = {
                    c.key() for c in diff_schemas(target.schema, latest.schema, self.json_policy)
                }
            for change in changes:
                if change.key() in seen or change.key() in already:
                    continue
                seen.add(change.key())
                if model:
                    reason = model_break(change, contract)
                else:
                    reason = breaks(mode, change.backward, change.forward)
                noticeable = reason is not None or (
                    mode == "NONE" and not change.compatible_both_ways
                )
                if noticeable:
                    result.breaking = True
                if change.kind == d.NOT_RESERVED:
                    continue
                judged = Judged(change, reason, old_label=target.label)
                if target is not latest:
                    judged.against = f" against {target.label}"
                if reason is not None:
                    judged.waiver = _covering(waivers, change, root_path(newer.schema))
                    if judged.waiver is not None:
                        used.add(judged.waiver.index)
                result.judged.append(judged)
        if newer.schema.format == "protobuf" and newer.file_rel is not None:
            for change in diff_schemas(latest_schema, newer.schema, self.json_policy):
                if change.kind == d.NOT_RESERVED:
                    result.judged.append(Judged(change, None, old_label=latest.label))
        return result

    def history_step(
        self,
        versions: list[Resolved],
        newer_index: int,
        contract: Mapping[str, Any],
        waivers: list[Waiver],
        used: set[int],
    ) -> str | None:
        """Judge one step of the history; returns a description when it needs a major."""
        newer = versions[newer_index]
        older = versions[:newer_index]
        mode = newer.entry.mode
        result = self.compare(older, newer, mode, contract, waivers, used)
        if newer.entry.is_current:
            self._current_step = {j.change.key() for j in result.judged}
            self._current_major = result.breaking
        label = f"from {result.compared or older[-1].label} to {newer.entry.version.text}"
        self.emit(result, newer, mode, contract, label, HISTORY)
        old_v, new_v = older[-1].entry.version, newer.entry.version
        if newer.entry.is_current and weakened(older[-1].entry.mode, mode):
            self.issue(
                MODE_WEAKENED,
                newer.entry.pointer + "/compatibility",
                old=older[-1].entry.mode,
                new=mode,
                since=older[-1].label,
                contract=contract["name"],
            )
        return self.major_check(result, old_v, new_v, newer, contract, label)

    def major_check(
        self,
        result: StepResult,
        old_v: Version,
        new_v: Version,
        newer: Resolved,
        contract: Mapping[str, Any],
        label: str,
    ) -> str | None:
        if not result.breaking:
            return None
        if old_v.comparable(new_v) and new_v.key > old_v.key and not is_major_bump(old_v, new_v):
            first = next((j for j in result.judged if j.reason), None)
            what = first.change.summary if first else "a change readers notice"
            where = newer.entry.pointer + "/version"
            fix: tuple[Edit, ...] = ()
            if newer.entry.is_current:
                fix = self.bump(where, self._versions, "major", old_v)
            target = fix[0].value if fix else bumped(old_v, "major", self.today().isoformat())
            self.issue(
                MAJOR_BUMP,
                where,
                fix=fix,
                bump=f"bump it to {target}" if target is not None else "bump the major version",
                old=old_v.text,
                new=new_v.text,
                change=what,
                contract=contract["name"],
            )
        return label

    def emit(
        self,
        result: StepResult,
        newer: Resolved,
        mode: str,
        contract: Mapping[str, Any],
        label: str,
        check: str,
        base_label: str = "",
    ) -> None:
        model = contract.get("kind") == "model"
        listed = {PROTOBUF_RESERVE: 0, check: 0}
        over = [
            j
            for j in result.judged
            if j.change.kind != d.NOT_RESERVED and j.reason is not None and j.waiver is None
        ][MAX_LISTED:]
        skipped = {id(j) for j in over}
        for judged in result.judged:
            change = judged.change
            if id(judged) in skipped:
                continue
            if change.kind == d.NOT_RESERVED:
                listed[PROTOBUF_RESERVE] += 1
                if listed[PROTOBUF_RESERVE] > MAX_LISTED:
                    continue
            pointer, at_key, where = self.position(change, newer)
            related = self.related_for(change, judged.old_label or base_label or label)
            # A change made in a schema file is reported there, the plan line related
            # (pipeline/change_site.py moves it once the findings are filtered).
            new = change.new
            elsewhere = new is not None and new.path != self.plan.path and new.span is not None
            site: dict[str, Any] = {CHANGE_SITE: IN_SCHEMA_FILE} if where and elsewhere else {}
            if change.kind == d.NOT_RESERVED:
                self.issue(
                    PROTOBUF_RESERVE,
                    pointer,
                    related,
                    at_key,
                    change=change.summary,
                    where=where,
                    step=label,
                    contract=contract["name"],
                    **site,
                )
                continue
            if judged.reason is None or judged.waiver is not None:
                continue
            values = {
                "change": change.summary,
                "mode": mode,
                "reason": judged.reason,
                "where": where,
                "remedy": remedy(change, judged.reason),
                "step": label + judged.against,
                "contract": contract["name"],
                "kind": change.kind,
                **site,
            }
            if over and listed[check] == MAX_LISTED - 1:
                values["change"] += f" (and {len(over)} more incompatible changes, not listed)"
            listed[check] += 1
            self.issue(MODEL_CONTRACT if model else check, pointer, related, at_key, **values)

    def position(self, change: Change, newer: Resolved) -> tuple[str, bool, str]:
        """Where in the plan a difference is reported, and the schema-file line if any."""
        holder = newer.entry.pointer
        if newer.file_rel is not None:
            where = ""
            origin = change.new
            if origin is not None and origin.span is not None:
                # The line may be in a file the schema file imports.
                where = f" (`{origin.path or newer.file_rel}` line {origin.span.start_line})"
            return holder + "/schema_file", False, where
        origin = change.new
        if origin is not None and origin.pointer and origin.path == self.plan.path:
            if origin.pointer + "/name" in self.plan.values:
                return origin.pointer + "/name", False, ""
            return origin.pointer, False, ""
        return holder + "/fields", True, ""

    def related_for(self, change: Change, label: str) -> tuple[Related, ...]:
        out: list[Related] = []
        if change.old is not None:
            out.append(Related(change.old.path, change.old.span, f"`{change.path}` in {label}"))
        if change.new is not None and change.new.path != self.plan.path:
            out.append(Related(change.new.path, change.new.span, f"`{change.path}` now"))
        return tuple(out)

    def migration_plan(self, contract: Mapping[str, Any], pointer: str, label: str) -> None:
        missing = [key for key in ("deprecation_window", "migration") if not contract.get(key)]
        if missing:
            self.issue(
                MIGRATION_PLAN,
                pointer + "/name",
                missing=" and ".join(f"`{key}`" for key in missing),
                step=label,
                contract=contract["name"],
            )

    # -- the git base ----------------------------------------------------------------------

    def base_contracts(self) -> BaseSide | None:
        ref = self.settings.base
        if not ref:
            return None
        return load_base_side(self.plan, ref, self.settings.git_bases)

    def base_step(
        self,
        contract: Mapping[str, Any],
        pointer: str,
        versions: list[Resolved],
        side: BaseSide,
        base_contract: tuple[Mapping[str, Any], str],
        waivers: list[Waiver],
        used: set[int],
    ) -> str | None:
        raw, base_pointer = base_contract
        base_versions = [side.resolve(entry, raw) for entry in entries(raw, base_pointer)]
        if not base_versions or not versions:
            return None
        head = versions[-1]
        base_head = base_versions[-1]
        label = f"against the base {shown_ref(side.ref)}"
        base_head.label = f"the base ({shown_ref(side.ref)})"
        for version in base_versions[:-1]:
            version.label = f"version {version.entry.version.text} at the base"
        mode = head.entry.mode
        related_base = (
            Related(
                side.display, side.plan.span(base_pointer + "/name"), "the contract at the base"
            ),
        )
        unreadable = [v for v in base_versions if v.error is not None]
        for version in unreadable:
            assert version.error is not None
            self.issue(
                SCHEMA_FILE,
                head.entry.pointer + "/schema_file"
                if "schema_file" in head.entry.holder
                else pointer + "/name",
                related_base,
                file=version.file_rel,
                problem=version.error.message
                + version.error.where()
                + f"; the change against the base {shown_ref(side.ref)} cannot be judged",
                remedy=f"check the base's file with `git show {side.ref}:{version.file_rel}`"
                if version.file_rel and not version.file_rel.startswith(f"{side.ref}:")
                else f"check the base's file with `git show {version.file_rel}`",
            )
        if base_head.error is not None:
            return None
        if weakened(base_head.entry.mode, mode):
            self.issue(
                MODE_WEAKENED,
                pointer + "/compatibility",
                related_base,
                old=base_head.entry.mode,
                new=mode,
                since=f"the base ({shown_ref(side.ref)})",
                contract=contract["name"],
            )
        if raw.get("format") != contract.get("format"):
            self.issue(
                BASE,
                pointer + "/format",
                related_base,
                change=f"changing the format from {raw.get('format')} to {contract.get('format')}",
                mode=mode,
                reason="readers of one format cannot read the other",
                where="",
                remedy=f"keep format {raw.get('format')}, or publish the {contract.get('format')} "
                "schema as a new contract",
                step=label,
                contract=contract["name"],
                kind="format-changed",
            )
            return label
        if (
            contract.get("kind") == "model"
            and raw.get("enforced") is True
            and (contract.get("enforced") is not True)
        ):
            self.issue(
                MODEL_CONTRACT,
                pointer + ("/enforced" if "enforced" in contract else "/name"),
                related_base,
                change="dropping enforcement of the model contract",
                mode=mode,
                reason="consumers lose the build-time guarantee of every column",
                where="",
                remedy="keep `enforced: true`",
                step=label,
                contract=contract["name"],
                kind="enforcement-dropped",
            )
        result = self.compare(base_versions, head, mode, contract, waivers, used)
        # What the in-file history already reports for the current version is not repeated.
        every = result.judged
        reported = self._current_step
        result.judged = [j for j in every if j.change.key() not in reported]
        self.emit(result, head, mode, contract, label, BASE, label)
        old_v, new_v = base_head.entry.version, head.entry.version
        if every and old_v.comparable(new_v) and new_v.key == old_v.key:
            changed = [j for j in every if j.change.kind != d.NOT_RESERVED]
            if changed:
                level = "major" if result.breaking else "minor"
                self.issue(
                    VERSION_BUMP,
                    pointer + "/version",
                    related_base,
                    fix=self.bump(pointer + "/version", versions, level, old_v),
                    version=new_v.text,
                    change=changed[0].change.summary,
                    step=f"since the base {shown_ref(side.ref)}",
                    contract=contract["name"],
                )
        elif old_v.comparable(new_v) and new_v.key < old_v.key:
            self.issue(
                VERSION_ORDER,
                pointer + "/version",
                related_base,
                old=old_v.text,
                new=new_v.text,
                problem=f"is lower than the base version {old_v.text} ({shown_ref(side.ref)})",
                remedy=f"raise it to {old_v.text} or higher",
                contract=contract["name"],
            )
        if self._current_major:
            return label
        return self.major_check(result, old_v, new_v, head, contract, label)

    def removed_contracts(self, contracts: list[Any], side: BaseSide) -> None:
        names = {c.get("name") for c in contracts if isinstance(c, Mapping)}
        for name, (raw, base_pointer) in side.contracts.items():
            if name in names:
                continue
            mode = raw.get("compatibility")
            if mode == "NONE":
                continue
            self.issue(
                CONTRACT_REMOVED,
                "/contracts" if contracts else "",
                (
                    Related(
                        side.display,
                        side.plan.span(base_pointer + "/name"),
                        f"`{name}` at the base",
                    ),
                ),
                True,
                contract=name,
                base=side.ref,
                mode=mode if isinstance(mode, str) else "BACKWARD",
            )


def _covering(waivers: list[Waiver], change: Change, root: str) -> Waiver | None:
    """The waiver that accepts `change`; a waiver may name the path with or without the
    root it starts with (`$.amount` or `amount`, `Order.lines` or `lines`)."""
    paths = [change.path]
    if root and change.path.startswith(root + "."):
        paths.append(change.path[len(root) + 1 :])
    for waiver in waivers:
        if any(waiver.covers(change.kind, path) for path in paths):
            return waiver
    return None


# dbt model contracts ------------------------------------------------------------------

_MODEL_TYPE_CHANGES = {d.TYPE_CHANGED, d.TYPE_WIDENED, d.TYPE_NARROWED, d.TYPE_COMPATIBLE}


def model_break(change: Change, contract: Mapping[str, Any]) -> str | None:
    """dbt's breaking changes for a model contract (the compatibility mode aside)."""
    if contract.get("compatibility") == "NONE":
        return None
    enforced = contract.get("enforced") is True
    if change.kind == d.FIELD_REMOVED:
        return "downstream queries still select the column"
    if change.kind == d.FIELD_RENAMED:
        return "downstream queries still select the old column name"
    if change.kind in _MODEL_TYPE_CHANGES:
        return "downstream models and exports rely on the column's data type"
    if (
        enforced
        and change.kind == d.CONSTRAINT_LOOSENED
        and ("not_null" in change.summary or "unique" in change.summary)
    ):
        return "consumers rely on the enforced constraint"
    if enforced and change.kind == d.NULLABLE_ADDED:
        old = change.old_field
        if old is not None and old.type.constraints.not_null:
            return "consumers rely on the enforced not_null constraint"
    return None


# the base side ------------------------------------------------------------------------


@dataclass(slots=True)
class BaseSide:
    ref: str
    display: str  # "REF:path/of/plan.yaml"
    plan: LoadedPlan
    contracts: dict[str, tuple[Mapping[str, Any], str]]
    git: Any  # GitBase
    _parsed: dict[tuple[str, ...], Schema | SchemaFileError] = field(default_factory=dict)

    def resolve(self, entry: Entry, contract: Mapping[str, Any]) -> Resolved:
        from dataplan_lint.compat.schema_files import Refused, check_relative, parse_key

        holder = entry.holder
        schema_file = holder.get("schema_file")
        if isinstance(schema_file, str):
            try:
                rel = check_relative(schema_file)
            except Refused as exc:
                return Resolved(entry, None, schema_file, error=SchemaFileError(str(exc)))
            key = parse_key(rel, contract)
            if key not in self._parsed:
                self._parsed[key] = self._parse(rel, contract)
            parsed = self._parsed[key]
            if isinstance(parsed, SchemaFileError):
                # Never a silent pass: a base that cannot be read leaves the change unjudged.
                return Resolved(entry, None, f"{self.ref}:{rel}", error=parsed)
            return Resolved(entry, parsed, f"{self.ref}:{rel}")
        if isinstance(holder.get("fields"), list):
            return Resolved(
                entry, read_inline(holder, contract, self.plan, self.display, entry.pointer)
            )
        return Resolved(entry, None)

    def _parse(self, rel: str, contract: Mapping[str, Any]) -> Schema | SchemaFileError:
        from dataplan_lint.compat.schema_files import MAX_SCHEMA_BYTES, parse

        text = self.git.show(rel)
        if text is None:
            return SchemaFileError(f"`{rel}` does not exist at the base {shown_ref(self.ref)}")
        if len(text) > MAX_SCHEMA_BYTES:
            return SchemaFileError(f"`{rel}` is larger than {MAX_SCHEMA_BYTES:,} bytes")
        from dataplan_lint.compat.references import Fetch

        def read(path: str) -> str:
            found = self.git.show(path)
            if found is None:
                raise SchemaFileError(f"`{path}` does not exist at the base {self.ref}")
            return str(found)

        fetch = Fetch(read, MAX_SCHEMA_BYTES, prefix=f"{self.ref}:")
        try:
            return parse(text, f"{self.ref}:{rel}", contract, fetch)
        except SchemaFileError as exc:
            return exc


def load_base_side(
    plan: LoadedPlan, ref: str, git_bases: dict[tuple[str, str], GitBase]
) -> BaseSide | None:
    """The base version of `plan` (None when the plan is new on the branch); the opened
    repository is kept in `git_bases` (the run's, `Settings.git_bases`)."""
    from dataplan_lint.files.git import open_base
    from dataplan_lint.files.loader import load_text

    plan_file = Path(plan.path).resolve()
    git = open_base(ref, plan_file, git_bases)
    try:
        rel = plan_file.relative_to(git.root.resolve()).as_posix()
    except ValueError:
        return None
    base_rel = git.base_path(rel, plan.text)
    if base_rel is None:
        return None
    text = git.show(base_rel)
    if text is None:
        return None
    display = f"{ref}:{base_rel}"
    loaded = load_text(text, display)
    if loaded.plan is None or not isinstance(loaded.plan.data, dict):
        return None
    contracts: dict[str, tuple[Mapping[str, Any], str]] = {}
    raw = loaded.plan.data.get("contracts")
    if isinstance(raw, list):
        for index, contract in enumerate(raw):
            if isinstance(contract, Mapping) and isinstance(contract.get("name"), str):
                contracts.setdefault(contract["name"], (contract, f"/contracts/{index}"))
    return BaseSide(ref, display, loaded.plan, contracts, git)
