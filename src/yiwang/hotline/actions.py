"""One ``perform`` per action, shared by the ticket page and the API, and the actions a user may take now
(rendered from the workflow's table and the user's capacities)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yiwang.cases.access import case_capacities

from . import services as s
from . import workflow as wf

if TYPE_CHECKING:
    from collections.abc import Callable

    from yiwang.accounts.models import User
    from yiwang.cases.models import Case


@dataclass(frozen=True)
class Action:
    name: str
    label: Any
    transitions: tuple[str, ...]
    run: Callable[..., Case]
    fields: tuple[str, ...] = ()
    danger: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _v(p: dict[str, Any]) -> int | None:
    return p.get("version")


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action(
            "dispatch",
            _("Dispatch"),
            ("dispatch",),
            lambda u, c, p: s.ticket_dispatch(
                actor=u,
                case_id=c.pk,
                office=p.get("office") or None,
                co_offices=p.get("co_offices") or (),
                expected_version=_v(p),
            ),
            ("office", "co_offices"),
        ),
        Action(
            "accept",
            pgettext_lazy("ticket", "Accept"),
            ("accept",),
            lambda u, c, p: s.ticket_accept(actor=u, case_id=c.pk, expected_version=_v(p)),
        ),
        Action(
            "return",
            _("Return to the dispatcher (退单)"),
            ("return",),
            lambda u, c, p: s.ticket_return(
                actor=u, case_id=c.pk, reason=p.get("reason", ""), expected_version=_v(p)
            ),
            ("reason",),
            danger=True,
        ),
        Action(
            "reassign",
            _("Reassign (转派)"),
            ("reassign",),
            lambda u, c, p: s.ticket_reassign(
                actor=u,
                case_id=c.pk,
                office=p.get("office") or "",
                reason=p.get("reason", ""),
                co_offices=p.get("co_offices") or (),
                expected_version=_v(p),
            ),
            ("office", "co_offices", "reason"),
        ),
        Action(
            "answer_part",
            _("Answer our part"),
            ("answer_part",),
            lambda u, c, p: s.ticket_answer_part(
                actor=u, case_id=c.pk, text=p.get("text", ""), expected_version=_v(p)
            ),
            ("text",),
        ),
        Action(
            "request_extension",
            _("Ask for more time"),
            ("request_extension",),
            lambda u, c, p: s.ticket_request_extension(
                actor=u,
                case_id=c.pk,
                days=p.get("days") or 0,
                reason=p.get("reason", ""),
                expected_version=_v(p),
            ),
            ("days", "reason"),
        ),
        Action(
            "decide_extension",
            _("Decide the extension"),
            ("decide_extension", "refuse_extension"),
            lambda u, c, p: s.ticket_decide_extension(
                actor=u,
                case_id=c.pk,
                approve=bool(p.get("approve")),
                reason=p.get("reason", ""),
                expected_version=_v(p),
            ),
            ("approve", "reason"),
        ),
        Action(
            "reply",
            _("Reply to the caller"),
            ("reply",),
            lambda u, c, p: s.ticket_reply(
                actor=u,
                case_id=c.pk,
                handling=p.get("handling", ""),
                reply=p.get("reply", ""),
                expected_version=_v(p),
            ),
            ("handling", "reply"),
        ),
        Action(
            "callback",
            _("Record the callback"),
            ("callback", "callback_unsatisfied"),
            lambda u, c, p: s.ticket_callback(
                actor=u,
                case_id=c.pk,
                rating=p.get("rating", ""),
                note=p.get("reason", ""),
                expected_version=_v(p),
            ),
            ("rating", "reason"),
        ),
        Action(
            "reopen",
            _("Reopen for handling"),
            ("reopen",),
            lambda u, c, p: s.ticket_reopen(
                actor=u, case_id=c.pk, reason=p.get("reason", ""), expected_version=_v(p)
            ),
            ("reason",),
        ),
        Action(
            "close",
            pgettext_lazy("case action", "Close"),
            ("close",),
            lambda u, c, p: s.ticket_close(
                actor=u, case_id=c.pk, reason=p.get("reason", ""), expected_version=_v(p)
            ),
            ("reason",),
        ),
        Action(
            "merge",
            _("Merge into another ticket"),
            ("merge",),
            lambda u, c, p: s.ticket_merge(
                actor=u,
                case_id=c.pk,
                into_id=p.get("into") or 0,
                reason=p.get("reason", ""),
                expected_version=_v(p),
            ),
            ("into", "reason"),
            danger=True,
        ),
    )
}


def perform(actor: User, case: Case, name: str, params: dict[str, Any]) -> Case:
    return ACTIONS[name].run(actor, case, params)


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
