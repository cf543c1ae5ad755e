"""Rules-engine journeys in real Chromium: an enterprise agent finds a policy on the calculator and starts the
application (phone width); a policy officer edits a rule, sees the error named by its condition, tests it on a
sample enterprise and publishes it; a grid worker opens a visit and records "applied", which files an
application with the grid worker as agent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest

from tests.applications.builders import make_item
from tests.outreach.builders import outreach_settings, resident
from yiwang.cases.models import CaseParty
from yiwang.outreach import services as os_
from yiwang.outreach.models import Visit
from yiwang.policies import services as ps
from yiwang.policies.models import EnterpriseProfile, TaxCreditRating

from .browser import horizontal_overflow, login, screenshot

if TYPE_CHECKING:
    from tests.factories import World

pytestmark = pytest.mark.e2e

DOC = {
    "conditions": [
        {
            "id": "local",
            "label": "注册在龙岗区",
            "left": {"fact": "street_code"},
            "op": "prefix",
            "value": ["440307"],
        },
        {
            "id": "staff",
            "label": "从业人数不少于10人",
            "left": {"fact": "employees"},
            "op": ">=",
            "value": 10,
        },
    ],
    "amount": {"formula": {"op": "*", "args": [{"fact": "employees"}, {"const": "1000"}]}, "cap": "50000"},
}


def _policy(world: World, item: Any = None) -> Any:
    world.enterprise.street = world.street
    world.enterprise.save()
    EnterpriseProfile.objects.create(enterprise=world.enterprise, employees=20, revenue=Decimal(5_000_000))
    TaxCreditRating.objects.create(enterprise=world.enterprise, year=2025, rating="A")
    return ps.policy_create(
        actor=None,
        data=ps.PolicyInput(
            code="RC900",
            name="稳岗补贴（测试）",
            category="talent",
            department=world.dept,
            source_document="《测试办法》",
            document=DOC,
            opens_on=date(2020, 1, 1),
            closes_on=date(2099, 12, 31),
            item=item,
        ),
        publish=True,
    )


def test_agent_finds_a_policy_and_applies(world: World, phone_page: Any) -> None:
    item = make_item(world, name="稳岗补贴申领")
    _policy(world, item)
    page = phone_page
    login(page, world.users["agent"].username)
    page.goto("/policies/calculator/")
    row = page.locator("#eligible [data-policy=RC900]")
    assert "20,000.00" in row.inner_text() and "2099-12-31" in row.inner_text()
    assert horizontal_overflow(page) == 0
    screenshot(page, "rules calculator 375 zh")
    with page.expect_navigation():
        row.locator("a.btn").click()
    assert "稳岗补贴申领" in page.locator("h1").inner_text()
    with page.expect_navigation():
        page.locator("#main form button[type=submit]").click()
    assert page.locator("#case-status").inner_text() == "草稿"


def test_officer_edits_tests_and_publishes(world: World, page: Any) -> None:
    _policy(world)
    login(page, world.users["policy_officer"].username)
    page.goto("/policies/manage/RC900/")
    page.locator("[name=c-1-left]").fill("employes")
    with page.expect_navigation():
        page.locator("button[value=save]").click()
    assert "staff" in page.locator("#errors [data-where=staff]").inner_text()
    assert "employes" in page.locator("#errors").inner_text()
    page.locator("[name=c-1-left]").fill("employees")
    page.locator("[name=c-1-value]").fill("30")
    page.locator("#enterprises").fill(world.enterprise.credit_code)
    with page.expect_navigation():
        page.locator("button[value=test]").click()
    assert "差 10" in page.locator("#tests").inner_text()
    with page.expect_navigation():
        page.locator("button[value=save]").click()
    assert page.locator("#publish").count() == 1
    screenshot(page, "rules editor 1280 zh")
    with page.expect_navigation():
        page.locator("#publish").click()
    assert "0" in page.locator("#qualifying-count").inner_text()


def test_grid_worker_visit_files_an_application(world: World, page: Any) -> None:
    with outreach_settings(world):
        r = resident(world, date(1950, 3, 1))
        os_.screening_run(actor=world.users["supervisor"], purpose="试点筛查")
        visit = Visit.objects.get(resident=r, benefit="senior_card")
        login(page, world.users["grid_worker"].username)
        page.goto("/outreach/visits/")
        assert r.id_masked in page.locator("#visits").inner_text()
        assert r.id_number not in page.content()
        with page.expect_navigation():
            page.locator(f"[data-visit='{visit.pk}'] a").click()
        page.locator("#id_outcome").select_option("applied")
        with page.expect_navigation():
            page.locator("#outcome-form button[type=submit]").click()
        assert page.locator("#case-number").inner_text().strip()
        visit.refresh_from_db()
        agent = CaseParty.objects.get(case=visit.case, role="agent")
        assert agent.name == world.users["grid_worker"].full_name
