"""Acceptance (受理): pre-review, acceptance (also 容缺), correction (补正, one notice listing everything)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from yiwang.cases import clockops
from yiwang.core.errors import ServiceError

from ..models import ApplicationMaterial
from . import standing
from .common import (
    applicable,
    application_deem_accept,
    decision_clock,
    deem_if_due,
    load_facts,
    materials_of,
    missing,
    notice,
    promise_days_until,
    rongque_limit,
    run,
    today,
)
from .reuse import check_licences_at_acceptance

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date

    from yiwang.accounts.models import User
    from yiwang.cases.models import Case
    from yiwang.cases.workflow import Transition

    from ..workflow import ApplicationFacts

__all__ = [
    "application_accept",
    "application_accept_rongque",
    "application_answer_correction",
    "application_deem_accept",
    "application_request_correction",
    "application_start_pre_review",
    "deem_if_due",
]


def application_start_pre_review(*, actor: User, case_id: int, expected_version: int | None = None) -> Case:
    return run(actor=actor, case_id=case_id, action="start_pre_review", expected_version=expected_version)


def application_accept(*, actor: User, case_id: int, expected_version: int | None = None) -> Case:
    def apply(case: Case, t: Transition, f: ApplicationFacts) -> dict[str, Any]:
        check_licences_at_acceptance(case)
        case.accepted_on = today()
        credit = standing.record(
            case, "accepted", actor=actor, accepted_on=today(), committed_days=f.app.committed_days
        )
        notice(case, actor, "acceptance", _("Acceptance notice"), due_days=f.app.committed_days)
        return credit

    return run(
        actor=actor,
        case_id=case_id,
        action="accept",
        expected_version=expected_version,
        apply=apply,
        clock=lambda c, f: decision_clock(f.app),
        notify=(_("Application accepted"), _("Your application has been accepted.")),
    )


def application_accept_rongque(
    *,
    actor: User,
    case_id: int,
    promise_signed: bool,
    promise_by: date | None = None,
    promise_days: int | None = None,
    expected_version: int | None = None,
) -> Case:
    """容缺受理: accept although listed non-essential materials are missing, on the applicant's signed promise
    to supply them by ``promise_by`` (or within ``promise_days`` working days). An applicant who signed the
    promise online when submitting has signed it: without a new date, the date they promised stands."""
    state: dict[str, Any] = {}

    def facts(case: Case) -> ApplicationFacts:
        f = load_facts(case)
        app = f.app
        signed_online = app.rongque_signed_at is not None and app.rongque_deadline is not None
        day = promise_by
        if day is None and promise_days is None and signed_online:
            day = app.rongque_deadline
        dated = day is not None
        if dated:
            days = promise_days_until(day)
        else:
            days = promise_days or 0
            day = clockops.add_workdays(today(), days) if days > 0 else None
        state.update(day=day, days=days)
        return replace(
            f,
            promise_days=days,
            promise_by=day if dated else None,
            promise_max_days=rongque_limit(app, materials_of(f)),
            promise_signed=promise_signed or signed_online,
        )

    def apply(case: Case, t: Transition, f: ApplicationFacts) -> dict[str, Any]:
        check_licences_at_acceptance(case)
        app = f.app
        gone = missing(materials_of(f))
        day = today()
        case.accepted_on = day
        credit = standing.record(
            case, "accepted_rongque", actor=actor, accepted_on=day, committed_days=app.committed_days
        )
        app.rongque = True
        app.rongque_promise_days = state["days"]
        app.rongque_deadline = state["day"]
        app.rongque_materials = len(gone)
        app.save()
        for m in gone:
            m.state = ApplicationMaterial.State.PROMISED
            m.save(update_fields=["state"])
        names = [m.name for m in gone]
        notice(case, actor, "acceptance", _("Acceptance notice"), due_days=app.committed_days)
        notice(
            case,
            actor,
            "rongque_promise",
            _("Promise to supply materials (容缺)"),
            materials=names,
            deadline=app.rongque_deadline.isoformat(),
            days=state["days"],
            signed_online=app.rongque_signed_at is not None,
        )
        return {"promised": names, "deadline": app.rongque_deadline.isoformat(), **credit}

    return run(
        actor=actor,
        case_id=case_id,
        action="accept_rongque",
        expected_version=expected_version,
        facts=facts,
        apply=apply,
        clock=lambda c, f: decision_clock(f.app),
        notify=(
            _("Application accepted with missing materials"),
            _(
                "Your application has been accepted. Supply the promised materials by the deadline; "
                "the result is released when they arrive."
            ),
        ),
    )


def application_request_correction(
    *,
    actor: User,
    case_id: int,
    items: Mapping[str, str],
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """补正: one notice listing everything to correct (material code → problem); the acceptance clock pauses."""
    items = {k: (v or "").strip() for k, v in items.items() if k}

    def facts(case: Case) -> ApplicationFacts:
        f = load_facts(case)
        known = {m.code for m in applicable(materials_of(f))}
        if any(k not in known for k in items):
            raise ServiceError(
                _("No such material for this application."),
                code="unknown_material",
                fields={"items": _("Unknown material.")},
            )
        listed = (*items, *([note] if note.strip() else []))
        return replace(f, correction_items=tuple(listed))

    def apply(case: Case, t: Transition, f: ApplicationFacts) -> dict[str, Any]:
        app = f.app
        listed = []
        for m in materials_of(f):
            if m.code not in items:
                continue
            m.state = ApplicationMaterial.State.TO_CORRECT
            m.problem = items[m.code][:300] or _("Missing or not in the legal form")
            m.save(update_fields=["state", "problem"])
            listed.append({"material": m.name, "problem": m.problem})
        app.correction_given = True
        app.correction_items = [
            *listed,
            *([{"material": "", "problem": note.strip()}] if note.strip() else []),
        ]
        app.save(update_fields=["correction_given", "correction_items"])
        notice(case, actor, "correction", _("Correction notice (一次性告知)"), items=app.correction_items)
        return {"items": len(app.correction_items)}

    return run(
        actor=actor,
        case_id=case_id,
        action="request_correction",
        expected_version=expected_version,
        facts=facts,
        apply=apply,
        clock={"kind": "correction", "reason": note[:300]},
        notify=(
            _("Correction requested"),
            _("Please correct or supply the materials listed in the correction notice."),
        ),
    )


def application_answer_correction(*, actor: User, case_id: int, expected_version: int | None = None) -> Case:
    def facts(case: Case) -> ApplicationFacts:
        f = load_facts(case)
        left = [m.name for m in materials_of(f) if m.state == ApplicationMaterial.State.TO_CORRECT]
        if left:
            raise ServiceError(
                _("Replace every material listed in the correction notice first: %(names)s.")
                % {"names": "、".join(left)},
                code="correction_incomplete",
            )
        return f

    return run(
        actor=actor,
        case_id=case_id,
        action="answer_correction",
        expected_version=expected_version,
        facts=facts,
        clock={"kind": "correction"},
    )
