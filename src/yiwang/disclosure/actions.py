"""The actions of a request's workbench page: for each, its form and the service it runs, and the actions a
user may take now (from the workflow's table and the user's capacities on the case)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from yiwang.cases.access import case_capacities

from . import forms
from . import services as s
from . import workflow as wf

if TYPE_CHECKING:
    from collections.abc import Callable

    from django import forms as django_forms

    from yiwang.accounts.models import User
    from yiwang.cases.models import Case


@dataclass(frozen=True)
class Action:
    name: str
    label: Any
    transitions: tuple[str, ...]
    form: type[django_forms.Form]
    run: Callable[[User, Case, dict[str, Any]], Case]
    danger: bool = False


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action(
            "confirm",
            _("Confirm receipt"),
            ("confirm",),
            forms.ConfirmForm,
            lambda u, c, d: s.request_confirm(actor=u, case_id=c.pk, on=d.get("on")),
        ),
        Action(
            "correction",
            _("Correction notice"),
            ("request_correction",),
            forms.CorrectionForm,
            lambda u, c, d: s.request_correction(actor=u, case_id=c.pk, what=d["what"], days=d.get("days")),
        ),
        Action(
            "correct",
            _("Record the corrected request"),
            ("correct",),
            forms.CorrectForm,
            lambda u, c, d: s.request_correct(actor=u, case_id=c.pk, text=d["text"]),
        ),
        Action(
            "third_party",
            _("Consult a third party"),
            ("consult_third_party",),
            forms.ThirdPartyForm,
            lambda u, c, d: s.third_party_consult(
                actor=u, case_id=c.pk, name=d["name"], phone=d.get("phone") or ""
            ),
        ),
        Action(
            "third_party_answered",
            _("Record the third party's opinion"),
            ("third_party_answered",),
            forms.OpinionForm,
            lambda u, c, d: s.third_party_answered(actor=u, case_id=c.pk, opinion=d.get("opinion") or ""),
        ),
        Action(
            "extension",
            _("Ask for more time"),
            ("request_extension",),
            forms.ExtensionForm,
            lambda u, c, d: s.extension_request(actor=u, case_id=c.pk, days=d["days"], reason=d["reason"]),
        ),
        Action(
            "extension_decision",
            _("Decide the extension"),
            ("decide_extension", "refuse_extension"),
            forms.DecisionForm,
            lambda u, c, d: s.extension_decide(
                actor=u, case_id=c.pk, approve=d["approve"], reason=d.get("reason") or ""
            ),
        ),
        Action(
            "fee_notice",
            _("Issue a fee notice"),
            ("fee_notice",),
            forms.FeeNoticeForm,
            lambda u, c, d: s.fee_notice(actor=u, case_id=c.pk, month=d.get("month") or ""),
        ),
        Action(
            "fee_paid",
            _("Record the payment"),
            ("fee_paid",),
            forms.FeePaidForm,
            lambda u, c, d: s.fee_paid(actor=u, case_id=c.pk, paid_on=d.get("paid_on")),
        ),
        Action(
            "reply",
            _("Reply"),
            ("reply", "submit_reply"),
            forms.ReplyForm,
            lambda u, c, d: s.reply_send(
                actor=u,
                case_id=c.pk,
                data=s.ReplyInput(d["type"], {k: d[k] for k in forms.ReplyForm.CONTENT if d.get(k)}),
                expected_version=d.get("version"),
            ),
        ),
        Action(
            "reply_decision",
            _("Decide the reply"),
            ("approve_reply", "return_reply"),
            forms.ReplyDecisionForm,
            lambda u, c, d: s.reply_approve(
                actor=u, case_id=c.pk, approve=d["approve"], reason=d.get("reason") or ""
            ),
        ),
        Action(
            "withdraw",
            _("Withdraw the request"),
            ("withdraw",),
            forms.WithdrawForm,
            lambda u, c, d: s.request_withdraw(actor=u, case_id=c.pk, reason=d.get("reason") or ""),
            danger=True,
        ),
    )
}


def available(user: User, case: Case) -> list[Action]:
    """The actions the user may take now: a transition from the case's status that one of the user's
    capacities fires (the guards are checked when it is performed)."""
    held = set(case_capacities(user, case))
    out = []
    for a in ACTIONS.values():
        for name in a.transitions:
            t = wf.WORKFLOW.get(name)
            if t is not None and case.status in t.sources and held & set(t.actors):
                out.append(a)
                break
    return out
