"""Reads of the case kernel: one case, its public history, and one timeline per applicant."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from .models import Case, CaseAttachment, CaseEvent, CaseNotice


def case_get(pk: int) -> Case | None:
    return (
        Case.objects.select_related(
            "applicant_person",
            "applicant_enterprise",
            "agent",
            "owning_office",
            "owning_office__department",
            "receiving_hall",
            "return_hall",
            "assignee",
            "clock",
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


def party_cases_q(user: Any) -> Q:
    """Cases an applicant may see: their own, as agent, and their enterprises'."""
    from yiwang.accounts.access import acting_person, enterprises_for

    person = acting_person(user)
    if person is None:
        return Q(pk__in=[])
    ents = list(enterprises_for(user).values_list("pk", flat=True))
    return Q(applicant_person=person) | Q(agent=person) | Q(applicant_enterprise__in=ents)


def party_cases(user: Any) -> QuerySet[Case]:
    return (
        Case.objects.filter(party_cases_q(user))
        .select_related("owning_office")
        .order_by("-created_at", "-id")
    )


def party_timeline(user: Any, *, limit: int = 100) -> QuerySet[CaseEvent]:
    """One timeline across every case of the applicant (all kinds): public events, newest first."""
    ids = Case.objects.filter(party_cases_q(user)).values("pk")
    return (
        CaseEvent.objects.filter(case_id__in=ids, public=True)
        .select_related("case")
        .order_by("-at", "-id")[:limit]
    )
