"""The six ones' reports on a hand-built week: the numbers, the PDF, the Excel, kept once issued."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import BytesIO
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from yiwang.feedback import reports
from yiwang.feedback import selectors as fs
from yiwang.feedback import services as s
from yiwang.feedback.models import IssuedReport
from yiwang.feedback.reviewables import APPLICATION_RESULT

from .builders import decided

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 2)


def at(d: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(d, datetime.min.time()) + timedelta(hours=hour))


def review(w: Any, level: int, day: date, *tags: str) -> Any:
    return s.review_give(
        actor=w.users["applicant"],
        service=APPLICATION_RESULT,
        subject_id=decided(w).pk,
        data=s.ReviewInput(level=level, tags=tags),
        channel="portal",
        now=at(day),
    )


def week(w: Any) -> None:
    review(w, 5, MONDAY, "fast")
    review(w, 4, MONDAY + timedelta(days=1))
    review(w, 3, MONDAY + timedelta(days=2))
    late = review(w, 2, MONDAY + timedelta(days=3), "late")
    malicious = review(w, 1, MONDAY + timedelta(days=4), "attitude")
    review(w, 1, MONDAY + timedelta(days=7))  # the next Monday: not in the week
    rect = late.rectification.case
    s.rectification_callback(actor=w.users["reviewer"], case_id=rect.pk, note="已回访")
    s.rectification_rectify(
        actor=w.users["reviewer"], case_id=rect.pk, findings="超期一天", actions="优化流程"
    )
    mc = malicious.rectification.case
    s.rectification_appeal(actor=w.users["reviewer"], case_id=mc.pk, kind="malicious", reason="非本人办件")
    s.appeal_decide(actor=w.users["service_supervisor"], case_id=mc.pk, uphold=True, reason="恶意")
    c1 = s.complaint_log(
        actor=w.users["service_supervisor"],
        data=s.ComplaintInput(via="phone", description="排队太久"),
        received_at=at(MONDAY),
    )
    s.complaint_log(
        actor=w.users["service_supervisor"],
        data=s.ComplaintInput(via="online", description="网上办不了"),
        received_at=at(MONDAY + timedelta(days=2)),
    )
    s.complaint_reply(actor=w.users["service_supervisor"], case_id=c1.pk, reply="已增开窗口")


def test_the_weeks_figures(world: Any) -> None:
    week(world)
    f = fs.period_figures(MONDAY, MONDAY + timedelta(days=6))
    r = f["reviews"]
    assert (r["total"], r["counted"], r["excluded"], r["bad"]) == (5, 4, 1, 1)
    assert r["levels"] == {5: 1, 4: 1, 3: 1, 2: 1, 1: 0}
    assert (r["bad_rate"], r["good_rate"], r["average"]) == (25.0, 75.0, 3.5)
    tags = {t["tag"]: t for t in f["tags"]}
    assert tags["late"]["count"] == 1 and tags["late"]["contradicted"] == 1  # decided in time
    assert tags["attitude"]["count"] == 0  # the excluded review is not counted
    assert f["rectifications"]["opened"] == 2
    assert f["appeals"]["filed"] == 1 and f["appeals"]["upheld"] == 1
    assert f["complaints"]["logged"] == 2 and f["complaints"]["by_via"] == {
        "in_person": 0,
        "phone": 1,
        "online": 1,
    }
    assert [c["level"] for c in f["cases"]] == [2]
    assert f["by_office"] == [
        {"code": world.office.code, "name": world.office.name, "reviews": 4, "bad": 1, "average": 3.5}
    ]


def test_the_weekly_report_is_issued_once_as_pdf_and_excel(world: Any) -> None:
    week(world)
    rep = reports.report_issue(actor=None, period="weekly", day=MONDAY + timedelta(days=3))
    assert (rep.start, rep.end) == (MONDAY, MONDAY + timedelta(days=6))
    assert bytes(rep.pdf).startswith(b"%PDF") and rep.figures["reviews"]["counted"] == 4
    wb = load_workbook(BytesIO(bytes(rep.xlsx)))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert rows[1][1] == 5 and rows[2][1] == 4  # reviews, counted
    again = reports.report_issue(actor=None, period="weekly", day=MONDAY)
    assert again.pk == rep.pk and IssuedReport.objects.count() == 1


def test_the_periodic_job_issues_each_ended_period_once(world: Any) -> None:
    today = MONDAY + timedelta(days=7)
    assert reports.reports_issue_due(today) == 3
    assert reports.reports_issue_due(today) == 0
    assert set(IssuedReport.objects.values_list("period", "start")) == {
        ("daily", today - timedelta(days=1)),
        ("weekly", MONDAY),
        ("monthly", date(2026, 10, 1)),
    }


def test_a_report_of_a_period_not_ended_is_refused_to_the_job() -> None:
    from yiwang.core.errors import ServiceError

    with pytest.raises(ServiceError):
        reports.report_issue(actor=None, period="monthly", day=timezone.localdate())
