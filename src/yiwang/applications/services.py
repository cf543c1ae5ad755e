"""Writers for item applications. Every status change goes through ``cases.services.case_transition``;
each public function here is one transaction with one application audit event (the clock's own
services add theirs for clock changes)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.access import access_hall, ensure, has_role
from yiwang.accounts.roles import Role
from yiwang.audit.services import audit_record
from yiwang.cases import clockops
from yiwang.cases.access import access_case_act
from yiwang.cases.models import Case
from yiwang.cases.services import (
    TransitionRequest,
    _event,
    _store_attachment,
    _store_notice,
    case_create,
    case_lock,
    case_number_assign,
    case_transition,
)
from yiwang.catalogue import selectors as catalogue
from yiwang.core.errors import Conflict, NotFound, ServiceError

from . import workflow as wf
from .models import Application, ApplicationMaterial, ApprovalRequest

ORDER = (wf.APPLICANT, wf.CLERK, wf.REVIEWER, wf.SUPERVISOR)


# --- helpers ----------------------------------------------------------------------------------


def progress_link(case: Case) -> str:
    return reverse("applications:progress") + f"?number={case.number or ''}"


def _role_for(actor: Any, case: Case, action: str) -> str:
    """The capacity the actor acts in for this transition (the first the access rules allow); refused with a
    ``denied`` audit event when the actor has none of the transition's capacities for this case."""
    t = wf.TRANSITIONS[action]
    if actor is None:
        return wf.SYSTEM
    for role in ORDER:
        if role in t.actors and access_case_act(actor, case, role):
            return role
    ensure(False, user=actor, action=f"case.{action}", obj=case)
    return ""


def _app(case: Case) -> Application:
    return Application.objects.select_related("item", "item_version").get(case=case)


def _applicable(app: Application) -> list[ApplicationMaterial]:
    return [m for m in app.materials.all() if m.state != ApplicationMaterial.State.NOT_APPLICABLE]


def _missing(app: Application) -> list[ApplicationMaterial]:
    return [
        m
        for m in _applicable(app)
        if m.state in (ApplicationMaterial.State.MISSING, ApplicationMaterial.State.TO_CORRECT)
    ]


def _blacklisted(case: Case) -> bool:
    """Credit black list (信用+政务服务). The credit context is not built yet: nobody is listed."""
    return False


def _today() -> date:
    return timezone.localdate()


def _window_passed(app: Application) -> bool:
    return bool(app.acceptance_window_ends and _today() > app.acceptance_window_ends)


def _base_facts(case: Case, **extra: Any) -> dict[str, Any]:
    app = _app(case)
    missing = _missing(app)
    pending = ApprovalRequest.objects.filter(case=case, state=ApprovalRequest.State.PENDING).first()
    facts = {
        "missing": [m.name for m in missing],
        "rongque_names": [m.name for m in missing if m.rongque_allowed],
        "blacklisted": _blacklisted(case),
        "window_passed": _window_passed(app),
        "correction_given": app.correction_given,
        "extended": app.extended,
        "instant": app.instant,
        "extension_pending": bool(pending and pending.kind == ApprovalRequest.Kind.EXTENSION),
        "pending_request": pending is not None,
        "rongque_outstanding": app.rongque and app.rongque_supplied_on is None,
        "rongque_overdue": bool(
            app.rongque
            and app.rongque_supplied_on is None
            and app.rongque_deadline
            and _today() > app.rongque_deadline
        ),
        "no_visit": app.no_visit,
        "approving": case.status == "approved",
    }
    facts.update(extra)
    return facts


def _run(
    *,
    actor: Any,
    case_id: int,
    action: str,
    expected_version: int | None = None,
    reason: str = "",
    facts: Callable[[Case], Mapping[str, Any]] | None = None,
    apply: Callable[[Case, Any], Mapping[str, Any] | None] | None = None,
    clock: Callable[[Case], Mapping[str, Any]] | Mapping[str, Any] | None = None,
    prior: Callable[[Case], str] | str = "",
    notify: tuple[str, str] | None = None,
    data: Mapping[str, Any] | None = None,
) -> Case:
    case = (
        Case.objects.select_related("owning_office", "receiving_hall", "return_hall")
        .filter(pk=case_id, kind=wf.KIND)
        .first()
    )
    if case is None:
        raise NotFound(_("No such application."))
    role = _role_for(actor, case, action)
    t = wf.TRANSITIONS[action]
    # RULES.md §2 applies on any action, not only in the sweep.
    if (
        action != "deem_accept"
        and case.status in wf.AWAITING_ACCEPTANCE
        and (t.sources & wf.AWAITING_ACCEPTANCE)
        and _deem_if_due(case_id)
    ):
        raise Conflict(str(wf.within_acceptance_window({"window_passed": True})), code="deemed_accepted")
    request = TransitionRequest(
        action=action,
        actor_role=role,
        expected_version=expected_version,
        reason=reason,
        facts=facts or (lambda c: _base_facts(c)),
        clock=clock or {},
        prior_status=prior,
        data=data or {},
        notify=notify,
        link=progress_link(case),
    )
    return case_transition(
        actor=actor, case_id=case_id, request=request, apply=apply, check_access=actor is not None
    )


