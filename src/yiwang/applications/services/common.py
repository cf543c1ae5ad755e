"""What every application service shares: loading the facts once, running one transition on the kernel."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from yiwang.cases import clockops
from yiwang.cases.models import Case
from yiwang.cases.services import (
    TransitionRequest,
    case_attachment_store,
    case_notice_issue,
    case_transition,
)
from yiwang.cases.workflow import Transition
from yiwang.catalogue import selectors as catalogue
from yiwang.core.errors import Conflict, ServiceError
from yiwang.licences import selectors as licence_selectors
from yiwang.licences.services import licence_material_release
from yiwang.workdays.calendar import get_calendar

from .. import workflow as wf
from ..answers import unanswered
from ..models import Application, ApplicationMaterial, ApprovalRequest
from ..vocabulary import DOCUMENT_TYPES, NOTICE_TITLES
from ..workflow import ApplicationFacts
from . import standing

if TYPE_CHECKING:
    from datetime import date, datetime

    from yiwang.accounts.models import Enterprise, Person, User

Apply = Callable[[Case, Transition, ApplicationFacts], Mapping[str, Any] | None]


def progress_link(case: Case) -> str:
    return reverse("applications:progress") + f"?number={case.number or ''}"


def today() -> date:
    return timezone.localdate()


def app_of(case: Case) -> Application:
    return Application.objects.select_related("item", "item_version").get(case=case)


def applicable(materials: Iterable[ApplicationMaterial]) -> list[ApplicationMaterial]:
    return [m for m in materials if m.state != ApplicationMaterial.State.NOT_APPLICABLE]


def missing(materials: Iterable[ApplicationMaterial]) -> list[ApplicationMaterial]:
    return [
        m
        for m in applicable(materials)
        if m.state in (ApplicationMaterial.State.MISSING, ApplicationMaterial.State.TO_CORRECT)
    ]


def rongque_limit(app: Application, materials: Iterable[ApplicationMaterial]) -> int:
    """The longest promise (working days) the item allows for the materials missing now: the shortest
    limit of any of them, and never longer than the item's committed limit (0: none may be promised)."""
    gone = missing(materials)
    limits = [m.rongque_max_days or app.committed_days for m in gone if m.rongque_allowed]
    return min([*limits, app.committed_days]) if limits else 0


def promise_days_until(day: date | None) -> int:
    """Working days from today until ``day`` (the promised date), 0 when none or not after today."""
    if day is None:
        return 0
    return max(clockops.workdays_between(today(), day), 0)


def rongque_default(case: Case) -> tuple[int, date | None]:
    """What a 容缺 promise on this case defaults to: the item's limit in working days and the date it
    reaches (the date the online applicant promised, when they signed online)."""
    app = app_of(case)
    limit = rongque_limit(app, app.materials.all())
    if app.rongque_signed_at is not None and app.rongque_deadline is not None:
        return limit, app.rongque_deadline
    return limit, (clockops.add_workdays(today(), limit) if limit else None)


def blacklisted(case: Case) -> bool:
    """Credit black list (信用+政务服务): read from the credit context when the facts are loaded."""
    return standing.standing_of(case).black


def staff_link(case: Case) -> str:
    return reverse("applications:case", kwargs={"case_id": case.pk})


def window_passed(app: Application) -> bool:
    return bool(app.acceptance_window_ends and today() > app.acceptance_window_ends)


def load_facts(case: Case, **extra: Any) -> ApplicationFacts:
    """Everything the guards and the transition's changes need, read once (application, materials,
    pending request)."""
    app = app_of(case)
    materials = list(app.materials.all())
    app._materials = materials  # type: ignore[attr-defined]
    gone = missing(materials)
    pending = ApprovalRequest.objects.filter(case=case, state=ApprovalRequest.State.PENDING).first()
    facts = ApplicationFacts(
        missing=tuple(m.name for m in gone),
        unanswered=tuple(unanswered(app.item_version.form, app.answers)),
        rongque_names=tuple(m.name for m in gone if m.rongque_allowed),
        blacklisted=blacklisted(case),
        window_passed=window_passed(app),
        correction_given=app.correction_given,
        extended=app.extended,
        instant=app.instant,
        extension_pending=bool(pending and pending.kind == ApprovalRequest.Kind.EXTENSION),
        pending_request=pending is not None,
        rongque_outstanding=app.rongque and app.rongque_supplied_on is None,
        rongque_overdue=bool(
            app.rongque
            and app.rongque_supplied_on is None
            and app.rongque_deadline
            and today() > app.rongque_deadline
        ),
        no_visit=app.no_visit,
        approving=case.status == "approved",
        app=app,
        pending=pending,
    )
    return replace(facts, **extra) if extra else facts


