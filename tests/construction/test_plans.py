"""Approval plans as data: the four seed plans drawn exactly (items and budgets), and plans that cannot be
used refused with messages naming the item."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from yiwang.construction.defaults import DEFAULT_PLANS
from yiwang.construction.plans import PlanError, longest_path, plan_instantiate, plan_validate, predecessors

pytestmark = pytest.mark.usefixtures("_english")


@pytest.fixture
def _english() -> object:
    from django.utils import translation

    with translation.override("en"):
        yield


def definition(code: str) -> dict:
    return copy.deepcopy(next(p for p in DEFAULT_PLANS if p["code"] == code)["definition"])


@pytest.mark.parametrize(
    ("code", "investment", "nature", "items", "budget", "skipped"),
    [
        ("gov_municipal", "80000000", "new", 7, 90, []),
        ("gov_building", "80000000", "new", 6, 85, []),
        ("gov_municipal", "30000000", "new", 6, 70, ["feasibility"]),
        ("gov_building", "30000000", "renovation", 5, 65, ["feasibility"]),
    ],
)
def test_the_four_seed_plans_are_drawn_exactly(
    code: str, investment: str, nature: str, items: int, budget: int, skipped: list[str]
) -> None:
    inst = plan_instantiate(definition(code), investment=Decimal(investment), nature=nature)
    assert len(inst.budget_items) == items
    assert inst.budget_days == budget
    assert [i.key for i in inst.items if i.skipped] == skipped
    # the items' own budgets fill the plan's budget exactly along the longest chain
    length, _chain = longest_path([i for i in inst.items if i.stage <= 3])
    assert length == budget
    if skipped:
        assert inst.applied[0]["saves_days"] == 20
        assert "5000万元" in inst.applied[0]["text"]


def test_seed_plans_before_the_reform() -> None:
    assert definition("gov_municipal")["before"] == {"items": 9, "days": 118}
    assert definition("gov_building")["before"] == {"items": 7, "days": 128}


def test_new_or_extended_building_projects_under_50m_keep_the_feasibility_study() -> None:
    for nature in ("new", "extension"):
        inst = plan_instantiate(definition("gov_building"), investment=Decimal("30000000"), nature=nature)
        assert inst.budget_days == 85
        assert not any(i.skipped for i in inst.items)
    # municipal projects under 50 million skip it whatever the nature
    inst = plan_instantiate(
        definition("gov_municipal"), investment=Decimal("49999999.99"), nature="extension"
    )
    assert inst.budget_days == 70


def test_exactly_50_million_is_not_under_50_million() -> None:
    inst = plan_instantiate(definition("gov_municipal"), investment=Decimal("50000000"), nature="new")
    assert inst.budget_days == 90


def test_all_seed_plans_validate() -> None:
    for p in DEFAULT_PLANS:
        assert plan_validate(p["definition"]) == p["definition"]


def test_a_cycle_is_refused_naming_the_items() -> None:
    d = definition("gov_building")
    d["items"][0]["after"] = ["feasibility"]  # proposal after feasibility, feasibility after proposal
    with pytest.raises(PlanError) as e:
        plan_validate(d)
    msg = str(e.value)
    assert "cycle" in msg and "proposal" in msg and "feasibility" in msg


def test_a_budget_the_items_cannot_fit_names_the_chain() -> None:
    d = definition("gov_municipal")
    d["items"][4]["days"] = 30  # works planning 20 → 30: 100 > 90
    with pytest.raises(PlanError) as e:
        plan_validate(d)
    assert "works_planning" in str(e.value)
    assert "100 working days" in str(e.value) and "90" in str(e.value)


def test_the_rule_must_still_fit_its_shorter_budget() -> None:
    d = definition("gov_municipal")
    d["rules"][0]["saves_days"] = 25  # skipping feasibility saves only 20
    with pytest.raises(PlanError) as e:
        plan_validate(d)
    assert "under_50m" in str(e.value)


def test_unknown_dependency_unknown_item_and_bad_days() -> None:
    d = definition("social")
    d["items"][1]["after"] = ["nothing"]
    d["items"][2]["days"] = 0
    with pytest.raises(PlanError) as e:
        plan_validate(d, known_items={"LG01001-00-00"})
    p = e.value.problems
    assert "nothing" in p["land_planning.after"]
    assert "works_planning.days" in p
    assert "LG10002-00-00" in p["land_planning.item"]


def test_a_later_stage_dependency_is_refused() -> None:
    d = definition("social")
    d["items"][0]["after"] = ["permit"]
    with pytest.raises(PlanError) as e:
        plan_validate(d)
    assert "later stage" in e.value.problems["filing.after"]


def test_stage_gates_are_predecessors() -> None:
    d = definition("gov_building")
    p = predecessors(d["items"])
    assert p["proposal"] == [] and p["site"] == []
    assert p["feasibility"] == ["proposal"]
    assert sorted(p["works_planning"]) == ["feasibility", "proposal", "site"]
    assert p["drawings"] == ["works_planning"]
    assert p["permit"] == ["drawings"]