def _decision_clock(app: Application, start_day: date | None = None) -> dict[str, Any]:
    return {
        "limit": app.committed_days,
        "label": _("decision (committed limit)"),
        "started_at": clockops.start_moment(start_day) if start_day else None,
    }


def _acceptance_clock_args(received: date) -> dict[str, Any]:
    """The 5-working-day acceptance clock. A submission on a non-working day counts as received on the next
    working day; the clock starts now and counts the working days up to that day on top (so its due date is
    the 5th working day after the deemed receipt, as the engine computes it)."""
    today = timezone.localdate()
    ahead = clockops.workdays_between(today, received) if received > today else 0
    return {
        "limit": wf.ACCEPTANCE_WINDOW_DAYS + ahead,
        "label": _("acceptance (Administrative Licensing Law Art. 32)"),
        "started_at": clockops.start_moment(min(received, today)),
    }


def _receipt_day(now: datetime) -> date:
    """An online submission on a non-working day counts as received on the next working day."""
    from yiwang.workdays.calendar import get_calendar

    day = timezone.localdate(now)
    cal = get_calendar()
    return day if cal.is_workday(day) else cal.next_workday(day)


def _notice(case: Case, actor: Any, kind: str, title: str, **data: Any) -> None:
    _store_notice(
        case=case, actor=actor, kind=kind, title=title, pdf=None, data={"date": _today().isoformat(), **data}
    )


# --- materials --------------------------------------------------------------------------------


def _material_rows(app: Application, version: Any, conditions: Iterable[str]) -> list[ApplicationMaterial]:
    chosen = set(conditions)
    rows = []
    for spec in catalogue.item_materials(version):
        if not spec.applicant_brings:
            continue  # obtained from shared data or an e-licence: never asked of the applicant
        applicable = spec.required or spec.code in chosen
        rows.append(
            ApplicationMaterial(
                application=app,
                code=spec.code,
                position=spec.position,
                name=spec.name,
                required=spec.required,
                condition=spec.condition,
                rongque_allowed=spec.rongque_allowed,
                rongque_max_days=spec.rongque_max_days,
                state=ApplicationMaterial.State.MISSING
                if applicable
                else ApplicationMaterial.State.NOT_APPLICABLE,
            )
        )
    return ApplicationMaterial.objects.bulk_create(rows)


def _public_token(person: Any, enterprise: Any) -> str:
    if enterprise is not None:
        return str(enterprise.credit_code)[-4:]
    return str(person.id_number)[-4:] if person is not None else ""


@dataclass
class Upload:
    code: str
    data: bytes
    name: str = ""


def _attach(case: Case, app: Application, actor: Any, uploads: Iterable[Upload]) -> list[str]:
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
        _store_attachment(
            case=case, actor=actor, data=up.data, name=up.name, slot=up.code, label=m.name, replace=True
        )
        m.state = ApplicationMaterial.State.PROVIDED
        m.problem = ""
        m.supplied_at = timezone.now()
        m.save(update_fields=["state", "problem", "supplied_at"])
        stored.append(up.code)
    return stored


def _check_item_for_party(item: Any, person: Any, enterprise: Any) -> None:
    if enterprise is None and person is None:
        raise ServiceError(_("Name the applicant."), fields={"applicant": _("Required.")})


# --- creating ---------------------------------------------------------------------------------


def application_draft_create(
    *,
    actor: Any,
    item: Any,
    enterprise: Any = None,
    conditions: Iterable[str] = (),
    delivery_method: str = "",
    return_hall: Any = None,
    delivery_address: str = "",
) -> Case:
    """An applicant starts an online application (a draft: no number yet)."""
    from yiwang.accounts.access import access_party, acting_person

    person = acting_person(actor)
    ensure(person is not None, user=actor, action="application.draft_create")
    if enterprise is not None:
        ensure(
            access_party(actor, enterprise=enterprise),
            user=actor,
            action="application.draft_create",
            enterprise=enterprise.pk,
        )
    version = catalogue.item_published_version(item)
    method = delivery_method or ("electronic" if item.no_visit else "pickup")
    _check_delivery_choice(item, method, return_hall)
    with transaction.atomic():
        case = case_create(
            actor=actor,
            kind=wf.KIND,
            status="draft",
            title=item.name,
            owning_office=item.office,
            channel=Case.Channel.ONLINE,
            applicant_person=None if enterprise else person,
            applicant_enterprise=enterprise,
            agent=person if enterprise else None,
            return_hall=return_hall,
            numbered=False,
            action="draft_create",
            audit=False,
        )
        app = Application.objects.create(
            case=case,
            item=item,
            item_version=version,
            department=item.department,
            instant=version.is_instant,
            no_visit=item.no_visit,
            committed_days=version.committed_limit_days,
            legal_days=version.legal_limit_days,
            conditions=sorted(set(conditions)),
            delivery_method=method,
            delivery_address=delivery_address[:200],
            public_token=_public_token(person, enterprise),
        )
        _material_rows(app, version, conditions)
        audit_record(
            actor=actor,
            action="application.draft_create",
            obj=case,
            data={"item": item.code, "version": version.number},
        )
    return case