def materials_of(facts: ApplicationFacts) -> list[ApplicationMaterial]:
    return list(getattr(facts.app, "_materials", None) or facts.app.materials.all())


def run(
    *,
    actor: User | None,
    case_id: int,
    action: str,
    expected_version: int | None = None,
    reason: str = "",
    facts: Callable[[Case], ApplicationFacts] | None = None,
    apply: Apply | None = None,
    clock: Mapping[str, Any] | Callable[[Case, ApplicationFacts], Mapping[str, Any]] | None = None,
    prior: Callable[[Case, ApplicationFacts], str] | str = "",
    notify: tuple[str, str] | None = None,
    data: Mapping[str, Any] | None = None,
) -> Case:
    """Run one transition of the application workflow on the kernel (access is checked there, before
    any lock). The 5-working-day rule (docs/rules.md §2) is applied first on any action that could still
    refuse acceptance."""
    t = wf.TRANSITIONS[action]
    if action != "deem_accept" and (t.sources & wf.AWAITING_ACCEPTANCE) and deem_if_due(case_id):
        raise Conflict(
            str(wf.within_acceptance_window(ApplicationFacts(window_passed=True))), code="deemed_accepted"
        )
    request = TransitionRequest(
        action=action,
        expected_version=expected_version,
        reason=reason,
        facts=facts or load_facts,
        clock=clock or {},
        prior_status=prior,
        data=data or {},
        notify=notify,
        link=progress_link,
    )
    return case_transition(actor=actor, case_id=case_id, request=request, apply=apply, kind=wf.KIND)


def deem_if_due(case_id: int) -> bool:
    """Apply the 5-working-day rule to one case if it is due; returns whether it was deemed accepted."""
    app = Application.objects.filter(case_id=case_id).first()
    if app is None or app.correction_given or app.deemed_accepted or not window_passed(app):
        return False
    try:
        application_deem_accept(case_id=case_id)
    except Conflict:
        return False
    return True


def application_deem_accept(*, case_id: int) -> Case:
    """No correction notice within 5 working days of receipt: accepted on the day received (docs/rules.md §2)."""

    def apply(case: Case, t: Transition, f: ApplicationFacts) -> dict[str, Any]:
        app = f.app
        app.deemed_accepted = True
        app.save(update_fields=["deemed_accepted"])
        case.accepted_on = app.received_on
        credit = standing.record(
            case, "accepted", actor=None, accepted_on=app.received_on, committed_days=app.committed_days
        )
        notice(case, None, "acceptance", _("Acceptance notice"), due_days=app.committed_days, deemed=True)
        return {"accepted_on": app.received_on.isoformat() if app.received_on else "", **credit}

    return run(
        actor=None,
        case_id=case_id,
        action="deem_accept",
        apply=apply,
        clock=lambda c, f: decision_clock(f.app, f.app.received_on),
        notify=(
            _("Application accepted"),
            _(
                "No correction notice was given within 5 working days: your application counts as "
                "accepted on the day it was received."
            ),
        ),
    )


def decision_clock(app: Application, start_day: date | None = None) -> dict[str, Any]:
    return {
        wf.ACCEPTANCE: {"reason": "accepted"},
        wf.DECISION: {
            "limit": app.committed_days,
            "label": _("decision (committed limit)"),
            "started_at": clockops.start_moment(start_day) if start_day else None,
        },
    }


def acceptance_clock_args(received: date) -> dict[str, Any]:
    """The 5-working-day acceptance clock. A submission on a non-working day counts as received on the next
    working day; the clock starts now and counts the working days up to that day on top (so its due date is
    the 5th working day after the deemed receipt, as the engine computes it)."""
    now_day = timezone.localdate()
    ahead = clockops.workdays_between(now_day, received) if received > now_day else 0
    return {
        "limit": wf.ACCEPTANCE_WINDOW_DAYS + ahead,
        "label": _("acceptance (Administrative Licensing Law Art. 32)"),
        "started_at": clockops.start_moment(min(received, now_day)),
    }


