"""Satisfaction journeys in real Chromium: an applicant rates an application from the QR code on its notice
(phone width); a bad review is called back and rectified by the office and the reviewer rates the rectification;
a supervisor reads the monthly report with its chart, table and PDF (desktop, then in English)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from tests.feedback.builders import decided
from yiwang.applications.notices import rate_url
from yiwang.feedback import reports
from yiwang.feedback import services as s
from yiwang.feedback.models import Review

from .browser import horizontal_overflow, login, screenshot, switch_language

if TYPE_CHECKING:
    from tests.factories import World

pytestmark = pytest.mark.e2e


def test_applicant_rates_from_the_notice_qr(world: World, phone_page: Any) -> None:
    case = decided(world)
    url = urlsplit(rate_url(case, "approval"))
    page = phone_page
    page.goto(f"{url.path}?{url.query}")
    assert horizontal_overflow(page) == 0
    assert case.number in page.locator("#rate-label").inner_text()
    page.locator("label.level-5").click()
    page.locator("input[name=tags][value=fast]").check()
    page.locator("#comment").fill("很快就办好了")
    screenshot(page, "feedback rate from qr 375")
    with page.expect_navigation():
        page.locator("#rate-submit").click()
    assert page.locator("#thanks").is_visible()
    review = Review.objects.get(subject_id=case.pk)
    assert (review.level, review.tags, review.channel, review.comment) == (
        5,
        ["fast"],
        "mobile",
        "很快就办好了",
    )
    page.goto(f"{url.path}?{url.query}")
    assert page.locator("#already").is_visible()


def test_bad_review_rectified_and_rated(world: World, page: Any, new_page: Any) -> None:
    case = decided(world)
    login(page, world.users["applicant"].username)
    page.goto(f"/feedback/rate/?service=application.result&number={case.number}")
    page.locator("label.level-1").click()
    page.locator("input[name=tags][value=attitude]").check()
    page.locator("input[name=tags][value=late]").check()
    with page.expect_navigation():
        page.locator("#rate-submit").click()
    assert page.locator("#thanks").is_visible()
    rect = Review.objects.get(subject_id=case.pk).rectification.case

    office = new_page(1280, 800, label="office")
    login(office, world.users["reviewer"].username)
    office.goto("/feedback/rectifications/")
    with office.expect_navigation():
        office.locator("#rectifications a", has_text=rect.number).click()
    assert office.locator("#check-late [data-verdict]").get_attribute("data-verdict") == "contradicted"
    assert office.locator("#check-attitude [data-verdict]").get_attribute("data-verdict") == "unknown"
    screenshot(office, "feedback rectification 1280")
    office.locator("#note").fill("申请人反映窗口人员不耐烦")
    with office.expect_navigation():
        office.locator("#form-callback button").click()
    office.locator("#findings").fill("窗口人员解释不耐心")
    office.locator("#actions").fill("已批评教育并组织服务礼仪培训")
    with office.expect_navigation():
        office.locator("#form-rectify button").click()
    assert office.locator("#rect-status").inner_text() == "已整改并告知"

    page.goto(f"/feedback/rectifications/{rect.pk}/rate/")
    assert "服务礼仪培训" in page.locator("#rect-actions").inner_text()
    page.locator("#rating").select_option("4")
    with page.expect_navigation():
        page.locator("#rect-rate-form button").click()
    assert page.locator("#thanks").is_visible()
    office.reload()
    assert office.locator("#rect-rating").inner_text() == "4"
    assert office.locator("#rect-status").inner_text() == "已办结"


def test_supervisor_reads_the_monthly_report(world: World, page: Any) -> None:
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    case = decided(world)
    s.review_give(
        actor=world.users["applicant"],
        service="application.result",
        subject_id=case.pk,
        data=s.ReviewInput(level=2, tags=("late",)),
        channel="portal",
        now=timezone.make_aware(timezone.datetime.combine(last_month, timezone.datetime.min.time()))
        + timedelta(hours=10),
    )
    reports.report_issue(actor=None, period="monthly", day=last_month)
    login(page, world.users["supervisor"].username)
    page.goto("/feedback/reports/")
    with page.expect_navigation():
        page.locator("#reports a", has_text="每月一通报").click()
    assert last_month.strftime("%Y-%m") in page.locator("#report-title").inner_text()
    assert page.locator("#report-summary tbody tr").first.locator("td").nth(1).inner_text() == "1"
    assert page.locator("#chart-levels canvas").count() == 1
    screenshot(page, "feedback monthly report 1280 zh")
    with page.expect_download() as download:
        page.locator("#report-pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")
    switch_language(page, "en")
    assert "Monthly report of service quality" in page.locator("#report-title").inner_text()
    screenshot(page, "feedback monthly report 1280 en")