def _check_delivery_choice(item: Any, method: str, return_hall: Any) -> None:
    if method not in wf.DELIVERY_METHODS:
        raise ServiceError(
            _("Choose how the result is delivered."), fields={"delivery_method": _("Required.")}
        )
    if item.no_visit and method == "pickup":
        raise ServiceError(
            _("This item is handled without any visit: choose post or electronic delivery."),
            code="no_visit",
            fields={"delivery_method": _("Post or electronic only.")},
        )


def application_draft_update(
    *,
    actor: Any,
    case_id: int,
    conditions: Iterable[str] | None = None,
    delivery_method: str | None = None,
    delivery_address: str | None = None,
    return_hall: Any = None,
    uploads: Iterable[Upload] = (),
) -> Case:
    """Change a draft (or upload corrected / promised materials): conditions, delivery, files."""
    with transaction.atomic():
        case = case_lock(case_id)
        ensure(
            access_case_act(actor, case, wf.APPLICANT) or access_case_act(actor, case, wf.CLERK),
            user=actor,
            action="application.update",
            obj=case,
        )
        app = _app(case)
        uploads = list(uploads)
        if case.status == "draft":
            if conditions is not None:
                chosen = set(conditions)
                app.conditions = sorted(chosen)
                for m in app.materials.filter(required=False):
                    want = m.code in chosen
                    if want and m.state == ApplicationMaterial.State.NOT_APPLICABLE:
                        m.state = ApplicationMaterial.State.MISSING
                    elif not want:
                        m.state = ApplicationMaterial.State.NOT_APPLICABLE
                    m.save(update_fields=["state"])
            if delivery_method is not None:
                _check_delivery_choice(app.item, delivery_method, return_hall)
                app.delivery_method = delivery_method
            if delivery_address is not None:
                app.delivery_address = delivery_address[:200]
            if return_hall is not None:
                case.return_hall = return_hall
            app.save()
        elif case.status == "correction":
            allowed = {m.code for m in app.materials.filter(state=ApplicationMaterial.State.TO_CORRECT)}
            if any(u.code not in allowed for u in uploads):
                raise ServiceError(
                    _("Only the materials listed in the correction notice can be replaced."),
                    code="not_in_notice",
                )
        elif case.status in wf.PRE_ACCEPT and access_case_act(actor, case, wf.CLERK):
            pass  # the clerk scans further materials before deciding on acceptance
        elif app.rongque and app.rongque_supplied_on is None:
            allowed = {m.code for m in app.materials.filter(state=ApplicationMaterial.State.PROMISED)}
            if any(u.code not in allowed for u in uploads):
                raise ServiceError(_("Only the promised materials can be supplied now."), code="not_promised")
            for m in app.materials.filter(code__in=[u.code for u in uploads]):
                m.state = ApplicationMaterial.State.MISSING
                m.save(update_fields=["state"])
        else:
            raise Conflict(_("The application cannot be changed now."), code="not_allowed")
        stored = _attach(case, app, actor, uploads)
        case.version += 1
        case.save()
        if stored:
            _event(case=case, actor=actor, action="upload", data={"materials": stored}, public=False)
        audit_record(actor=actor, action="application.update", obj=case, data={"uploaded": stored})
    return case


