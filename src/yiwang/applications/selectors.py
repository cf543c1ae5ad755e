"""Reads for applications: inboxes, the approvals queue, deadlines, progress lookup and figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.access import has_role
from yiwang.accounts.roles import Role
from yiwang.cases import clockops
from yiwang.cases.models import Case
from yiwang.cases.statuses import OPEN_STATUSES
from yiwang.core.errors import ServiceError

from .models import Application, ApprovalRequest, FigureRollup
from .workflow import KIND

DUE_SOON_DAYS = 3
PROGRESS_MAX_MISSES = 10  # wrong 4-character guesses per case number and hour


class TooManyAttempts(ServiceError):
    status = 429
    default_code = "rate_limited"


def application_get(case_id: int) -> Case | None:
    return (
        Case.objects.select_related(
            "application",
            "application__item",
            "application__item_version",
            "application__department",
            "applicant_person",
            "applicant_enterprise",
            "agent",
            "owning_office",
            "owning_office__department",
            "receiving_hall",
            "return_hall",
            "assignee",
            "received_by",
            "clock",
        )
        .filter(pk=case_id, kind=KIND)
        .first()
    )


def scope_q(user: Any) -> Q:
    """The cases a staff member works on: their office's (back office) and their hall's (front office)."""
    q = Q(pk__in=[])
    if getattr(user, "office_id", None) and has_role(user, Role.REVIEWER, Role.SUPERVISOR, Role.DEPT_ADMIN):
        q |= Q(owning_office_id=user.office_id)
        if has_role(user, Role.DEPT_ADMIN) and user.department_id:
            q |= Q(owning_office__department_id=user.department_id)
    if getattr(user, "hall_id", None) and has_role(user, Role.CLERK, Role.HALL_MANAGER, Role.SUPERVISOR):
        q |= Q(receiving_hall_id=user.hall_id) | Q(return_hall_id=user.hall_id)
    return q


@dataclass(frozen=True)
class InboxFilters:
    status: str = ""
    item: str = ""
    when: str = ""  # "", "overdue", "due_soon"
    q: str = ""


def inbox(user: Any, filters: InboxFilters | None = None, *, today: date | None = None) -> QuerySet[Case]:
    """Open application cases in the user's scope, sorted by time left (the earliest due first)."""
    f = filters or InboxFilters()
    today = today or timezone.localdate()
    qs = Case.objects.filter(scope_q(user), kind=KIND, status__in=sorted(OPEN_STATUSES))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.item:
        qs = qs.filter(application__item__code=f.item)
    if f.q:
        qs = qs.filter(Q(number__startswith=f.q.strip()) | Q(title__contains=f.q.strip()))
    if f.when == "overdue":
        qs = qs.filter(due_date__lt=today)
    elif f.when == "due_soon":
        qs = qs.filter(due_date__gte=today, due_date__lte=clockops.add_workdays(today, DUE_SOON_DAYS))
    return qs.select_related(
        "application", "application__item", "owning_office", "receiving_hall", "clock"
    ).order_by("due_date", "id")


def time_left(case: Case, today: date | None = None) -> tuple[int | None, str]:
    """Working days left (negative: overdue) and a colour class: bad / warn / ok / paused."""
    if case.due_date is None:
        return None, ""
    today = today or timezone.localdate()
    clock = case.clock if case.clock_id else None
    if clock is not None and clock.stopped_at is not None:
        return None, ""
    if clock is not None and clock.state == "paused":
        return clock.remaining, "paused"
    if case.due_date < today:
        return -clockops.workdays_between(case.due_date, today), "bad"
    left = clockops.workdays_between(today, case.due_date)
    return left, ("warn" if left <= DUE_SOON_DAYS else "ok")


def approvals_queue(user: Any) -> QuerySet[ApprovalRequest]:
    case_ids = Case.objects.filter(scope_q(user), kind=KIND).values("pk")
    return (
        ApprovalRequest.objects.filter(state=ApprovalRequest.State.PENDING, case_id__in=case_ids)
        .select_related("case", "case__application__item", "requested_by")
        .order_by("requested_at")
    )


