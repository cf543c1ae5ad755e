"""Review in the owning office: taking the case, pausing the clock (Art. 45), deciding, issuing the result."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from yiwang.cases.services import case_assignee_set
from yiwang.core.errors import ServiceError
from yiwang.licences.selectors import licence_type_for_item, licence_valid_to
from yiwang.workdays.pausekinds import pause_kinds

from .. import workflow as wf
from ..models import ApplicationMaterial
from .common import load_facts, materials_of, notice, pickup_code_assign, run, today

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.cases.models import Case
    from yiwang.cases.workflow import Transition

    from ..workflow import ApplicationFacts


def review_pause_kinds() -> list[tuple[str, str]]:
    """The calendar's pause kinds that may pause a review (code, label in the current language)."""
    return [(k.code, k.label()) for k in pause_kinds() if k.code in wf.REVIEW_PAUSE_KINDS]


def _pause_label(code: str) -> str:
    return dict(review_pause_kinds()).get(code, code)


def application_start_review(*, actor: User, case_id: int, expected_version: int | None = None) -> Case:
    def apply(case: Case, t: Transition, f: ApplicationFacts) -> dict[str, Any]:
        case_assignee_set(case=case, actor=actor, user=actor, reason="review")
        return {"assignee": actor.pk}

    return run(
        actor=actor, case_id=case_id, action="start_review", expected_version=expected_version, apply=apply
    )


def application_suspend(
    *,
    actor: User,
    case_id: int,
    pause_kind: str,
    reason: str,
    expected_days: int = 0,
    expected_version: int | None = None,
) -> Case:
    """Art. 45: hearings, testing, expert review, site surveys are not counted; the applicant is told how long."""
    label = _pause_label(pause_kind)

    def apply(case: Case, t: Transition, f: ApplicationFacts) -> dict[str, Any]:
        app = f.app
        app.pause_kind = pause_kind
        app.save(update_fields=["pause_kind"])
        notice(
            case,
            actor,
            "pause",
            _("Notice of time not counted"),
            pause=label,
            expected_days=expected_days,
            reason=reason,
        )
        return {"pause_kind": pause_kind, "expected_days": expected_days}

    return run(
        actor=actor,
        case_id=case_id,
        action="suspend",
        expected_version=expected_version,
        reason=reason,
        facts=lambda c: load_facts(c, pause_kind=pause_kind),
        apply=apply,
        clock={"kind": pause_kind, "reason": reason},
        notify=(
            _("Time not counted"),
            _("%(kind)s: this time is not counted; expected about %(n)s days.")
            % {"kind": label, "n": expected_days},
        ),
    )


def application_resume(*, actor: User, case_id: int, expected_version: int | None = None) -> Case:
    def apply(case: Case, t: Transition, f: ApplicationFacts) -> dict[str, Any]:
        app = f.app
        kind = app.pause_kind
        app.pause_kind = ""
        app.save(update_fields=["pause_kind"])
        return {"pause_kind": kind}

    return run(
        actor=actor,
        case_id=case_id,
        action="resume",
        expected_version=expected_version,
        apply=apply,
        clock=lambda c, f: {"kind": f.app.pause_kind or None},
    )


def _permit(app: Any) -> dict[str, Any]:
    """What the 准予行政许可决定书 records: the permitted matter, its result, the legal basis and, for a
    licence, its validity from today (the licence type's years; 0 is permanent)."""
    version = app.item_version
    snap = version.snapshot or {}
    licence = licence_type_for_item(version.item_id)
    out: dict[str, Any] = {
        "permitted": version.name,
        "result_name": snap.get("result_name") or "",
        "legal_basis": snap.get("legal_basis") or "",
        "valid_from": today().isoformat(),
    }
    if licence is not None:
        out["validity_years"] = licence.validity_years
        if licence.validity_years:
            out["valid_until"] = licence_valid_to(today(), licence.validity_years).isoformat()
    return out


def application_approve(*, actor: User, case_id: int, expected_version: int | None = None) -> Case:
    def apply(case: Case, t: Transition, f: ApplicationFacts) -> dict[str, Any]:
        notice(case, actor, "approval", _("Decision: approved"), **_permit(f.app))
        return {"pickup_code": bool(pickup_code_assign(f.app))}

    return run(
        actor=actor,
        case_id=case_id,
        action="approve",
        expected_version=expected_version,
        apply=apply,
        clock={"decision": True},
        notify=(_("Application approved"), _("Your application has been approved.")),
    )


def application_issue_result(*, actor: User, case_id: int, expected_version: int | None = None) -> Case:
    return run(
        actor=actor,
        case_id=case_id,
        action="issue_result",
        expected_version=expected_version,
        notify=(_("Result ready"), _("The result of your application is ready.")),
    )


def application_supply_promised(*, actor: User, case_id: int, expected_version: int | None = None) -> Case:
    """The promised (容缺) materials have all arrived: the hold on the result is lifted."""

    def facts(case: Case) -> ApplicationFacts:
        f = load_facts(case)
        left = [m.name for m in materials_of(f) if m.state == ApplicationMaterial.State.PROMISED]
        if left:
            raise ServiceError(
                _("Upload every promised material first: %(names)s.") % {"names": "、".join(left)},
                code="rongque_incomplete",
            )
        return f

    def apply(case: Case, t: Transition, f: ApplicationFacts) -> dict[str, Any]:
        app = f.app
        app.rongque_supplied_on = today()
        app.save(update_fields=["rongque_supplied_on"])
        return {"supplied_on": app.rongque_supplied_on.isoformat()}

    return run(
        actor=actor,
        case_id=case_id,
        action="supply_materials",
        expected_version=expected_version,
        facts=facts,
        apply=apply,
    )
