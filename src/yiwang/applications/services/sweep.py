"""The periodic sweep: the 5-working-day rule and lapsed 容缺 promises (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass

from yiwang.core.errors import Conflict, ServiceError

from .. import workflow as wf
from ..models import Application
from .common import application_deem_accept, today
from .delivery import application_terminate


@dataclass
class SweepResult:
    deemed_accepted: int = 0
    terminated: int = 0


def applications_sweep(*, limit: int = 5000) -> SweepResult:
    """Periodic: apply the 5-working-day rule and terminate 容缺 cases whose promise lapsed. Idempotent."""
    day = today()
    result = SweepResult()
    due = Application.objects.filter(
        correction_given=False,
        deemed_accepted=False,
        acceptance_window_ends__lt=day,
        case__status__in=sorted(wf.AWAITING_ACCEPTANCE),
    ).values_list("case_id", flat=True)[:limit]
    for case_id in list(due):
        try:
            application_deem_accept(case_id=case_id)
            result.deemed_accepted += 1
        except (Conflict, ServiceError):
            continue
    lapsed = Application.objects.filter(
        rongque=True,
        rongque_supplied_on__isnull=True,
        rongque_deadline__lt=day,
        case__status__in=["accepted", "under_review", "suspended", "approved"],
    ).values_list("case_id", flat=True)[:limit]
    for case_id in list(lapsed):
        try:
            application_terminate(actor=None, case_id=case_id)
            result.terminated += 1
        except (Conflict, ServiceError):
            continue
    return result
