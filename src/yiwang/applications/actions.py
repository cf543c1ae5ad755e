"""The actions people take on an application, bound to the workflow's transitions: which transitions each
may fire, the form that parses it on a page, the service it calls, and its button. Pages render the
actions available to a user from this table and the workflow (no per-action template branches); the API
has one typed operation per action calling the same ``perform``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yiwang.accounts.models import User
from yiwang.cases.access import case_capacity
from yiwang.cases.models import Case
from yiwang.cases.workflow import SYSTEM

from . import forms
from . import services as svc
from . import workflow as wf

Perform = Callable[[User, int, Mapping[str, Any]], Case]


@dataclass(frozen=True)
class Action:
    name: str
    label: Any
    transitions: frozenset[str]
    form: type[forms.ActionForm]
    perform: Perform
    primary: bool = False
    # Irreversible actions ask first: the page shows this question before the form is sent.
    confirm: Any = None

    @property
    def slug(self) -> str:
        """The action's name in API paths (``accept-rongque``)."""
        return self.name.replace("_", "-")


def _v(data: Mapping[str, Any]) -> int | None:
    v = data.get("expected_version")
    return int(v) if v else None


def _simple(fn: Callable[..., Case]) -> Perform:
    return lambda actor, case_id, data: fn(actor=actor, case_id=case_id, expected_version=_v(data))


def _refusal(fn: Callable[..., Case]) -> Perform:
    return lambda actor, case_id, d: fn(
        actor=actor,
        case_id=case_id,
        reason_code=d.get("reason_code") or "",
        guidance=d.get("guidance") or "",
        reason=d.get("reason") or "",
        expected_version=_v(d),
    )


def _decide(approve: bool) -> Perform:
    return lambda actor, case_id, d: svc.application_decide_request(
        actor=actor, case_id=case_id, approve=approve, note=d.get("note") or "", expected_version=_v(d)
    )