def receipt_day(now: datetime) -> date:
    """An online submission on a non-working day counts as received on the next working day."""
    day = timezone.localdate(now)
    cal = get_calendar()
    return day if cal.is_workday(day) else cal.next_workday(day)


def pickup_code_assign(app: Application) -> str:
    """At the decision: the code the applicant shows to collect a paper result at the hall (取件码)."""
    if app.delivery_method == "pickup" and not app.pickup_code:
        app.pickup_code = f"{secrets.randbelow(10**6):06d}"
        app.save(update_fields=["pickup_code"])
    return app.pickup_code


def receipt_rows(case: Case, app: Application) -> list[dict[str, Any]]:
    """What was received, material by material: files uploaded, a licence used, or (at a window) the
    originals and copies the guide asks for; what is missing or promised (容缺) is listed too."""
    specs = {spec.code: spec for spec in catalogue.item_materials(app.item_version)}
    files = Counter(a.slot for a in case.attachments.filter(superseded=False))
    uses = licence_selectors.material_uses(case.pk)
    paper = case.channel == Case.Channel.WINDOW
    rows = []
    for m in applicable(app.materials.all()):
        spec = specs.get(m.code)
        provided = m.state == ApplicationMaterial.State.PROVIDED
        on_paper = provided and paper and not files.get(m.code) and m.code not in uses
        rows.append(
            {
                "name": m.name,
                "state": m.state,
                "files": files.get(m.code, 0),
                "licence": m.code in uses,
                "originals": spec.originals if on_paper and spec else 0,
                "copies": spec.copies if on_paper and spec else 0,
            }
        )
    return rows


def receipt_issue(case: Case, actor: User | None) -> None:
    """The receipt (收件回执) given on receipt, online or at a window: what was received."""
    app = app_of(case)
    promised_by = app.rongque_deadline.isoformat() if app.rongque_signed_at and app.rongque_deadline else ""
    notice(
        case,
        actor,
        "receipt",
        _("Receipt of application (收件回执)"),
        materials=receipt_rows(case, app),
        channel=case.channel,
        received_on=app.received_on.isoformat() if app.received_on else "",
        promised_by=promised_by,
    )


def notice(case: Case, actor: User | None, kind: str, title: str, **data: Any) -> None:
    """Issue a notice in the notice's language (the district's, ``settings.LANGUAGE_CODE``), whatever the
    acting user's interface language: its title and any label given lazily are translated in it, and
    the language is recorded so the PDF is rendered in it too. Codes (a refusal reason's) are stored."""
    language = str(settings.LANGUAGE_CODE)
    with translation.override(language):
        title = str(NOTICE_TITLES.get(kind, title))
        values = {k: str(v) if isinstance(v, Promise) else v for k, v in data.items()}
    case_notice_issue(
        case=case,
        actor=actor,
        kind=kind,
        title=title,
        data={"date": today().isoformat(), "language": language, **values},
        document=DOCUMENT_TYPES.get(kind),
    )


@dataclass
class Upload:
    code: str
    data: bytes
    name: str = ""


def attach(case: Case, app: Application, actor: User | None, uploads: Iterable[Upload]) -> list[str]:
    stored = []
    by_code = {m.code: m for m in app.materials.all()}
    for up in uploads:
        m = by_code.get(up.code)
        if m is None or m.state == ApplicationMaterial.State.NOT_APPLICABLE:
            raise ServiceError(
                _("No such material for this application."),
                code="unknown_material",
                fields={"material": _("Unknown material.")},
            )
        case_attachment_store(
            case=case, actor=actor, data=up.data, name=up.name, slot=up.code, label=m.name, replace=True
        )
        m.state = ApplicationMaterial.State.PROVIDED
        m.problem = ""
        m.supplied_at = timezone.now()
        m.save(update_fields=["state", "problem", "supplied_at"])
        stored.append(up.code)
    if stored:
        licence_material_release(case=case, material_codes=stored)  # an upload replaces a licence used
    return stored


def public_token(person: Person | None, enterprise: Enterprise | None) -> str:
    if enterprise is not None:
        return str(enterprise.credit_code)[-4:]
    return str(person.id_number)[-4:] if person is not None else ""
