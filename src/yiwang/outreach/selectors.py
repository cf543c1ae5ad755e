"""Outreach reads: a grid worker's own community's visits (minimum data: masked ID, age, benefit), screenings,
and the figures per street and community (screened, eligible, reached, applied)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet

from yiwang.accounts.models import Community

from .facts import benefits
from .models import Resident, Screening, Visit

if TYPE_CHECKING:
    from yiwang.accounts.models import User

REACHED = ["applied", "declined", "moved", "deceased"]


def visits_for(user: User, *, outcome: str = "") -> QuerySet[Visit]:
    qs = Visit.objects.filter(community_id=user.community_id or 0).select_related("resident", "community")
    if outcome == "open":
        qs = qs.filter(outcome__in=["pending", "retry"])
    elif outcome:
        qs = qs.filter(outcome=outcome)
    return qs.order_by("outcome", "id")


def visit_get(pk: int) -> Visit | None:
    return Visit.objects.select_related("resident", "community", "case").filter(pk=pk).first()


def screenings() -> QuerySet[Screening]:
    return Screening.objects.select_related("started_by")


def benefit_label(code: str) -> str:
    return str(benefits().get(code, {}).get("label", code))


def figures() -> list[dict[str, Any]]:
    """Per community of the pilot streets: residents screened, eligible (listed), reached, applied."""
    screened = dict(Resident.objects.values_list("community_id").annotate(n=Count("id")))
    visits = {
        r["community_id"]: dict(r)
        for r in Visit.objects.values("community_id").annotate(
            eligible=Count("id"),
            reached=Count("id", filter=Q(outcome__in=REACHED)),
            applied=Count("id", filter=Q(outcome="applied")),
        )
    }
    rows = []
    for c in (
        Community.objects.filter(pk__in=set(screened) | set(visits)).select_related("street").order_by("code")
    ):
        v: dict[str, Any] = visits.get(c.pk, {})
        rows.append(
            {
                "street": c.street.name,
                "community": c.name,
                "screened": screened.get(c.pk, 0),
                "eligible": v.get("eligible", 0),
                "reached": v.get("reached", 0),
                "applied": v.get("applied", 0),
            }
        )
    return rows


def figures_by_street(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        s = out.setdefault(
            r["street"], {"street": r["street"], "screened": 0, "eligible": 0, "reached": 0, "applied": 0}
        )
        for k in ("screened", "eligible", "reached", "applied"):
            s[k] += r[k]
    return list(out.values())
