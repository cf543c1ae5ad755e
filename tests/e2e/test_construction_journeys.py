"""深圳90 journeys in real Chromium: an owner's agent registers a project, sees the plan drawn with its rule,
fills stage 1's one form and follows the parallel items as the offices accept them (phone width); a
coordinator finds the late project at the top of the board, opens its Gantt chart and asks what if an item
takes 5 more working days (desktop, then in English)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest

from tests.construction.builders import PDF, register, setup, submit
from tests.factories import make_staff
from yiwang.accounts.roles import Role
from yiwang.applications import services as apps
from yiwang.construction import services as cs
from yiwang.construction.models import Project, ProjectItem

from .browser import horizontal_overflow, login, screenshot, switch_language

if TYPE_CHECKING:
    from pathlib import Path

    from tests.factories import World

pytestmark = pytest.mark.e2e


def test_owner_fills_a_stage_form_and_follows_the_parallel_items(
    world: World, phone_page: Any, tmp_path: Path
) -> None:
    setup(world)
    page = phone_page
    login(page, world.users["agent"].username)
    page.goto("/construction/projects/")
    assert horizontal_overflow(page) == 0
    page.locator("#title").fill("龙城街道文体中心改造")
    page.locator("#project_type").select_option("gov_building")
    page.locator("#nature").select_option("renovation")
    page.locator("#investment").fill("四千五百万")
    page.locator("#location").fill("龙城街道")
    with page.expect_navigation():
        page.locator("#register-submit").click()
    assert "投资额必须是以元为单位的数字" in page.locator("#investment-error").inner_text()
    page.locator("#investment").fill("45000000")
    with page.expect_navigation():
        page.locator("#register-submit").click()
    assert page.locator("#project-budget").inner_text() == "65"
    assert "适用规则" in page.locator(".rule-applied").inner_text()
    assert page.locator("#stage-form-2").count() == 0
    dossier = tmp_path / "第一阶段申报材料.pdf"
    dossier.write_bytes(PDF)
    form = page.locator("#stage-form-1")
    form.locator("[name=contact]").fill("李四")
    form.locator("[name=contact_phone]").fill("13900001111")
    form.locator("[name=scale]").fill("建筑面积 8000 平方米")
    form.locator("[name=dossier]").set_input_files(str(dossier))
    with page.expect_navigation():
        page.locator("#submit-stage-1").click()
    assert page.locator("#stage-submitted").is_visible()
    rows = page.locator("#stage-1 tbody tr")
    statuses = [
        rows.nth(i).locator(".item-status").inner_text()
        for i in range(rows.count())
        if rows.nth(i).locator(".item-status").count()
    ]
    assert statuses == ["网上已提交", "网上已提交"]  # 项目建议书 and 用地预审 in parallel (可研 skipped)
    screenshot(page, "construction-owner-stage1-375")
    # the planning office accepts its item: the owner sees it on reload
    p = Project.objects.get()
    site = p.items.get(key="site").application
    planner = make_staff("t_planner", [Role.REVIEWER], office=world.other_office, department=world.other_dept)
    apps.application_start_pre_review(actor=planner, case_id=site.pk)
    apps.application_accept(actor=planner, case_id=site.pk)
    page.reload()
    assert page.locator("#stage-1 tr[data-key=site] .item-status").inner_text() == "已受理"
    assert page.locator("#stage-1 tr[data-key=proposal] .item-status").inner_text() == "网上已提交"


def test_coordinator_sees_the_project_at_risk(world: World, page: Any) -> None:
    calm = register(world, title="按期推进的项目", investment="30000000", nature="renovation")
    late = register(world, title="审批滞后的道路工程", project_type="gov_municipal")
    submit(world, late, 1)
    submit(world, calm, 1)
    # the late project's stage 1 was filed 60 working days ago and is still not decided
    p = Project.objects.get(pk=late.pk)
    long_ago = p.started_on - timedelta(days=90)
    Project.objects.filter(pk=late.pk).update(started_on=long_ago)
    ProjectItem.objects.filter(project=p, stage=1).update(submitted_on=long_ago)
    cs.project_recompute(project=Project.objects.get(pk=late.pk))
    login(page, world.users["project_coordinator"].username)
    page.goto("/construction/board/")
    first = page.locator("#board tbody tr").first
    assert "审批滞后的道路工程" in first.inner_text()
    assert int(first.get_attribute("data-slack")) <= 0
    with page.expect_navigation():
        first.locator("a").click()
    assert int(page.locator("#project-slack").inner_text()) <= 0
    page.wait_for_function("document.querySelector('#chart-gantt canvas') !== null")
    assert page.locator("#gantt-table tbody tr").count() == 7
    page.locator("#wi-item").select_option("works_planning")
    with page.expect_navigation():
        page.locator("#wi-submit").click()
    assert "5" in page.locator("#what-if-answer").inner_text()
    screenshot(page, "construction-coordinator-project-1280")
    switch_language(page, "en")
    assert "more working days" in page.locator("#what-if-answer").inner_text()
    screenshot(page, "construction-coordinator-project-1280-en")