def application_receive(
    *,
    actor: Any,
    item: Any,
    person: Any = None,
    enterprise: Any = None,
    agent: Any = None,
    conditions: Iterable[str] = (),
    provided: Iterable[str] = (),
    uploads: Iterable[Upload] = (),
    delivery_method: str = "",
    return_hall: Any = None,
    delivery_address: str = "",
    hall: Any = None,
) -> Case:
    """A clerk receives an application at a comprehensive window (一窗受理). Any item the hall may accept
    (its level, or 通办); the case is routed to the owning office; the result returns to the chosen hall."""
    from yiwang.accounts.access import access_register_party

    hall = hall or getattr(actor, "hall", None)
    ensure(
        has_role(actor, Role.CLERK) and hall is not None and access_hall(actor, hall),
        user=actor,
        action="application.receive",
    )
    ensure(access_register_party(actor), user=actor, action="application.receive")
    _check_item_for_party(item, person, enterprise)
    if not catalogue.hall_accepts_item(hall, item):
        raise ServiceError(
            _("This hall cannot accept this item: it is neither of the hall's level nor 通办 here."),
            code="not_at_this_hall",
            fields={"item": _("Not accepted at this hall.")},
        )
    version = catalogue.item_published_version(item)
    method = delivery_method or ("post" if item.no_visit else "pickup")
    _check_delivery_choice(item, method, return_hall)
    if method == "pickup" and return_hall is None:
        return_hall = hall
    office = catalogue.item_office_for_hall(item, hall)
    now = timezone.now()
    received = timezone.localdate(now)
    uploads = list(uploads)
    with transaction.atomic():
        case = case_create(
            actor=actor,
            kind=wf.KIND,
            status="received",
            title=item.name,
            owning_office=office,
            channel=Case.Channel.WINDOW,
            applicant_person=person if enterprise is None else None,
            applicant_enterprise=enterprise,
            agent=agent if agent is not None else (person if enterprise else None),
            receiving_hall=hall,
            return_hall=return_hall,
            received_at=now,
            action="receive",
            audit=False,
            data={"item": item.code},
        )
        app = Application.objects.create(
            case=case,
            item=item,
            item_version=version,
            department=item.department,
            instant=version.is_instant,
            no_visit=item.no_visit,
            committed_days=version.committed_limit_days,
            legal_days=version.legal_limit_days,
            conditions=sorted(set(conditions)),
            delivery_method=method,
            delivery_address=delivery_address[:200],
            received_on=received,
            acceptance_window_ends=clockops.add_workdays(received, wf.ACCEPTANCE_WINDOW_DAYS),
            public_token=_public_token(person, enterprise),
        )
        _material_rows(app, version, conditions)
        ticked = set(provided) | {u.code for u in uploads}
        app.materials.filter(code__in=ticked).exclude(state=ApplicationMaterial.State.NOT_APPLICABLE).update(
            state=ApplicationMaterial.State.PROVIDED, supplied_at=now
        )
        _attach(case, app, actor, uploads)
        clockops.start(case=case, actor=actor, **_acceptance_clock_args(received))
        case.save()
        audit_record(
            actor=actor,
            action="application.receive",
            obj=case,
            data={
                "number": case.number,
                "item": item.code,
                "hall": hall.code,
                "office": office.code,
                "tongban": not _level_matches(item, hall),
            },
        )
    return case


def _level_matches(item: Any, hall: Any) -> bool:
    return hall.kind in item.levels


# --- transitions ------------------------------------------------------------------------------


def application_submit(*, actor: Any, case_id: int, expected_version: int | None = None) -> Case:
    """The applicant submits a draft online: it gets its number; the 5-day acceptance clock starts."""
    now = timezone.now()
    received = _receipt_day(now)

    def apply(case: Case, t: Any) -> dict[str, Any]:
        app = _app(case)
        case_number_assign(case=case)
        case.received_at = now
        app.received_on = received
        app.acceptance_window_ends = clockops.add_workdays(received, wf.ACCEPTANCE_WINDOW_DAYS)
        app.save(update_fields=["received_on", "acceptance_window_ends"])
        return {"number": case.number}

    return _run(
        actor=actor,
        case_id=case_id,
        action="submit",
        expected_version=expected_version,
        apply=apply,
        clock=_acceptance_clock_args(received),
        notify=(_("Application submitted"), _("Your application has been submitted and will be examined.")),
    )


def application_start_pre_review(*, actor: Any, case_id: int, expected_version: int | None = None) -> Case:
    return _run(actor=actor, case_id=case_id, action="start_pre_review", expected_version=expected_version)


def application_accept(*, actor: Any, case_id: int, expected_version: int | None = None) -> Case:
    def apply(case: Case, t: Any) -> dict[str, Any]:
        case.accepted_on = _today()
        app = _app(case)
        _notice(case, actor, "acceptance", _("Acceptance notice"), due_days=app.committed_days)
        return {}

    return _run(
        actor=actor,
        case_id=case_id,
        action="accept",
        expected_version=expected_version,
        apply=apply,
        clock=lambda c: _decision_clock(_app(c)),
        notify=(_("Application accepted"), _("Your application has been accepted.")),
    )