def _t(*names: str) -> frozenset[str]:
    for n in names:
        assert n in wf.TRANSITIONS, n
    return frozenset(names)


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action(
            "submit",
            _("Submit"),
            _t("submit"),
            forms.SubmitForm,
            lambda actor, case_id, d: svc.application_submit(
                actor=actor,
                case_id=case_id,
                promise_by=d.get("promise_by"),
                promise_signed=bool(d.get("promise_signed")),
                expected_version=_v(d),
            ),
            primary=True,
        ),
        Action(
            "start_pre_review",
            _("Start pre-review"),
            _t("start_pre_review"),
            forms.ActionForm,
            _simple(svc.application_start_pre_review),
        ),
        Action(
            "accept",
            _("Accept"),
            _t("accept"),
            forms.ActionForm,
            _simple(svc.application_accept),
            primary=True,
        ),
        Action(
            "accept_rongque",
            _("Accept with missing materials (容缺)"),
            _t("accept_rongque"),
            forms.AcceptRongqueForm,
            lambda actor, case_id, d: svc.application_accept_rongque(
                actor=actor,
                case_id=case_id,
                promise_by=d.get("promise_by"),
                promise_days=int(d["promise_days"]) if d.get("promise_days") else None,
                promise_signed=bool(d.get("promise_signed")),
                expected_version=_v(d),
            ),
        ),
        Action(
            "request_correction",
            _("Request correction (补正)"),
            _t("request_correction"),
            forms.CorrectionForm,
            lambda actor, case_id, d: svc.application_request_correction(
                actor=actor,
                case_id=case_id,
                items=dict(d.get("items") or {}),
                note=d.get("note") or "",
                expected_version=_v(d),
            ),
        ),
        Action(
            "answer_correction",
            _("Correction supplied"),
            _t("answer_correction"),
            forms.ActionForm,
            _simple(svc.application_answer_correction),
            primary=True,
        ),
        Action(
            "request_not_accept",
            _("Propose not to accept"),
            _t("request_not_accept"),
            forms.RefusalForm,
            _refusal(svc.application_request_not_accept),
        ),
        Action(
            "request_rejection",
            _("Propose rejection"),
            _t("request_rejection"),
            forms.RefusalForm,
            _refusal(svc.application_request_rejection),
        ),
        Action(
            "request_extension",
            _("Request an extension"),
            _t("request_extension"),
            forms.ExtensionForm,
            lambda actor, case_id, d: svc.application_request_extension(
                actor=actor, case_id=case_id, reason=d.get("reason") or "", expected_version=_v(d)
            ),
        ),
        Action(
            "approve_request",
            _("Approve the request"),
            _t("approve_not_accept", "approve_rejection", "approve_extension"),
            forms.NoteActionForm,
            _decide(True),
            primary=True,
        ),
        Action(
            "send_back",
            _("Send back"),
            _t("send_back_not_accept", "send_back_rejection", "refuse_extension"),
            forms.SendBackForm,
            _decide(False),
        ),
        Action(
            "start_review",
            _("Take for review"),
            _t("start_review"),
            forms.ActionForm,
            _simple(svc.application_start_review),
        ),
        Action(
            "suspend",
            _("Pause the clock"),
            _t("suspend"),
            forms.SuspendForm,
            lambda actor, case_id, d: svc.application_suspend(
                actor=actor,
                case_id=case_id,
                pause_kind=d.get("pause_kind") or "",
                reason=d.get("reason") or "",
                expected_days=int(d.get("expected_days") or 0),
                expected_version=_v(d),
            ),
        ),
        Action(
            "resume", _("Resume the clock"), _t("resume"), forms.ActionForm, _simple(svc.application_resume)
        ),
        Action(
            "approve",
            _("Approve"),
            _t("approve"),
            forms.ActionForm,
            _simple(svc.application_approve),
            primary=True,
        ),
        Action(
            "issue_result",
            _("Result ready"),
            _t("issue_result"),
            forms.ActionForm,
            _simple(svc.application_issue_result),
        ),
        Action(
            "supply_materials",
            _("Promised materials supplied"),
            _t("supply_materials"),
            forms.ActionForm,
            _simple(svc.application_supply_promised),
        ),
        Action(
            "deliver",
            _("Deliver the result"),
            _t("deliver"),
            forms.DeliverForm,
            lambda actor, case_id, d: svc.application_deliver(
                actor=actor,
                case_id=case_id,
                tracking_number=d.get("tracking_number") or "",
                pickup_code=d.get("pickup_code"),
                expected_version=_v(d),
            ),
            primary=True,
        ),
        Action(
            "close",
            pgettext_lazy("case action", "Close"),
            _t("close"),
            forms.ActionForm,
            _simple(svc.application_close),
        ),
        Action(
            "withdraw",
            _("Withdraw (applicant's wish)"),
            _t("withdraw"),
            forms.WithdrawForm,
            lambda actor, case_id, d: svc.application_withdraw(
                actor=actor, case_id=case_id, reason=d.get("reason") or "", expected_version=_v(d)
            ),
        ),
        Action(
            "terminate", _("Terminate"), _t("terminate"), forms.ActionForm, _simple(svc.application_terminate)
        ),
    ]
}

# The questions asked before an irreversible step (the workflow cannot take it back).
_CONFIRM = {
    "request_not_accept": _("Propose not to accept this application? The supervisor decides next."),
    "request_rejection": _("Propose to reject this application? The supervisor decides next."),
    "approve_request": _("Approve? A refusal or an extension takes effect and the applicant is told."),
    "approve": _("Grant the permit? The decision cannot be undone here."),
    "withdraw": _("Withdraw the application? This cannot be undone."),
    "terminate": _("Terminate the case? This cannot be undone."),
    "close": _("Close the case? This cannot be undone."),
}
ACTIONS = {name: replace(a, confirm=_CONFIRM.get(name)) for name, a in ACTIONS.items()}


def available_actions(user: User | None, case: Case, *, staff: bool) -> list[tuple[Action, str]]:
    """The actions this user may take on the case now: those with a transition allowed from the case's
    status that the user holds a capacity for (staff capacities on the workbench, the applicant's in the
    portal), each with the transition it would fire. A decision is offered for the kind of request
    pending only."""
    allowed = {t.name for t in wf.WORKFLOW.allowed_from(case.status)}
    pending = svc.pending_request(case) if allowed & svc.DECISION_ACTIONS else None
    out = []
    for action in ACTIONS.values():
        for name in sorted(action.transitions & allowed):
            if name in svc.DECISION_ACTIONS and (
                pending is None or not name.endswith(_decision_suffix(pending.kind))
            ):
                continue
            capacity = case_capacity(user, case, wf.TRANSITIONS[name])
            if capacity in (None, SYSTEM) or (capacity == wf.APPLICANT) == staff:
                continue
            out.append((action, name))
            break
    return out


def _decision_suffix(request_kind: str) -> str:
    return {"not_accept": "not_accept", "reject": "rejection", "extension": "extension"}[request_kind]
