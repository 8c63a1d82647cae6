"""Which file names are plans (discovery finds them; the git base lists deleted ones)."""

from __future__ import annotations

PLAN_NAMES = ("dataplan.yaml", "dataplan.yml")
PLAN_SUFFIXES = (".dataplan.yaml", ".dataplan.yml")


def is_plan_name(name: str) -> bool:
    return name in PLAN_NAMES or name.endswith(PLAN_SUFFIXES)