def application_accept_rongque(
    *, actor: Any, case_id: int, promise_days: int, promise_signed: bool, expected_version: int | None = None
) -> Case:
    """容缺受理: accept although listed non-essential materials are missing, on the applicant's signed promise."""

    def facts(case: Case) -> Mapping[str, Any]:
        app = _app(case)
        missing = _missing(app)
        limits = [m.rongque_max_days or app.committed_days for m in missing if m.rongque_allowed]
        max_days = min([*limits, app.committed_days]) if limits else 0
        return _base_facts(
            case, promise_days=promise_days, promise_max_days=max_days, promise_signed=promise_signed
        )

    def apply(case: Case, t: Any) -> dict[str, Any]:
        app = _app(case)
        missing = _missing(app)
        today = _today()
        case.accepted_on = today
        app.rongque = True
        app.rongque_promise_days = promise_days
        app.rongque_deadline = clockops.add_workdays(today, promise_days)
        app.rongque_materials = len(missing)
        app.save()
        for m in missing:
            m.state = ApplicationMaterial.State.PROMISED
            m.save(update_fields=["state"])
        names = [m.name for m in missing]
        _notice(case, actor, "acceptance", _("Acceptance notice"), due_days=app.committed_days)
        _notice(
            case,
            actor,
            "rongque_promise",
            _("Promise to supply materials (容缺)"),
            materials=names,
            deadline=app.rongque_deadline.isoformat(),
            days=promise_days,
        )
        return {"promised": names, "deadline": app.rongque_deadline.isoformat()}

    return _run(
        actor=actor,
        case_id=case_id,
        action="accept_rongque",
        expected_version=expected_version,
        facts=facts,
        apply=apply,
        clock=lambda c: _decision_clock(_app(c)),
        notify=(
            _("Application accepted with missing materials"),
            _(
                "Your application has been accepted. Supply the promised materials by the deadline; "
                "the result is released when they arrive."
            ),
        ),
    )


def _deem_if_due(case_id: int) -> bool:
    """Apply the 5-working-day rule to one case if it is due; returns whether it was deemed accepted."""
    app = Application.objects.filter(case_id=case_id).first()
    if app is None or app.correction_given or app.deemed_accepted or not _window_passed(app):
        return False
    try:
        application_deem_accept(case_id=case_id)
    except Conflict:
        return False
    return True


def application_deem_accept(*, case_id: int) -> Case:
    """No correction notice within 5 working days of receipt: accepted on the day received (RULES.md §2)."""

    def apply(case: Case, t: Any) -> dict[str, Any]:
        app = _app(case)
        app.deemed_accepted = True
        app.save(update_fields=["deemed_accepted"])
        case.accepted_on = app.received_on
        _notice(case, None, "acceptance", _("Acceptance notice"), due_days=app.committed_days, deemed=True)
        return {"accepted_on": app.received_on.isoformat() if app.received_on else ""}

    return _run(
        actor=None,
        case_id=case_id,
        action="deem_accept",
        apply=apply,
        clock=lambda c: _decision_clock(_app(c), _app(c).received_on),
        notify=(
            _("Application accepted"),
            _(
                "No correction notice was given within 5 working days: your application counts as "
                "accepted on the day it was received."
            ),
        ),
    )


def application_request_correction(
    *, actor: Any, case_id: int, items: Mapping[str, str], note: str = "", expected_version: int | None = None
) -> Case:
    """补正: one notice listing everything to correct (material code → problem); the clock pauses."""
    items = {k: (v or "").strip() for k, v in items.items() if k}

    def facts(case: Case) -> Mapping[str, Any]:
        app = _app(case)
        known = {m.code for m in _applicable(app)}
        bad = [k for k in items if k not in known]
        if bad:
            raise ServiceError(_("No such material for this application."), code="unknown_material")
        return _base_facts(case, correction_items=list(items) + ([note] if note.strip() else []))

    def apply(case: Case, t: Any) -> dict[str, Any]:
        app = _app(case)
        listed = []
        for m in app.materials.filter(code__in=list(items)):
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
        _notice(case, actor, "correction", _("Correction notice (一次性告知)"), items=app.correction_items)
        return {"items": len(app.correction_items)}

    return _run(
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


def application_answer_correction(*, actor: Any, case_id: int, expected_version: int | None = None) -> Case:
    def facts(case: Case) -> Mapping[str, Any]:
        app = _app(case)
        left = [m.name for m in app.materials.filter(state=ApplicationMaterial.State.TO_CORRECT)]
        if left:
            raise ServiceError(
                _("Replace every material listed in the correction notice first: %(names)s.")
                % {"names": "、".join(left)},
                code="correction_incomplete",
            )
        return _base_facts(case)

    return _run(
        actor=actor,
        case_id=case_id,
        action="answer_correction",
        expected_version=expected_version,
        facts=facts,
        clock={"kind": "correction"},
    )


def _refusal_facts(reason_code: str, guidance: str) -> Callable[[Case], Mapping[str, Any]]:
    return lambda case: _base_facts(case, reason_code=reason_code, guidance=guidance)


def _open_request(case: Case, actor: Any, kind: str, reason_code: str, reason: str, guidance: str) -> None:
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
    actor: Any,
    case_id: int,
    reason_code: str,
    guidance: str,
    reason: str,
    expected_version: int | None,
) -> Case:
    """A refusal is only a request that a supervisor decides (窗口无否决权), for both kinds."""

    def apply(case: Case, t: Any) -> dict[str, Any]:
        _open_request(case, actor, kind, reason_code, reason, guidance)
        return {"reason_code": reason_code}

    return _run(
        actor=actor,
        case_id=case_id,
        action=action,
        expected_version=expected_version,
        reason=reason,
        facts=_refusal_facts(reason_code, guidance),
        apply=apply,
    )


