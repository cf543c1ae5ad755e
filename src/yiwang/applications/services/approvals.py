"""Requests a supervisor decides (窗口无否决权): not accepting, rejecting, extending the time limit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.cases.models import Case
from yiwang.core.errors import Conflict, NotFound

from .. import workflow as wf
from ..models import ApprovalRequest
from .common import load_facts, notice, pickup_code_assign, run

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.cases.workflow import Transition

    from ..workflow import ApplicationFacts


def _open_request(case: Case, actor: User, kind: str, reason_code: str, reason: str, guidance: str) -> None:
    ApprovalRequest.objects.create(
        case=case,
        kind=kind,
        requested_by=actor,
        reason_code=reason_code,
        reason=reason,
        guidance=guidance,
        prior_status=case.status,
    )


def _request_refusal(
    *,
    kind: str,
    action: str,
    actor: User,
    case_id: int,
    reason_code: str,
    guidance: str,
    reason: str,
    expected_version: int | None,
) -> Case:
    """A refusal is only a request that a supervisor decides (窗口无否决权), for both kinds."""

    def apply(case: Case, t: Transition, f: ApplicationFacts) -> dict[str, Any]:
        _open_request(case, actor, kind, reason_code, reason, guidance)
        return {"reason_code": reason_code}

    return run(
        actor=actor,
        case_id=case_id,
        action=action,
        expected_version=expected_version,
        reason=reason,
        facts=lambda case: load_facts(case, reason_code=reason_code, guidance=guidance),
        apply=apply,
    )


def application_request_not_accept(
    *,
    actor: User,
    case_id: int,
    reason_code: str,
    guidance: str,
    reason: str,
    expected_version: int | None = None,
) -> Case:
    """A clerk proposes not to accept: only a request; a supervisor decides (窗口无否决权)."""
    return _request_refusal(
        kind=ApprovalRequest.Kind.NOT_ACCEPT,
        action="request_not_accept",
        actor=actor,
        case_id=case_id,
        reason_code=reason_code,
        guidance=guidance,
        reason=reason,
        expected_version=expected_version,
    )


def application_request_rejection(
    *,
    actor: User,
    case_id: int,
    reason_code: str,
    guidance: str,
    reason: str,
    expected_version: int | None = None,
) -> Case:
    """A reviewer proposes to reject: only a request; a supervisor decides."""
    return _request_refusal(
        kind=ApprovalRequest.Kind.REJECT,
        action="request_rejection",
        actor=actor,
        case_id=case_id,
        reason_code=reason_code,
        guidance=guidance,
        reason=reason,
        expected_version=expected_version,
    )


def application_request_extension(
    *, actor: User, case_id: int, reason: str, expected_version: int | None = None
) -> Case:
    def apply(case: Case, t: Transition, f: ApplicationFacts) -> dict[str, Any]:
        _open_request(case, actor, ApprovalRequest.Kind.EXTENSION, "", reason, "")
        return {}

    return run(
        actor=actor,
        case_id=case_id,
        action="request_extension",
        expected_version=expected_version,
        reason=reason,
        apply=apply,
    )


_DECISIONS = {
    (ApprovalRequest.Kind.NOT_ACCEPT, True): "approve_not_accept",
    (ApprovalRequest.Kind.NOT_ACCEPT, False): "send_back_not_accept",
    (ApprovalRequest.Kind.REJECT, True): "approve_rejection",
    (ApprovalRequest.Kind.REJECT, False): "send_back_rejection",
    (ApprovalRequest.Kind.EXTENSION, True): "approve_extension",
    (ApprovalRequest.Kind.EXTENSION, False): "refuse_extension",
}
DECISION_ACTIONS = frozenset(_DECISIONS.values())


def pending_request(case: Case) -> ApprovalRequest | None:
    return ApprovalRequest.objects.filter(case=case, state=ApprovalRequest.State.PENDING).first()


def application_decide_request(  # noqa: C901 - three kinds of request × approve/send back, each with its notice and message
    *, actor: User, case_id: int, approve: bool, note: str = "", expected_version: int | None = None
) -> Case:
    """A supervisor approves or sends back the pending request (not accept, reject, extension)."""
    case = Case.objects.filter(pk=case_id, kind=wf.KIND).first()
    if case is None:
        raise NotFound(_("No such application."))
    pending = pending_request(case)
    kind: str = (
        pending.kind
        if pending
        else (
            ApprovalRequest.Kind.NOT_ACCEPT
            if case.status == "refusal_pending"
            else ApprovalRequest.Kind.REJECT
        )
    )
    # Sending a refusal back needs a reason: the workflow's ``needs_reason``, checked after access.
    action = _DECISIONS[(ApprovalRequest.Kind(kind), approve)]

    def apply(case: Case, t: Transition, f: ApplicationFacts) -> dict[str, Any]:
        req = f.pending
        if req is None:
            raise Conflict(str(wf.pending_request(f)), code="no_request")
        req.state = ApprovalRequest.State.APPROVED if approve else ApprovalRequest.State.SENT_BACK
        req.decided_by = actor
        req.decided_at = timezone.now()
        req.decision_note = note
        req.save()
        app = f.app
        if approve and req.kind in (ApprovalRequest.Kind.NOT_ACCEPT, ApprovalRequest.Kind.REJECT):
            app.decision_reason = req.reason_code
            app.guidance = req.guidance
            app.save(update_fields=["decision_reason", "guidance"])
            kind_notice = "not_accepted" if req.kind == ApprovalRequest.Kind.NOT_ACCEPT else "rejection"
            title = (
                _("Notice of non-acceptance") if kind_notice == "not_accepted" else _("Decision: rejected")
            )
            notice(
                case,
                actor,
                kind_notice,
                title,
                reason=wf.REFUSAL_REASONS[req.reason_code],
                reason_code=req.reason_code,
                guidance=req.guidance,
            )
            if kind_notice == "rejection":
                pickup_code_assign(app)
        if approve and req.kind == ApprovalRequest.Kind.EXTENSION:
            app.extended = True
            app.save(update_fields=["extended"])
            notice(
                case, actor, "extension", _("Notice of extension"), days=wf.EXTENSION_DAYS, reason=req.reason
            )
        return {
            "request": req.pk,
            "request_kind": req.kind,
            "requested_by": req.requested_by_id,
            "approved": approve,
        }

    notify = None
    if approve and kind == ApprovalRequest.Kind.NOT_ACCEPT:
        notify = (
            _("Application not accepted"),
            _("Your application was not accepted. See the notice for the reason and what you can do next."),
        )
    elif approve and kind == ApprovalRequest.Kind.REJECT:
        notify = (
            _("Decision: rejected"),
            _(
                "Your application was rejected. See the decision for the legal reason and what you can do next."
            ),
        )
    elif approve and kind == ApprovalRequest.Kind.EXTENSION:
        notify = (
            _("Time limit extended"),
            _("The time limit for your application has been extended by %(n)s working days.")
            % {"n": wf.EXTENSION_DAYS},
        )
    reason = note
    if pending is not None and kind == ApprovalRequest.Kind.EXTENSION:
        reason = note or pending.reason
    clock: dict[str, Any] = {"decision": True}
    if kind == ApprovalRequest.Kind.EXTENSION:
        clock = {
            "days": wf.EXTENSION_DAYS,
            "reason": (pending.reason if pending else note) or "-",
            "approved_by": actor,
        }

    def prior(case: Case, f: ApplicationFacts) -> str:
        if f.pending is None:
            raise Conflict(str(wf.pending_request(f)), code="no_request")
        return str(f.pending.prior_status)

    return run(
        actor=actor,
        case_id=case_id,
        action=action,
        expected_version=expected_version,
        reason=reason,
        apply=apply,
        clock=clock,
        notify=notify,
        prior=prior,
    )
