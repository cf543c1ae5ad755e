"""Authorization rows for satisfaction reviews, rectifications, the complaints post, the reports and the
assessment. A clerk sees their own reviews and scores only: never a colleague's (the "colleague" rows)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from .registry import ALL, APPLICANTS, Route

CLERK = frozenset({"clerk"})
OPERATOR = frozenset({"hotline_operator"})
BUREAU = frozenset({"service_supervisor"})
OFFICE = frozenset({"reviewer", "supervisor", "dept_admin"})
REVIEWS = OFFICE | frozenset({"hall_manager", "clerk"}) | BUREAU
RECTS = OFFICE | BUREAU
READERS = frozenset({"supervisor", "dept_admin", "hall_manager"}) | BUREAU
STAFF_SCORES = READERS | frozenset({"clerk", "reviewer"})
APPLICANT = frozenset({"applicant"})


def objects(w: Any) -> dict[str, Any]:
    if "feedback_routes" in w.extra:
        return w.extra["feedback_routes"]  # type: ignore[no-any-return]
    from tests.factories import make_staff
    from tests.feedback.builders import decided, served, setup
    from yiwang.accounts.roles import Role
    from yiwang.feedback import reports
    from yiwang.feedback import services as s

    f = setup(w)
    case = decided(w)
    review = s.review_give(
        actor=w.users["applicant"],
        service="application.result",
        subject_id=case.pk,
        data=s.ReviewInput(level=1, tags=("late",)),
        channel="portal",
    )
    spare = decided(w)  # reviewed by the rows that give reviews
    colleague = make_staff("t_clerk2", [Role.CLERK], hall=w.hall)
    elsewhere = served(w, person=w.other_person, clerk=colleague)
    elsewhere.hall = w.other_hall
    elsewhere.save(update_fields=["hall"])
    other_review = s.review_give(
        actor=None,
        service="hall_visit",
        subject_id=elsewhere.pk,
        data=s.ReviewInput(level=4),
        channel="mobile",
        code=str(elsewhere.token),
    )
    complaint = s.complaint_log(
        actor=w.users["service_supervisor"], data=s.ComplaintInput(via="phone", description="窗口态度差")
    )
    report = reports.report_issue(actor=None, period="daily", day=timezone.localdate() - timedelta(days=1))
    w.extra["feedback_routes"] = {
        "case": case,
        "spare": spare,
        "review": review,
        "rect": review.rectification.case,
        "other_review": other_review,
        "complaint": complaint,
        "report": report,
        "window": f["window"],
        "colleague": colleague,
    }
    return w.extra["feedback_routes"]  # type: ignore[no-any-return]


def _o(key: str, name: str = "pk") -> Any:
    return lambda w: {name: objects(w)[key].pk}


def _rect(w: Any) -> dict[str, Any]:
    return {"case_id": objects(w)["rect"].pk}


def _window(w: Any) -> dict[str, Any]:
    return {"window_id": objects(w)["window"].pk}


def _review_body(w: Any) -> dict[str, Any]:
    case = objects(w)["spare"]
    return {
        "service": "application.result",
        "subject": case.pk,
        "level": 5,
        "code": case.application.public_token,
    }


R = Route
ROUTES = [
    # portal and the QR page
    R("feedback:rate", allow=ALL, must_succeed=ALL),
    R("feedback:rate", "POST", allow=ALL, json=False, data=lambda w: {"number": "nope"}),
    R("feedback:mine", allow=APPLICANTS, must_succeed=APPLICANTS),
    R("feedback:rectification_rate", allow=ALL, must_succeed=ALL, kwargs=_rect),
    R(
        "feedback:rectification_rate",
        "POST",
        allow=ALL,
        json=False,
        kwargs=_rect,
        data=lambda w: {"rating": "x"},
    ),
    # the rating pad
    R("feedback:console", allow=CLERK, must_succeed=CLERK),
    R(
        "feedback:console_ask",
        "POST",
        allow=CLERK,
        json=False,
        kwargs=_window,
        data=lambda w: {"number": "nope"},
    ),
    R("feedback:console_cancel", "POST", allow=CLERK, json=False, kwargs=_window),
    R("feedback:pad", allow=CLERK, must_succeed=CLERK, kwargs=_window),
    R("feedback:pad_state", allow=CLERK, must_succeed=CLERK, kwargs=_window),
    R("feedback:pad_rate", "POST", allow=CLERK, json=False, kwargs=_window, data=lambda w: {"level": "5"}),
    # workbench
    R("feedback:forward", allow=OPERATOR, must_succeed=OPERATOR),
    R("feedback:forward", "POST", allow=OPERATOR, json=False, data=lambda w: {"service": "hotline"}),
    R("feedback:reviews", allow=REVIEWS, must_succeed=REVIEWS),
    R(
        "feedback:review",
        allow=REVIEWS,
        must_succeed=REVIEWS,
        kwargs=lambda w: {"review_id": objects(w)["review"].pk},
    ),
    R(
        "feedback:review",
        allow=BUREAU,
        kwargs=lambda w: {"review_id": objects(w)["other_review"].pk},
        variant="a colleague's visit at another hall",
    ),
    R("feedback:rectifications", allow=RECTS, must_succeed=RECTS),
    R("feedback:rectification", allow=RECTS, must_succeed=RECTS, kwargs=_rect),
    R(
        "feedback:rectification",
        "POST",
        allow=RECTS,
        json=False,
        kwargs=_rect,
        data=lambda w: {"action": "nope"},
    ),
    R("feedback:appeals", allow=BUREAU, must_succeed=BUREAU),
    R("feedback:complaints", allow=RECTS, must_succeed=RECTS),
    R(
        "feedback:complaints",
        "POST",
        allow=BUREAU,
        json=False,
        data=lambda w: {"via": "phone", "description": "投诉"},
    ),
    R(
        "feedback:complaint",
        allow=BUREAU,
        must_succeed=BUREAU,
        kwargs=lambda w: {"case_id": objects(w)["complaint"].pk},
    ),
    R("feedback:reports", allow=READERS, must_succeed=READERS),
    R(
        "feedback:reports",
        "POST",
        allow=BUREAU,
        json=False,
        data=lambda w: {"period": "daily", "day": "2026-01-05"},
    ),
    R(
        "feedback:report",
        allow=READERS,
        must_succeed=READERS,
        kwargs=lambda w: {"report_id": objects(w)["report"].pk},
    ),
    R(
        "feedback:report_file",
        allow=READERS,
        must_succeed=READERS,
        kwargs=lambda w: {"report_id": objects(w)["report"].pk, "fmt": "pdf"},
    ),
    # API
    R("API GET /api/feedback/services", allow=ALL, must_succeed=ALL),
    R("API POST /api/feedback/reviews", allow=ALL, data=_review_body),
    R(
        "API POST /api/feedback/reviews/{review_id}/change",
        allow=APPLICANT,
        kwargs=lambda w: {"review_id": objects(w)["review"].pk},
        data=lambda w: {"level": 2, "tags": ["late"]},
    ),
    R("API POST /api/feedback/forwarded", allow=OPERATOR, data=_review_body),
    R("API GET /api/feedback/reviews", allow=REVIEWS, must_succeed=REVIEWS),
    R(
        "API GET /api/feedback/reviews/{review_id}",
        allow=REVIEWS,
        kwargs=lambda w: {"review_id": objects(w)["review"].pk},
    ),
    R(
        "API GET /api/feedback/reviews/{review_id}",
        allow=BUREAU,
        kwargs=lambda w: {"review_id": objects(w)["other_review"].pk},
        variant="a colleague's visit at another hall",
    ),
    R("API GET /api/feedback/rectifications/{case_id}", allow=RECTS, must_succeed=RECTS, kwargs=_rect),
    R(
        "API POST /api/feedback/rectifications/{case_id}/callback",
        allow=OFFICE,
        kwargs=_rect,
        data=lambda w: {"note": "已回访"},
    ),
    R(
        "API POST /api/feedback/rectifications/{case_id}/rectify",
        allow=OFFICE,
        kwargs=_rect,
        data=lambda w: {"findings": "超期", "actions": "整改"},
    ),
    R(
        "API POST /api/feedback/rectifications/{case_id}/rate",
        allow=APPLICANT,
        kwargs=_rect,
        data=lambda w: {"rating": 4},
    ),
    R(
        "API POST /api/feedback/rectifications/{case_id}/appeal",
        allow=OFFICE,
        kwargs=_rect,
        data=lambda w: {"kind": "mistaken", "reason": "评错"},
    ),
    R(
        "API POST /api/feedback/rectifications/{case_id}/decide",
        allow=BUREAU,
        kwargs=_rect,
        data=lambda w: {"uphold": False, "reason": "不成立"},
    ),
    R(
        "API POST /api/feedback/complaints",
        allow=BUREAU,
        data=lambda w: {"via": "online", "description": "投诉"},
    ),
    R(
        "API POST /api/feedback/complaints/{case_id}/reply",
        allow=BUREAU,
        kwargs=lambda w: {"case_id": objects(w)["complaint"].pk},
        data=lambda w: {"reply": "已处理"},
    ),
    R("API GET /api/feedback/reports", allow=READERS, must_succeed=READERS),
    R(
        "API POST /api/feedback/reports",
        allow=BUREAU,
        data=lambda w: {"period": "daily", "day": "2026-01-05"},
    ),
    # analytics
    R("analytics:dashboard", allow=READERS, must_succeed=READERS),
    R("analytics:assessment", allow=READERS, must_succeed=READERS),
    R("analytics:formula", "POST", allow=BUREAU, json=False, data=lambda w: {"w_timeliness": "0.5"}),
    R("analytics:staff", allow=STAFF_SCORES, must_succeed=STAFF_SCORES),
    R("analytics:index", allow=READERS, must_succeed=READERS),
    R("analytics:thirdparty", allow=READERS, must_succeed=READERS),
    R("analytics:thirdparty", "POST", allow=BUREAU, json=False, data=lambda w: {}),
    R("API GET /api/analytics/assessment", allow=READERS, must_succeed=READERS),
    R("API GET /api/analytics/staff", allow=STAFF_SCORES, must_succeed=STAFF_SCORES),
    R(
        "API GET /api/analytics/staff",
        allow=BUREAU | frozenset({"hall_manager"}),
        data=lambda w: {"user": objects(w)["colleague"].pk},
        variant="a colleague's scores (a clerk never sees them)",
    ),
    R("API GET /api/analytics/index", allow=READERS, must_succeed=READERS),
    R("API POST /api/analytics/formulas", allow=BUREAU, data=lambda w: {"weights": {"timeliness": 1}}),
]