def application_request_not_accept(
    *,
    actor: Any,
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
    actor: Any,
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
    *, actor: Any, case_id: int, reason: str, expected_version: int | None = None
) -> Case:
    def apply(case: Case, t: Any) -> dict[str, Any]:
        _open_request(case, actor, ApprovalRequest.Kind.EXTENSION, "", reason, "")
        return {}

    return _run(
        actor=actor,
        case_id=case_id,
        action="request_extension",
        expected_version=expected_version,
        reason=reason,
        apply=apply,
    )


def _pending(case: Case) -> ApprovalRequest:
    req = ApprovalRequest.objects.filter(case=case, state=ApprovalRequest.State.PENDING).first()
    if req is None:
        raise Conflict(str(wf.pending_request({})), code="no_request")
    return req


def application_decide_request(
    *, actor: Any, case_id: int, approve: bool, note: str = "", expected_version: int | None = None
) -> Case:
    """A supervisor approves or sends back the pending request (not accept, reject, extension)."""
    case = Case.objects.filter(pk=case_id, kind=wf.KIND).first()
    if case is None:
        raise NotFound(_("No such application."))
    pending = ApprovalRequest.objects.filter(case=case, state=ApprovalRequest.State.PENDING).first()
    kind: str = (
        pending.kind
        if pending
        else (
            ApprovalRequest.Kind.NOT_ACCEPT
            if case.status == "refusal_pending"
            else ApprovalRequest.Kind.REJECT
        )
    )
    action: str = {
        (ApprovalRequest.Kind.NOT_ACCEPT, True): "approve_not_accept",
        (ApprovalRequest.Kind.NOT_ACCEPT, False): "send_back_not_accept",
        (ApprovalRequest.Kind.REJECT, True): "approve_rejection",
        (ApprovalRequest.Kind.REJECT, False): "send_back_rejection",
        (ApprovalRequest.Kind.EXTENSION, True): "approve_extension",
        (ApprovalRequest.Kind.EXTENSION, False): "refuse_extension",
    }[(ApprovalRequest.Kind(kind), approve)]
    if not approve and not note.strip() and kind != ApprovalRequest.Kind.EXTENSION:
        raise ServiceError(
            _("Say why the request is sent back."), code="reason_required", fields={"note": _("Required.")}
        )

    def apply(case: Case, t: Any) -> dict[str, Any]:
        req = _pending(case)
        req.state = ApprovalRequest.State.APPROVED if approve else ApprovalRequest.State.SENT_BACK
        req.decided_by = actor
        req.decided_at = timezone.now()
        req.decision_note = note
        req.save()
        app = _app(case)
        if approve and req.kind in (ApprovalRequest.Kind.NOT_ACCEPT, ApprovalRequest.Kind.REJECT):
            app.decision_reason = req.reason_code
            app.guidance = req.guidance
            app.save(update_fields=["decision_reason", "guidance"])
            kind_notice = "not_accepted" if req.kind == ApprovalRequest.Kind.NOT_ACCEPT else "rejection"
            title = (
                _("Notice of non-acceptance") if kind_notice == "not_accepted" else _("Decision: rejected")
            )
            _notice(
                case,
                actor,
                kind_notice,
                title,
                reason=str(wf.REFUSAL_REASONS[req.reason_code]),
                guidance=req.guidance,
            )
        if approve and req.kind == ApprovalRequest.Kind.EXTENSION:
            app.extended = True
            app.save(update_fields=["extended"])
            _notice(
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
                "Your application was rejected. See the decision for the legal "
                "reason and what you can do next."
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
    return _run(
        actor=actor,
        case_id=case_id,
        action=action,
        expected_version=expected_version,
        reason=reason,
        apply=apply,
        clock=clock,
        notify=notify,
        prior=lambda c: _pending(c).prior_status,
    )


def application_start_review(*, actor: Any, case_id: int, expected_version: int | None = None) -> Case:
    def apply(case: Case, t: Any) -> dict[str, Any]:
        case.assignee = actor
        return {"assignee": actor.pk}

    return _run(
        actor=actor, case_id=case_id, action="start_review", expected_version=expected_version, apply=apply
    )


def application_suspend(
    *,
    actor: Any,
    case_id: int,
    pause_kind: str,
    reason: str,
    expected_days: int = 0,
    expected_version: int | None = None,
) -> Case:
    """Art. 45: hearings, testing, expert review, site surveys are not counted; the applicant is told how long."""

    def apply(case: Case, t: Any) -> dict[str, Any]:
        app = _app(case)
        app.pause_kind = pause_kind
        app.save(update_fields=["pause_kind"])
        _notice(
            case,
            actor,
            "pause",
            _("Notice of time not counted"),
            pause=str(wf.PAUSE_KINDS[pause_kind]),
            expected_days=expected_days,
            reason=reason,
        )
        return {"pause_kind": pause_kind, "expected_days": expected_days}

    return _run(
        actor=actor,
        case_id=case_id,
        action="suspend",
        expected_version=expected_version,
        reason=reason,
        facts=lambda c: _base_facts(c, pause_kind=pause_kind),
        apply=apply,
        clock={"kind": pause_kind, "reason": reason},
        notify=(
            _("Time not counted"),
            _("%(kind)s: this time is not counted; expected about %(n)s days.")
            % {"kind": wf.PAUSE_KINDS.get(pause_kind, pause_kind), "n": expected_days},
        ),
    )


def application_resume(*, actor: Any, case_id: int, expected_version: int | None = None) -> Case:
    def apply(case: Case, t: Any) -> dict[str, Any]:
        app = _app(case)
        kind = app.pause_kind
        app.pause_kind = ""
        app.save(update_fields=["pause_kind"])
        return {"pause_kind": kind}

    return _run(
        actor=actor,
        case_id=case_id,
        action="resume",
        expected_version=expected_version,
        apply=apply,
        clock=lambda c: {"kind": _app(c).pause_kind or None},
    )


def application_approve(*, actor: Any, case_id: int, expected_version: int | None = None) -> Case:
    def apply(case: Case, t: Any) -> dict[str, Any]:
        _notice(case, actor, "approval", _("Decision: approved"))
        return {}

    return _run(
        actor=actor,
        case_id=case_id,
        action="approve",
        expected_version=expected_version,
        apply=apply,
        clock={"decision": True},
        notify=(_("Application approved"), _("Your application has been approved.")),
    )


def application_issue_result(*, actor: Any, case_id: int, expected_version: int | None = None) -> Case:
    return _run(
        actor=actor,
        case_id=case_id,
        action="issue_result",
        expected_version=expected_version,
        notify=(_("Result ready"), _("The result of your application is ready.")),
    )


def application_supply_promised(*, actor: Any, case_id: int, expected_version: int | None = None) -> Case:
    """The promised (容缺) materials have all arrived: the hold on the result is lifted."""

    def facts(case: Case) -> Mapping[str, Any]:
        app = _app(case)
        left = [m.name for m in app.materials.filter(state=ApplicationMaterial.State.PROMISED)]
        if left:
            raise ServiceError(
                _("Upload every promised material first: %(names)s.") % {"names": "、".join(left)},
                code="rongque_incomplete",
            )
        return _base_facts(case)

    def apply(case: Case, t: Any) -> dict[str, Any]:
        app = _app(case)
        app.rongque_supplied_on = _today()
        app.save(update_fields=["rongque_supplied_on"])
        return {"supplied_on": app.rongque_supplied_on.isoformat()}

    return _run(
        actor=actor,
        case_id=case_id,
        action="supply_materials",
        expected_version=expected_version,
        facts=facts,
        apply=apply,
    )


def application_deliver(
    *, actor: Any, case_id: int, tracking_number: str = "", expected_version: int | None = None
) -> Case:
    def facts(case: Case) -> Mapping[str, Any]:
        app = _app(case)
        at_hall = bool(case.return_hall_id and getattr(actor, "hall_id", None) == case.return_hall_id)
        return _base_facts(
            case, method=app.delivery_method, tracking_number=tracking_number, at_return_hall=at_hall
        )

    def apply(case: Case, t: Any) -> dict[str, Any]:
        app = _app(case)
        app.tracking_number = tracking_number.strip()[:40]
        app.delivered_at = timezone.now()
        app.save(update_fields=["tracking_number", "delivered_at"])
        _notice(
            case,
            actor,
            "delivery",
            _("Delivery receipt"),
            method=str(wf.DELIVERY_METHODS[app.delivery_method]),
            tracking_number=app.tracking_number,
        )
        return {"method": app.delivery_method}

    return _run(
        actor=actor,
        case_id=case_id,
        action="deliver",
        expected_version=expected_version,
        facts=facts,
        apply=apply,
        notify=(_("Result delivered"), _("The result of your application has been delivered.")),
    )


def application_close(*, actor: Any, case_id: int, expected_version: int | None = None) -> Case:
    return _run(actor=actor, case_id=case_id, action="close", expected_version=expected_version)


def application_withdraw(
    *, actor: Any, case_id: int, reason: str = "", expected_version: int | None = None
) -> Case:
    return _run(
        actor=actor,
        case_id=case_id,
        action="withdraw",
        expected_version=expected_version,
        reason=reason,
        clock={"reason": "withdrawn"},
        notify=(_("Application withdrawn"), _("Your application has been withdrawn.")),
    )


def application_terminate(*, actor: Any, case_id: int, expected_version: int | None = None) -> Case:
    def apply(case: Case, t: Any) -> dict[str, Any]:
        _notice(case, actor, "termination", _("Notice of termination"))
        return {}

    return _run(
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


# --- the sweep ----------------------------------------------------------------------------------


@dataclass
class SweepResult:
    deemed_accepted: int = 0
    terminated: int = 0


def applications_sweep(*, limit: int = 5000) -> SweepResult:
    """Periodic: apply the 5-working-day rule and terminate 容缺 cases whose promise lapsed. Idempotent."""
    today = _today()
    result = SweepResult()
    due = Application.objects.filter(
        correction_given=False,
        deemed_accepted=False,
        acceptance_window_ends__lt=today,
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
        rongque_deadline__lt=today,
        case__status__in=["accepted", "under_review", "suspended", "approved"],
    ).values_list("case_id", flat=True)[:limit]
    for case_id in list(lapsed):
        try:
            application_terminate(actor=None, case_id=case_id)
            result.terminated += 1
        except (Conflict, ServiceError):
            continue
    return result


def application_get_for_update(case_id: int) -> Case:
    case = Case.objects.filter(pk=case_id, kind=wf.KIND).first()
    if case is None:
        raise NotFound(_("No such application."))
    return case


# --- one entry point for pages and the API ------------------------------------------------------


def _int(value: Any, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ServiceError(_("Enter a whole number."), fields={field: _("Enter a whole number.")}) from None


def application_act(*, actor: Any, case_id: int, action: str, params: Mapping[str, Any]) -> Case:
    """Run the named action with parameters from a form or a JSON body."""
    v = params.get("expected_version")
    version = _int(v, "expected_version") if v not in (None, "") else None
    reason = str(params.get("reason") or "")
    common = {"actor": actor, "case_id": case_id, "expected_version": version}
    if action == "submit":
        return application_submit(**common)
    if action == "start_pre_review":
        return application_start_pre_review(**common)
    if action == "accept":
        return application_accept(**common)
    if action == "accept_rongque":
        return application_accept_rongque(
            **common,
            promise_days=_int(params.get("promise_days"), "promise_days"),
            promise_signed=str(params.get("promise_signed", "")).lower() in {"1", "true", "on", "yes"},
        )
    if action == "request_correction":
        items = params.get("items") or {}
        if not isinstance(items, Mapping):
            items = {str(code): str(params.get(f"problem_{code}") or "") for code in items}
        return application_request_correction(**common, items=items, note=str(params.get("note") or ""))
    if action == "answer_correction":
        return application_answer_correction(**common)
    if action == "request_not_accept":
        return application_request_not_accept(
            **common,
            reason_code=str(params.get("reason_code") or ""),
            guidance=str(params.get("guidance") or ""),
            reason=reason,
        )
    if action == "request_rejection":
        return application_request_rejection(
            **common,
            reason_code=str(params.get("reason_code") or ""),
            guidance=str(params.get("guidance") or ""),
            reason=reason,
        )
    if action == "request_extension":
        return application_request_extension(**common, reason=reason)
    if action in {"approve_request", "send_back"}:
        return application_decide_request(
            **common, approve=action == "approve_request", note=str(params.get("note") or reason)
        )
    if action == "start_review":
        return application_start_review(**common)
    if action == "suspend":
        return application_suspend(
            **common,
            pause_kind=str(params.get("pause_kind") or ""),
            reason=reason,
            expected_days=_int(params.get("expected_days") or 0, "expected_days"),
        )
    if action == "resume":
        return application_resume(**common)
    if action == "approve":
        return application_approve(**common)
    if action == "issue_result":
        return application_issue_result(**common)
    if action == "supply_materials":
        return application_supply_promised(**common)
    if action == "deliver":
        return application_deliver(**common, tracking_number=str(params.get("tracking_number") or ""))
    if action == "close":
        return application_close(**common)
    if action == "withdraw":
        return application_withdraw(**common, reason=reason)
    if action == "terminate":
        return application_terminate(**common)
    raise ServiceError(_("Unknown action."), code="unknown_action", fields={"action": _("Unknown action.")})


ACTIONS = (
    "submit",
    "start_pre_review",
    "accept",
    "accept_rongque",
    "request_correction",
    "answer_correction",
    "request_not_accept",
    "request_rejection",
    "request_extension",
    "approve_request",
    "send_back",
    "start_review",
    "suspend",
    "resume",
    "approve",
    "issue_result",
    "supply_materials",
    "deliver",
    "close",
    "withdraw",
    "terminate",
)
