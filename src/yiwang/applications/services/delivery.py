"""The result reaches the applicant (pick-up, post, electronically); closing, withdrawing, terminating."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.cases.selectors import case_notices
from yiwang.core.errors import ServiceError

from .. import workflow as wf
from .common import load_facts, notice, run

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.cases.models import Case
    from yiwang.cases.workflow import Transition

    from ..workflow import ApplicationFacts


def application_deliver(
    *,
    actor: User,
    case_id: int,
    tracking_number: str = "",
    pickup_code: str | None = None,
    expected_version: int | None = None,
) -> Case:
    """Deliver the result. At the hall, the clerk checks the pick-up code the applicant shows (``pickup_code``:
    the code typed in; a wrong one is refused)."""
    tracking_number = tracking_number.strip()
    if len(tracking_number) > 40:
        raise ServiceError(
            _("The tracking number is too long: at most 40 characters."),
            code="too_long",
            fields={"tracking_number": _("At most %(max)s characters.") % {"max": 40}},
        )

    def facts(case: Case) -> ApplicationFacts:
        f = load_facts(case, tracking_number=tracking_number)
        app = f.app
        wanted = app.pickup_code if app.delivery_method == "pickup" else ""
        if wanted and pickup_code is not None and pickup_code.strip() != wanted:
            raise ServiceError(
                _("The pick-up code does not match this application."),
                code="pickup_code",
                fields={"pickup_code": _("Check the code the applicant shows.")},
            )
        at_hall = bool(app.return_hall_id and getattr(actor, "hall_id", None) == app.return_hall_id)
        return replace(f, method=app.delivery_method, at_return_hall=at_hall)

    def apply(case: Case, t: Transition, f: ApplicationFacts) -> dict[str, Any]:
        app = f.app
        app.tracking_number = tracking_number
        app.delivered_at = timezone.now()
        app.save(update_fields=["tracking_number", "delivered_at"])
        decision = (
            case_notices(case)
            .filter(kind__in=("approval", "rejection"))
            .order_by("-issued_at", "-id")
            .first()
        )
        notice(
            case,
            actor,
            "delivery",
            _("Delivery receipt"),
            method=wf.DELIVERY_METHODS[app.delivery_method],
            method_code=app.delivery_method,
            tracking_number=app.tracking_number,
            delivered_title=decision.title if decision is not None else "",
            delivered_number=decision.document_number if decision is not None else "",
            address=app.delivery_address if app.delivery_method == "post" else "",
        )
        return {"method": app.delivery_method}

    return run(
        actor=actor,
        case_id=case_id,
        action="deliver",
        expected_version=expected_version,
        facts=facts,
        apply=apply,
        notify=(_("Result delivered"), _("The result of your application has been delivered.")),
    )


def application_close(*, actor: User | None, case_id: int, expected_version: int | None = None) -> Case:
    return run(actor=actor, case_id=case_id, action="close", expected_version=expected_version)


def application_withdraw(
    *, actor: User, case_id: int, reason: str = "", expected_version: int | None = None
) -> Case:
    return run(
        actor=actor,
        case_id=case_id,
        action="withdraw",
        expected_version=expected_version,
        reason=reason,
        clock={"reason": "withdrawn"},
        notify=(_("Application withdrawn"), _("Your application has been withdrawn.")),
    )


def application_terminate(*, actor: User | None, case_id: int, expected_version: int | None = None) -> Case:
    def apply(case: Case, t: Transition, f: ApplicationFacts) -> dict[str, Any]:
        notice(case, actor, "termination", _("Notice of termination"))
        return {}

    return run(
        actor=actor,
        case_id=case_id,
        action="terminate",
        expected_version=expected_version,
        apply=apply,
        clock={"reason": "rongque not supplied"},
        notify=(
            _("Application terminated"),
            _("The promised materials did not arrive by the deadline; the application has been terminated."),
        ),
    )
