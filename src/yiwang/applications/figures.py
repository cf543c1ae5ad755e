"""The monthly figures rollup (writer). Rebuilt from the cases by a periodic job (and by the demo loader
and the benchmark), in a handful of set-based GROUP BY queries; the figures page and API read only the
rollup, so their cost does not grow with the number of cases (docs/adr/0043-figures-rollup.md)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from yiwang.accounts.models import Department, Hall, User
from yiwang.audit.services import audit_record
from yiwang.cases.models import Case
from yiwang.catalogue.models import Item

from .models import ApprovalRequest, FigureRollup
from .workflow import KIND, REFUSAL_REASONS

DECIDED = Q(decided_on__isnull=False) & ~Q(status="not_accepted")
REFUSED = Q(status="not_accepted") | (DECIDED & ~Q(application__decision_reason=""))


def _aggregates() -> dict[str, Any]:
    return {
        "received": Count("id"),
        "accepted": Count("id", filter=Q(accepted_on__isnull=False)),
        "not_accepted": Count("id", filter=Q(status="not_accepted")),
        "decided": Count("id", filter=DECIDED),
        "rejected": Count("id", filter=DECIDED & ~Q(application__decision_reason="")),
        "early": Count("id", filter=DECIDED & Q(timeliness="early")),
        "on_time": Count("id", filter=DECIDED & Q(timeliness="on_time")),
        "late": Count("id", filter=DECIDED & Q(timeliness="late")),
        "rongque_cases": Count("id", filter=Q(application__rongque=True)),
        "rongque_materials": Coalesce(Sum("application__rongque_materials"), 0),
        "days_saved": Coalesce(Sum("application__rongque_promise_days"), 0),
        "refusals": Count("id", filter=REFUSED),
    }


def _labels(dimension: str, keys: set[Any]) -> dict[Any, str]:
    if dimension == "item":
        return dict(Item.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == "department":
        return dict(Department.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == "hall":
        return dict(Hall.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == "clerk":
        return {u.pk: (u.full_name or u.username) for u in User.objects.filter(pk__in=keys)}
    if dimension == "reason":
        return {k: str(v) for k, v in REFUSAL_REASONS.items()}
    return {}


def figures_rebuild(*, actor: User | None = None) -> int:
    """Recompute every month's figures from the cases; returns the number of rows written."""
    base = Case.objects.filter(kind=KIND, received_at__isnull=False).annotate(
        period=TruncMonth("received_at", tzinfo=timezone.get_current_timezone())
    )
    dims = {
        "item": "application__item_id",
        "department": "application__department_id",
        "hall": "application__receiving_hall_id",
        "clerk": "received_by_id",
    }
    rows: list[FigureRollup] = []
    for dim, field in dims.items():
        qs = base.values("period", field).annotate(**_aggregates()).order_by()
        if dim == "clerk":
            qs = qs.filter(received_by__isnull=False)
        data = list(qs)
        labels = _labels(dim, {r[field] for r in data if r[field] is not None})
        for r in data:
            key = r[field]
            rows.append(
                FigureRollup(
                    period=r["period"].date() if hasattr(r["period"], "date") else r["period"],
                    dimension=dim,
                    key=str(key) if key is not None else "online",
                    label=labels.get(key, "") if key is not None else "online",
                    approved=r["decided"] - r["rejected"],
                    trips_saved=r["rongque_cases"],
                    **{
                        k: r[k]
                        for k in (
                            "received",
                            "accepted",
                            "not_accepted",
                            "decided",
                            "rejected",
                            "early",
                            "on_time",
                            "late",
                            "rongque_cases",
                            "rongque_materials",
                            "days_saved",
                            "refusals",
                        )
                    },
                )
            )
    reasons = (
        base.filter(REFUSED)
        .values("period", "application__decision_reason")
        .annotate(n=Count("id"))
        .order_by()
    )
    reason_labels = _labels("reason", set())
    for r in reasons:
        code = r["application__decision_reason"] or "unknown"
        rows.append(
            FigureRollup(
                period=r["period"].date() if hasattr(r["period"], "date") else r["period"],
                dimension="reason",
                key=code,
                label=reason_labels.get(code, code),
                refusals=r["n"],
            )
        )
    # Refusal requests per clerk (the no-veto figure supervisors watch).
    reqs = (
        ApprovalRequest.objects.filter(kind=ApprovalRequest.Kind.NOT_ACCEPT, case__received_at__isnull=False)
        .annotate(period=TruncMonth("case__received_at", tzinfo=timezone.get_current_timezone()))
        .values("period", "requested_by_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_clerk = {(r.period, r.key): r for r in rows if r.dimension == "clerk"}
    for r in reqs:
        period = r["period"].date() if hasattr(r["period"], "date") else r["period"]
        row = by_clerk.get((period, str(r["requested_by_id"])))
        if row is not None:
            row.refusal_requests = r["n"]
    with transaction.atomic():
        FigureRollup.objects.all().delete()
        FigureRollup.objects.bulk_create(rows, batch_size=2000)
        audit_record(
            actor=actor,
            action="application.figures_rebuild",
            object_type="applications.figurerollup",
            data={"rows": len(rows)},
        )
    return len(rows)
