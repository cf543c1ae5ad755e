"""Reads of the feedback context: reviews with their checks, the rectifications and appeals, the complaints
log, the figures of a period (the six ones' reports) and the issued reports."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from yiwang.accounts.access import has_role, is_staff_user
from yiwang.accounts.roles import Role
from yiwang.cases.access import cases_visible_q
from yiwang.cases.models import Case

from . import checks
from . import workflow as wf
from .models import Complaint, IssuedReport, PadRequest, Rectification, Review, ReviewCheck
from .reviewables import label_of
from .vocabulary import BAD_TAGS, LEVELS, level_label, tag_label

if TYPE_CHECKING:
    from yiwang.accounts.access import Visitor
    from yiwang.accounts.models import Window


def day_start(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min), timezone.get_current_timezone())


def period_q(field: str, start: date, end: date) -> Q:
    """``field`` within [start, end] (both days included, in local time)."""
    return Q(**{f"{field}__gte": day_start(start), f"{field}__lt": day_start(end + timedelta(days=1))})


def review_get(pk: int) -> Review | None:
    if not 0 < pk < 2**63:
        return None
    return (
        Review.objects.select_related("office", "hall", "clerk", "window", "case", "department")
        .filter(pk=pk)
        .first()
    )


def review_for(service: str, subject_id: int) -> Review | None:
    return Review.objects.filter(service=service, subject_id=subject_id).first()


def review_checks(review: Review) -> list[dict[str, Any]]:
    return [
        {
            "tag": c.tag,
            "tag_label": tag_label(c.tag),
            "verdict": c.verdict,
            "verdict_label": str(ReviewCheck.Verdict(c.verdict).label),
            "text": checks.message(c.detail),
        }
        for c in ReviewCheck.objects.filter(review=review).order_by("id")
    ]


def review_row(r: Review) -> dict[str, Any]:
    return {
        "review": r,
        "service": label_of(r.service),
        "level": level_label(r.level),
        "tags": [tag_label(t) for t in r.tags],
        "bad": r.level <= 2,
    }


def reviews_bad_visible(user: Visitor) -> QuerySet[Review]:
    """The bad reviews (1 or 2 stars) among those the user may read."""
    return reviews_visible(user).filter(level__lte=2)


def reviews_visible(user: Visitor) -> QuerySet[Review]:
    """Staff read the reviews of their office (reviewers, supervisors, department administrators), their hall
    (hall managers), their own (clerks); service-quality supervisors read them all."""
    qs = Review.objects.select_related("office", "hall", "clerk", "window")
    if not is_staff_user(user):
        return qs.none()
    if has_role(user, Role.SERVICE_SUPERVISOR):
        return qs
    q = Q(pk__in=[])
    if has_role(user, Role.REVIEWER, Role.SUPERVISOR, Role.DEPT_ADMIN) and user.office_id:
        q |= Q(office_id=user.office_id)
    if has_role(user, Role.HALL_MANAGER) and user.hall_id:
        q |= Q(hall_id=user.hall_id)
    if has_role(user, Role.CLERK):
        q |= Q(clerk_id=user.pk)
    return qs.filter(q)


def rectification_case(case_id: int) -> Case | None:
    return (
        Case.objects.select_related("owning_office", "clock", "rectification__review__office")
        .filter(pk=case_id, kind=wf.RECTIFICATION)
        .first()
    )


def rectifications(user: Visitor, *, status: str = "", appeals: bool = False) -> QuerySet[Case]:
    qs = Case.objects.filter(cases_visible_q(user, kind=wf.RECTIFICATION, staff_only=True))
    if appeals:
        qs = qs.filter(status="appealed")
    elif status:
        qs = qs.filter(status=status)
    return qs.select_related("owning_office", "rectification__review").order_by("due_date", "id")[:200]


def complaint_case(case_id: int) -> Case | None:
    return (
        Case.objects.select_related(
            "owning_office", "clock", "complaint__about_office", "complaint__about_hall"
        )
        .filter(pk=case_id, kind=wf.COMPLAINT)
        .first()
    )


def complaints(user: Visitor, *, status: str = "") -> QuerySet[Case]:
    qs = Case.objects.filter(cases_visible_q(user, kind=wf.COMPLAINT, staff_only=True))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("owning_office", "complaint").order_by("-received_at", "-id")[:200]


def my_reviews(user: Visitor) -> QuerySet[Review]:
    return Review.objects.filter(reviewer_id=getattr(user, "pk", None)).order_by("-given_at")[:50]


def pad_waiting(window: Window) -> PadRequest | None:
    return PadRequest.objects.filter(window=window, state=PadRequest.State.WAITING).first()


def rectification_of_review(review: Review) -> Rectification | None:
    return Rectification.objects.select_related("case").filter(review=review).first()


# --- figures of a period (daily summary, weekly cases, monthly report) ------------------------------------


def _rate(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def review_figures(qs: QuerySet[Review]) -> dict[str, Any]:
    """Counted reviews (excluded ones apart), by level, bad share, good rate (3–5), average level."""
    agg = qs.aggregate(
        n_total=Count("id"),
        n_counted=Count("id", filter=Q(excluded=False)),
        n_excluded=Count("id", filter=Q(excluded=True)),
        n_bad=Count("id", filter=Q(excluded=False, level__lte=2)),
        n_avg=Avg("level", filter=Q(excluded=False)),
        **{f"l{n}": Count("id", filter=Q(excluded=False, level=n)) for n in LEVELS},
    )
    counted = agg["n_counted"]
    return {
        "total": agg["n_total"],
        "counted": counted,
        "excluded": agg["n_excluded"],
        "bad": agg["n_bad"],
        "bad_rate": _rate(agg["n_bad"], counted),
        "good_rate": _rate(counted - agg["n_bad"], counted),
        "average": round(float(agg["n_avg"]), 2) if agg["n_avg"] is not None else None,
        "levels": {n: agg[f"l{n}"] for n in sorted(LEVELS, reverse=True)},
    }


def period_figures(start: date, end: date) -> dict[str, Any]:
    reviews = Review.objects.filter(period_q("given_at", start, end))
    figures: dict[str, Any] = {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "reviews": review_figures(reviews),
    }
    # Tags of the counted bad reviews, and what the checks found.
    tag_rows = []
    bad = reviews.filter(level__lte=2, excluded=False)
    for tag in BAD_TAGS:
        tagged = bad.filter(tag_text__contains=f",{tag},")
        verdicts = dict(
            ReviewCheck.objects.filter(review__in=tagged, tag=tag)
            .values_list("verdict")
            .annotate(n=Count("id"))
        )
        tag_rows.append(
            {
                "tag": tag,
                "label": tag_label(tag),
                "count": tagged.count(),
                "supported": verdicts.get("supported", 0),
                "contradicted": verdicts.get("contradicted", 0),
                "unknown": verdicts.get("unknown", 0),
            }
        )
    figures["tags"] = tag_rows
    by_office = (
        reviews.filter(excluded=False)
        .values("office__code", "office__name")
        .annotate(n=Count("id"), n_bad=Count("id", filter=Q(level__lte=2)), avg=Avg("level"))
        .order_by("-n", "office__code")
    )
    figures["by_office"] = [
        {
            "code": r["office__code"],
            "name": r["office__name"],
            "reviews": r["n"],
            "bad": r["n_bad"],
            "average": round(float(r["avg"]), 2),
        }
        for r in by_office
    ]
    by_hall = (
        reviews.filter(excluded=False, hall__isnull=False)
        .values("hall__code", "hall__name")
        .annotate(n=Count("id"), n_bad=Count("id", filter=Q(level__lte=2)), avg=Avg("level"))
        .order_by("-n", "hall__code")
    )
    figures["by_hall"] = [
        {
            "code": r["hall__code"],
            "name": r["hall__name"],
            "reviews": r["n"],
            "bad": r["n_bad"],
            "average": round(float(r["avg"]), 2),
        }
        for r in by_hall
    ]
    rects = Rectification.objects.all()
    opened = rects.filter(period_q("case__received_at", start, end))
    done = rects.filter(period_q("rectified_at", start, end))
    end_moment = day_start(end + timedelta(days=1))
    open_at_end = (
        Case.objects.filter(kind=wf.RECTIFICATION, received_at__lt=end_moment)
        .filter(Q(rectification__rectified_at__isnull=True) | Q(rectification__rectified_at__gte=end_moment))
        .exclude(status="excluded")
    )
    figures["rectifications"] = {
        "opened": opened.count(),
        "rectified": done.count(),
        "on_time": done.filter(on_time=True).count(),
        "on_time_rate": _rate(done.filter(on_time=True).count(), done.count()),
        "open_at_end": open_at_end.count(),
        "overdue_at_end": open_at_end.filter(due_date__lt=end).count(),
        "rated": done.filter(reviewer_rating__isnull=False).count(),
        "rated_satisfied": done.filter(reviewer_rating__gte=3).count(),
    }
    appeals = rects.exclude(appeal_kind="")
    figures["appeals"] = {
        "filed": appeals.filter(period_q("case__received_at", start, end)).count(),
        "upheld": reviews.filter(excluded=True).count(),
        "dismissed": appeals.filter(
            period_q("case__received_at", start, end), appeal_decision="dismissed"
        ).count(),
    }
    logged = Complaint.objects.filter(period_q("case__received_at", start, end))
    replied = Complaint.objects.filter(period_q("replied_at", start, end))
    figures["complaints"] = {
        "logged": logged.count(),
        "replied": replied.count(),
        "on_time": replied.filter(on_time=True).count(),
        "by_via": {v: logged.filter(via=v).count() for v in Complaint.Via.values},
    }
    figures["cases"] = [
        {
            "ref": r.subject_ref,
            "service": label_of(r.service),
            "office": r.office.name,
            "level": r.level,
            "level_label": level_label(r.level),
            "tags": "、".join(tag_label(t) for t in r.tags),
            "comment": r.comment[:200],
            "excluded": r.excluded,
        }
        for r in bad.select_related("office").order_by("given_at", "id")[:50]
    ]
    figures["complaint_cases"] = [
        {
            "number": c.case.number,
            "via": str(Complaint.Via(c.via).label),
            "text": c.description[:200],
            "status": wf.status_label(wf.COMPLAINT, c.case.status),
        }
        for c in logged.select_related("case").order_by("case__received_at")[:50]
    ]
    return figures


def issued_reports(period: str = "") -> QuerySet[IssuedReport]:
    qs = IssuedReport.objects.defer("pdf", "xlsx")
    return qs.filter(period=period) if period else qs


def issued_report(pk: int) -> IssuedReport | None:
    return IssuedReport.objects.filter(pk=pk).first() if 0 < pk < 2**63 else None


def issued_report_for(period: str, start: date) -> IssuedReport | None:
    return IssuedReport.objects.filter(period=period, start=start).first()


# --- read by analytics ---------------------------------------------------------------------------------

COUNT_FIELDS = {
    "department": "department_id",
    "office": "office_id",
    "hall": "hall_id",
    "street": "street_id",
    "clerk": "clerk_id",
    "item": "item_code",
}


def counts_by(
    dimension: str, start: date, end: date, *, ids: list[int] | None = None
) -> dict[Any, dict[str, Any]]:
    """Counted reviews (excluded ones apart) per department, office, hall, street, clerk or item: how many,
    how many not bad (3–5), the average level."""
    field = COUNT_FIELDS[dimension]
    qs = Review.objects.filter(period_q("given_at", start, end), excluded=False).exclude(
        **{f"{field}__isnull": True}
    )
    if ids is not None:
        qs = qs.filter(**{f"{field}__in": ids})
    rows = qs.values(field).annotate(
        reviews=Count("id"), not_bad=Count("id", filter=Q(level__gte=3)), avg=Avg("level")
    )
    return {
        r[field]: {"reviews": r["reviews"], "not_bad": r["not_bad"], "average": round(float(r["avg"]), 2)}
        for r in rows.order_by()
    }


def rectification_counts_by(
    dimension: str, start: date, end: date, *, ids: list[int] | None = None
) -> dict[Any, dict[str, int]]:
    """Rectifications due in the period (their clock's due date in it) per dimension of the reviewed service,
    and how many were rectified on time (an upheld appeal takes one out)."""
    field = "review__" + COUNT_FIELDS[dimension]
    qs = Rectification.objects.filter(case__due_date__gte=start, case__due_date__lte=end).exclude(
        case__status="excluded"
    )
    if ids is not None:
        qs = qs.filter(**{f"{field}__in": ids})
    rows = qs.values(field).annotate(due=Count("id"), on_time=Count("id", filter=Q(on_time=True)))
    return {r[field]: {"due": r["due"], "on_time": r["on_time"]} for r in rows.order_by()}


def satisfaction_by(start: date, end: date) -> dict[str, list[dict[str, Any]]]:
    """Satisfaction per office, hall, item and clerk (counted reviews), largest first."""
    qs = Review.objects.filter(period_q("given_at", start, end), excluded=False)
    out: dict[str, list[dict[str, Any]]] = {}
    for dim, key, label in (
        ("office", "office__code", "office__name"),
        ("hall", "hall__code", "hall__name"),
        ("item", "item_code", "item_name"),
        ("clerk", "clerk__username", "clerk__full_name"),
    ):
        rows = (
            qs.exclude(**{f"{key}__isnull": True})
            .exclude(**{key: ""})
            .values(key, label)
            .annotate(reviews=Count("id"), n_bad=Count("id", filter=Q(level__lte=2)), avg=Avg("level"))
            .order_by("-reviews", key)[:30]
        )
        out[dim] = [
            {
                "key": r[key],
                "name": r[label] or r[key],
                "reviews": r["reviews"],
                "bad": r["n_bad"],
                "good_rate": _rate(r["reviews"] - r["n_bad"], r["reviews"]),
                "average": round(float(r["avg"]), 2),
            }
            for r in rows
        ]
    return out
