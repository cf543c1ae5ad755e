"""The demo's construction projects (深圳90, docs/capabilities.md C15): the 2019 ledger reproduces the seeds'
totals (4,543 cases, 1,847 government / 2,696 social investment, 3,193 early = 70.28%); a few hundred
projects of every type in every stage; two live projects filed through the services; loading again changes
nothing."""

from __future__ import annotations

import pytest

from yiwang.cases.models import Case
from yiwang.construction import selectors
from yiwang.construction.models import Project
from yiwang.demo.loaders import construction as construction_demo

from .helpers import load_demo

pytestmark = pytest.mark.django_db


def test_the_construction_demo() -> None:
    ctx = load_demo()
    construction_demo.load(ctx)
    f = selectors.figures(year=2019)
    assert f["total"]["cases"] == 4543
    assert f["total"]["early"] == 3193
    assert f["total"]["early_rate"] == 70.28
    kinds = {r["key"]: r["cases"] for r in f["by_kind"]}
    assert kinds == {"government": 1847, "social": 2696}
    # live projects: every type in every stage
    projects = Project.objects.select_related("case")
    assert projects.count() >= 240
    seen = {(p.project_type, p.case.status) for p in projects}
    for t in ("gov_building", "gov_municipal", "social"):
        for status in ("registered", "in_approval", "permitted"):
            assert (t, status) in seen
    assert {p.stage for p in projects} == {1, 2, 3, 4}
    assert projects.filter(slack__lte=0, case__is_open=True).exists()  # the board has projects at risk
    # the live projects' item applications are real child cases, routed to their offices
    live = [p for p in projects if p.case.number and p.case.number.startswith("JS2")]
    assert len(live) == 2
    kids = Case.objects.filter(parent__in=[p.case for p in live], kind="application")
    assert kids.count() == 3 + 3 + 1  # school stage 1; road stage 1 (feasibility skipped) and stage 2
    n = projects.count()
    construction_demo.load(ctx)
    assert Project.objects.count() == n
