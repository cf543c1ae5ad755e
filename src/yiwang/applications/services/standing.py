"""信用+政务服务 in the application workflow (docs/rules.md §3, docs/adr/0112-credit-in-the-workflow.md): the
applicant's credit standing, read through the credit context's selectors, and the standing each case was
treated with, recorded at reception and at acceptance with its reasons."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from django.conf import settings

from yiwang.cases import clockops
from yiwang.credit import selectors as credit
from yiwang.credit.services import case_standing_summary, credit_case_standing_record

if TYPE_CHECKING:
    from datetime import date

    from yiwang.accounts.models import User
    from yiwang.cases.models import Case

Standing = credit.Standing


def standing_of(case: Case) -> Standing:
    """The applicant's standing now: the enterprise's when an enterprise applies, else the person's."""
    return credit.standing_of(person=case.applicant_person, enterprise=case.applicant_enterprise)


def red_target(start: date, committed_days: int) -> date:
    """The internal target for a red-list applicant: a share of the committed limit (at least one day)."""
    share = float(getattr(settings, "CREDIT_RED_TARGET_SHARE", 0.5))
    return clockops.add_workdays(start, max(1, math.ceil(committed_days * share)))


def record(
    case: Case,
    step: str,
    *,
    actor: User | None,
    link: str = "",
    accepted_on: date | None = None,
    committed_days: int = 0,
) -> dict[str, Any]:
    """Record the standing applied at this step; returns what the step's own audit event carries."""
    st = standing_of(case)
    target = red_target(accepted_on, committed_days) if st.red and accepted_on and committed_days else None
    row = credit_case_standing_record(
        case=case, step=step, standing=st, actor=actor, internal_target=target, link=link, audit=False
    )
    return {"credit": case_standing_summary(row)}
