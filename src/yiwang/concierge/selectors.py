"""Readers of the concierge context: the board (every kernel case of the portfolio's enterprises, of any kind),
an enterprise's page, the coordination requests, the figures, and the agent's concierge."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from yiwang.cases import clockops
from yiwang.cases.models import Case

from .models import CoordinationRequest, FollowUpNote, KeyEnterprise, Transfer

if TYPE_CHECKING:
    from yiwang.accounts.access import Visitor


def enterprise_cases_q(enterprise_ids: Any) -> Q:
    """The cases of these enterprises: as the applicant, or as any party (hotline tickets name enterprises as
    parties). Every kind of kernel case counts, so construction projects appear as soon as they are cases."""
    return Q(applicant_enterprise_id__in=enterprise_ids) | Q(parties__enterprise_id__in=enterprise_ids)


def portfolio(user: Visitor) -> QuerySet[KeyEnterprise]:
    return KeyEnterprise.objects.filter(concierge_id=getattr(user, "pk", None), active=True).select_related(
        "enterprise"
    )


def key_enterprise_get(pk: int) -> KeyEnterprise | None:
    return KeyEnterprise.objects.select_related("enterprise", "concierge").filter(pk=pk).first()


def key_of_case(case: Case) -> KeyEnterprise | None:
    ids = {
        case.applicant_enterprise_id,
        *case.parties.exclude(enterprise=None).values_list("enterprise_id", flat=True),
    }
    return KeyEnterprise.objects.filter(enterprise_id__in=[i for i in ids if i], active=True).first()


def time_left(case: Case) -> tuple[int | None, str]:
    """Working days left (negative: overdue), or the outcome once finished: early / on time / late."""
    if case.timeliness:
        return None, case.timeliness
    if case.due_date is None:
        return None, ""
    today = timezone.localdate()
    if case.due_date < today:
        return -clockops.workdays_between(case.due_date, today), "overdue"
    return clockops.workdays_between(today, case.due_date), "open"


def board(user: Visitor, *, key: KeyEnterprise | None = None) -> list[dict[str, Any]]:
    keys = [key] if key is not None else list(portfolio(user))
    by_enterprise = {k.enterprise_id: k for k in keys}
    cases = (
        Case.objects.filter(enterprise_cases_q(list(by_enterprise)))
        .select_related("owning_office", "applicant_enterprise")
        .distinct()
        .order_by("-is_open", "due_date", "-id")[:500]
    )
    rows: list[dict[str, Any]] = []
    ids = [c.pk for c in cases]
    for c in cases:
        left, state = time_left(c)
        rows.append({"case": c, "left": left, "state": state, "notes": 0})
    notes = dict(
        FollowUpNote.objects.filter(case_id__in=ids)
        .values_list("case_id")
        .annotate(n=Count("id"))
        .values_list("case_id", "n")
    )
    for r, pk in zip(rows, ids, strict=True):
        r["notes"] = notes.get(pk, 0)
    return rows


def case_notes(case_id: int) -> QuerySet[FollowUpNote]:
    return FollowUpNote.objects.filter(case_id=case_id).select_related("author").order_by("at", "id")


def requests_of(key: KeyEnterprise) -> QuerySet[CoordinationRequest]:
    return (
        CoordinationRequest.objects.filter(
            case__in=Case.objects.filter(enterprise_cases_q([key.enterprise_id]))
        )
        .select_related("case", "office")
        .order_by("-at", "-id")
    )


def request_get(pk: int) -> CoordinationRequest | None:
    return CoordinationRequest.objects.select_related("case", "office").filter(pk=pk).first()


def transfers_of(key: KeyEnterprise) -> QuerySet[Transfer]:
    return Transfer.objects.filter(key_enterprise=key).select_related("from_concierge", "to_concierge")


def _rates(qs: QuerySet[Case], group: str, label: str) -> list[dict[str, Any]]:
    rows = (
        qs.values(group, label)
        .annotate(
            cases=Count("id", distinct=True),
            early=Count("id", filter=Q(timeliness="early"), distinct=True),
            on_time=Count("id", filter=Q(timeliness="on_time"), distinct=True),
            late=Count("id", filter=Q(timeliness="late"), distinct=True),
        )
        .order_by("-cases", group)
    )
    out = []
    for r in rows:
        done = r["early"] + r["on_time"] + r["late"]
        out.append(
            {
                "key": r[group],
                "label": r[label],
                "cases": r["cases"],
                "early": r["early"],
                "on_time": r["on_time"],
                "late": r["late"],
                "early_rate": round(100 * r["early"] / done, 1) if done else None,
            }
        )
    return out


def figures() -> dict[str, Any]:
    """Enterprises served, cases, early / on time / late and the early-completion rate, per enterprise, per
    concierge and per department."""
    keys = KeyEnterprise.objects.filter(active=True)
    qs = Case.objects.filter(applicant_enterprise__key_enterprise__active=True)
    totals = _rates(qs.annotate(), "kind", "kind")
    cases = sum(r["cases"] for r in totals)
    early = sum(r["early"] for r in totals)
    done = sum(r["early"] + r["on_time"] + r["late"] for r in totals)
    return {
        "enterprises": keys.count(),
        "cases": cases,
        "early": early,
        "finished": done,
        "early_rate": round(100 * early / done, 1) if done else None,
        "by_concierge": _rates(
            qs,
            "applicant_enterprise__key_enterprise__concierge_id",
            "applicant_enterprise__key_enterprise__concierge__full_name",
        ),
        "by_department": _rates(qs, "owning_office__department_id", "owning_office__department__name"),
        "by_enterprise": _rates(qs, "applicant_enterprise_id", "applicant_enterprise__name")[:100],
    }


def my_concierges(enterprises: Any) -> list[dict[str, Any]]:
    """For an agent: each enterprise they act for that is a key enterprise, with its concierge's name and contact."""
    rows = KeyEnterprise.objects.filter(enterprise__in=enterprises, active=True).select_related(
        "enterprise", "concierge"
    )
    return [
        {
            "enterprise": k.enterprise.name,
            "concierge": k.concierge.full_name or k.concierge.username,
            "mobile": k.concierge.mobile,
            "email": k.concierge.email,
        }
        for k in rows
    ]
