"""The rules of the project's own rulesets, for `rules` and `explain`.

The configuration in effect for the current folder (or `--config FILE`) names the
ruleset files; each of their rules is listed with the file it comes from and its page
(description and examples), read the same bounded way `check` reads them.
"""

from __future__ import annotations

import os
from pathlib import Path

from dataplan_lint.config.file import ConfigResolver
from dataplan_lint.engine.docs import ProjectRule
from dataplan_lint.engine.rulesets import documents


def project_rules(config_file: Path | None, start: Path) -> tuple[ProjectRule, ...]:
    """Rules of the rulesets the configuration for `start` names (a `ConfigError` when
    that configuration, or a ruleset in it, cannot be used)."""
    config = ConfigResolver(config_file).for_path(start)  # validates rulesets and functions
    out: list[ProjectRule] = []
    for path, ruleset in zip(config.rulesets, config.user_rulesets(), strict=True):
        docs = documents([path])
        shown = shown_path(path, start)
        out += [ProjectRule(rule, shown, docs.get(rule.id)) for rule in ruleset.rules]
    return tuple(out)


def shown_path(path: Path, start: Path) -> str:
    """`path` as a path from `start` (the current folder), so it can be opened there."""
    try:
        return Path(os.path.relpath(path.resolve(), start.resolve())).as_posix()
    except (ValueError, OSError):
        return path.as_posix()
