"""The ride-trips proof of issue 21: every single-defect variant is reported by its rule
at its line and column, and every correct near-miss gets no finding at all.

A variant whose rule is not in the catalogue yet (a relation the consistency work is still
adding) is an expected failure naming the rule it waits for.
"""

from __future__ import annotations

import pytest
from ridevariants import DEFECTS, NEAR_MISSES, Defect, NearMiss, detected, findings

from dataplan_lint.engine.rulesets import bundled

KNOWN = {rule.id for rule in bundled().rules}


def _defect_param(defect: Defect) -> object:
    marks = []
    if defect.rule not in KNOWN:
        marks.append(pytest.mark.xfail(reason=f"waits for {defect.rule}", strict=True))
    return pytest.param(defect, id=f"{defect.rule}-{defect.name}", marks=marks)


def test_the_suite_has_thirty_defects_and_eight_near_misses() -> None:
    assert len(DEFECTS) >= 30 and len(NEAR_MISSES) >= 8
    assert len({d.name for d in DEFECTS}) == len(DEFECTS)


def test_the_example_itself_is_clean() -> None:
    from ruleplans import text_of

    assert findings(text_of("ride")) == []


@pytest.mark.parametrize("defect", [_defect_param(d) for d in DEFECTS])
def test_defect_is_reported_by_its_rule_at_its_place(defect: Defect) -> None:
    hit, found = detected(defect)
    assert hit, (defect.place(defect.text()), [(f.rule_id, f.line, f.col) for f in found])


@pytest.mark.parametrize("near", NEAR_MISSES, ids=lambda n: n.name)
def test_near_miss_gets_no_finding(near: NearMiss) -> None:
    assert [(f.rule_id, f.line, f.message) for f in findings(near.text())] == []