def refusal_rates(user: Any) -> list[dict[str, Any]]:
    """Per clerk in the supervisor's scope: applications received, not-accepted requests, refusals approved."""
    cases = Case.objects.filter(scope_q(user), kind=KIND)
    received = {
        r["received_by"]: r["n"]
        for r in cases.exclude(received_by=None).values("received_by").annotate(n=Count("id"))
    }
    reqs = (
        ApprovalRequest.objects.filter(case__in=cases, kind=ApprovalRequest.Kind.NOT_ACCEPT)
        .values("requested_by", "requested_by__full_name", "requested_by__username")
        .annotate(n=Count("id"), approved=Count("id", filter=Q(state="approved")))
    )
    rows = []
    from yiwang.accounts.models import User

    names = {
        u.pk: (u.full_name or u.username)
        for u in User.objects.filter(pk__in=set(received) | {r["requested_by"] for r in reqs})
    }
    by_user = {r["requested_by"]: r for r in reqs}
    for uid in sorted(set(received) | set(by_user)):
        n = received.get(uid, 0)
        r = by_user.get(uid, {"n": 0, "approved": 0})
        rows.append(
            {
                "user_id": uid,
                "name": names.get(uid, str(uid)),
                "received": n,
                "requests": r["n"],
                "refused": r["approved"],
                "rate": (r["approved"] / n) if n else 0.0,
            }
        )
    rows.sort(key=lambda x: -x["rate"])
    return rows


def deadlines(user: Any, *, today: date | None = None) -> tuple[QuerySet[Case], QuerySet[Case]]:
    today = today or timezone.localdate()
    # Only running clocks: a paused clock does not count down, a stopped one (decided) cannot be late any more.
    base = inbox(user, today=today).filter(clock__stopped_at__isnull=True).exclude(clock__state="paused")
    overdue = base.filter(due_date__lt=today)
    soon = base.filter(due_date__gte=today, due_date__lte=clockops.add_workdays(today, DUE_SOON_DAYS))
    return overdue, soon


def progress_lookup(number: str, last4: str) -> Case | None:
    """Public progress: the case number and the last 4 characters of the applicant's ID or credit code."""
    number = (number or "").strip()
    last4 = (last4 or "").strip().upper()
    if not number or len(last4) != 4:
        return None
    case = (
        Case.objects.select_related("application", "owning_office", "clock")
        .filter(number=number, kind=KIND)
        .first()
    )
    if case is None:
        return None
    key = f"applications:progress-misses:{case.pk}"
    if int(cache.get(key, 0)) >= PROGRESS_MAX_MISSES:
        raise TooManyAttempts(_("Too many wrong attempts for this case number. Try again in an hour."))
    if case.application.public_token.upper() != last4:
        # Guessing the 4 characters is limited per case number (the cache is shared in production).
        cache.add(key, 0, timeout=3600)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=3600)
        return None
    return case


def applicant_applications(user: Any) -> QuerySet[Case]:
    from yiwang.cases.selectors import party_cases_q

    return (
        Case.objects.filter(party_cases_q(user), kind=KIND)
        .select_related("application__item", "clock")
        .order_by("-created_at", "-id")
    )


# --- figures --------------------------------------------------------------------------------

FIGURE_FIELDS = (
    "received",
    "accepted",
    "not_accepted",
    "decided",
    "approved",
    "rejected",
    "early",
    "on_time",
    "late",
    "rongque_cases",
    "rongque_materials",
    "days_saved",
    "trips_saved",
    "refusal_requests",
    "refusals",
)
DIMENSIONS = ("item", "department", "hall", "reason", "clerk")


def figures(*, start: date, end: date, dimension: str = "department", limit: int = 50) -> dict[str, Any]:
    """Figures for months ``start``–``end`` (first days of months), from the periodic rollup."""
    rows = FigureRollup.objects.filter(period__gte=start, period__lte=end)
    totals = rows.filter(dimension="department").aggregate(**{f: Sum(f) for f in FIGURE_FIELDS})
    totals = {k: int(v or 0) for k, v in totals.items()}
    decided = totals["early"] + totals["on_time"] + totals["late"]
    totals["early_rate"] = round(totals["early"] / decided, 4) if decided else 0.0
    by = list(
        rows.filter(dimension=dimension)
        .values("key", "label")
        .annotate(**{f: Sum(f) for f in FIGURE_FIELDS})
        .order_by("-received", "key")[:limit]
    )
    reasons = list(
        rows.filter(dimension="reason").values("key", "label").annotate(n=Sum("refusals")).order_by("-n")
    )
    months = list(
        rows.filter(dimension="department")
        .values("period")
        .annotate(received=Sum("received"), decided=Sum("decided"), early=Sum("early"))
        .order_by("period")
    )
    built = rows.order_by("-rebuilt_at").values_list("rebuilt_at", flat=True).first()
    return {
        "totals": totals,
        "by": by,
        "dimension": dimension,
        "reasons": reasons,
        "months": months,
        "as_of": built,
    }


def rongque_count() -> int:
    return Application.objects.filter(rongque=True).count()
