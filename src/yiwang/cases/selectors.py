"""Reads of the case kernel: one case, its history, parties, clocks, assignments, its parent and
children, and one timeline per party across every kind."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from yiwang.accounts.access import acting_person, enterprises_for

from .access import cases_visible_q
from .capacities import _cases_of_party
from .models import (
    Case,
    CaseAssignment,
    CaseAttachment,
    CaseClock,
    CaseEvent,
    CaseExtensionRequest,
    CaseNotice,
    CaseParty,
)
from .workflow import workflows

if TYPE_CHECKING:
    from datetime import datetime, timedelta

    from yiwang.accounts.access import Visitor


def case_get(pk: int) -> Case | None:
    return (
        Case.objects.select_related(
            "applicant_person",
            "applicant_enterprise",
            "agent",
            "owning_office",
            "owning_office__department",
            "assignee",
            "clock",
            "parent",
        )
        .filter(pk=pk)
        .first()
    )


def case_by_number(number: str) -> Case | None:
    return Case.objects.select_related("owning_office", "clock").filter(number=(number or "").strip()).first()


def case_events(case: Case, *, public_only: bool = False) -> QuerySet[CaseEvent]:
    qs = CaseEvent.objects.filter(case=case).order_by("at", "id")
    return qs.filter(public=True) if public_only else qs


def case_attachments(case: Case) -> QuerySet[CaseAttachment]:
    return CaseAttachment.objects.filter(case=case, superseded=False).order_by("slot", "uploaded_at")


def case_notices(case: Case) -> QuerySet[CaseNotice]:
    return CaseNotice.objects.filter(case=case).order_by("issued_at", "id")


def case_party_rows(case: Case, *, current: bool = True) -> QuerySet[CaseParty]:
    qs = (
        CaseParty.objects.filter(case=case)
        .select_related("person", "enterprise", "staff")
        .order_by("since", "id")
    )
    return qs.filter(until__isnull=True) if current else qs


def case_clock_rows(case: Case) -> QuerySet[CaseClock]:
    return CaseClock.objects.filter(case=case).select_related("clock").order_by("id")


def case_assignment_rows(case: Case, *, current: bool = False) -> QuerySet[CaseAssignment]:
    qs = (
        CaseAssignment.objects.filter(case=case)
        .select_related("office", "user", "by")
        .order_by("since", "id")
    )
    return qs.filter(until__isnull=True) if current else qs


def case_children(case: Case) -> QuerySet[Case]:
    """The cases a case owns (a project's item applications), oldest first."""
    return (
        Case.objects.filter(parent=case).select_related("owning_office", "clock").order_by("created_at", "id")
    )


def case_parent(case: Case) -> Case | None:
    return case_get(case.parent_id) if case.parent_id else None


def party_cases_q(user: Visitor) -> Q:
    """Cases the user follows as a party (any kind): as the person, or for an enterprise they may act
    for, in a role its kind lets follow the case."""
    person = acting_person(user)
    if person is None:
        return Q(pk__in=[])
    ents = list(enterprises_for(user).values_list("pk", flat=True))
    q = Q(pk__in=[])
    for wf in workflows():
        q |= Q(kind=wf.kind) & _cases_of_party(wf.followers, person.pk, ents)
    return q


def party_cases(user: Visitor) -> QuerySet[Case]:
    return (
        Case.objects.filter(party_cases_q(user))
        .select_related("owning_office")
        .order_by("-created_at", "-id")
    )


def party_timeline(user: Visitor, *, limit: int = 100) -> QuerySet[CaseEvent]:
    """One timeline across every case the user follows (all kinds): public events, newest first."""
    ids = Case.objects.filter(party_cases_q(user)).values("pk")
    return (
        CaseEvent.objects.filter(case_id__in=ids, public=True)
        .select_related("case")
        .order_by("-at", "-id")[:limit]
    )


def staff_cases(user: Visitor, *, kind: str | None = None, open_only: bool = True) -> QuerySet[Case]:
    """The cases a staff member may list (the same capacities that decide ``access_case_view``)."""
    qs = Case.objects.filter(cases_visible_q(user, kind=kind, staff_only=True))
    return qs.filter(is_open=True) if open_only else qs


# --- deadlines ------------------------------------------------------------------------------------


def cases_overdue_q(*, now: datetime | None = None) -> Q:
    """Open cases whose primary clock ran out before ``now`` (to the minute: hour clocks too)."""
    return Q(is_open=True, due_at__lt=now or timezone.now())


def cases_due_soon_q(*, within: timedelta, now: datetime | None = None) -> Q:
    """Open cases whose primary clock runs out between ``now`` and ``now + within``."""
    now = now or timezone.now()
    return Q(is_open=True, due_at__gte=now, due_at__lt=now + within)


def case_time_left(case: Case, *, now: datetime | None = None) -> timedelta | None:
    """How long until the primary clock runs out (negative when overdue; None without a clock)."""
    if case.due_at is None:
        return None
    return case.due_at - (now or timezone.now())


def case_extension_requests(case: Case) -> QuerySet[CaseExtensionRequest]:
    return CaseExtensionRequest.objects.filter(case=case).select_related("requested_by", "decided_by")


def extension_requests_pending(cases: QuerySet[Case]) -> QuerySet[CaseExtensionRequest]:
    """Pending extension requests on the given cases (a supervisor's list), oldest first."""
    return (
        CaseExtensionRequest.objects.filter(case__in=cases, state=CaseExtensionRequest.State.PENDING)
        .select_related("case", "case__owning_office", "requested_by")
        .order_by("requested_at", "id")
    )
