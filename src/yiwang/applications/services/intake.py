"""Intake: online drafts and their submission, and receipt at a comprehensive window (一窗受理)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.access import (
    access_hall,
    access_party,
    access_register_party,
    acting_person,
    ensure,
    has_role,
)
from yiwang.accounts.roles import Role
from yiwang.audit.services import audit_record
from yiwang.cases import clockops
from yiwang.cases.access import access_case_act
from yiwang.cases.models import Case
from yiwang.cases.services import (
    PartySpec,
    case_create,
    case_event_add,
    case_filing_allowance,
    case_lock,
    case_number_assign,
)
from yiwang.catalogue import selectors as catalogue
from yiwang.catalogue.models import ServiceObject
from yiwang.core.errors import Conflict, NotFound, ServiceError
from yiwang.halls.services import ticket_case_link

from .. import workflow as wf
from ..answers import prefill
from ..models import Application, ApplicationMaterial
from . import standing
from .common import (
    Upload,
    acceptance_clock_args,
    app_of,
    attach,
    load_facts,
    materials_of,
    promise_days_until,
    public_token,
    receipt_day,
    receipt_issue,
    rongque_limit,
    run,
    staff_link,
)
from .reuse import application_use_licence, licence_materials_wanted

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date

    from yiwang.accounts.models import Enterprise, Hall, Office, Person, User
    from yiwang.cases.workflow import Transition
    from yiwang.catalogue.models import Item, ItemVersion
    from yiwang.halls.models import Ticket

    from ..workflow import ApplicationFacts


def _material_rows(
    app: Application, version: ItemVersion, conditions: Iterable[str]
) -> list[ApplicationMaterial]:
    chosen = set(conditions)
    rows = []
    from_licences = licence_materials_wanted(version)
    for spec in catalogue.item_materials(version):
        if not spec.applicant_brings and spec.code not in from_licences:
            continue  # obtained from shared data or another register's licence: never asked of the applicant
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


def _parties(person: Person | None, enterprise: Enterprise | None, agent: Person | None) -> list[PartySpec]:
    if enterprise is not None:
        out = [PartySpec("applicant", enterprise=enterprise)]
    elif person is not None:
        out = [PartySpec("applicant", person=person)]
    else:
        raise ServiceError(_("Name the applicant."), fields={"applicant": _("Required.")})
    if agent is not None:
        out.append(PartySpec("agent", person=agent))
    return out


def who_may_apply(item: Item) -> tuple[bool, bool]:
    """Whether a natural person, and whether an organisation (an enterprise or other legal person), may
    apply for the item: its service objects (服务对象) decide."""
    codes = set(item.service_object_codes)
    return ServiceObject.PERSON in codes, bool(codes - {ServiceObject.PERSON})


def check_applicant_allowed(item: Item, *, enterprise: Enterprise | None) -> None:
    """The item's service objects decide who may apply, online and at the window (one place)."""
    persons, organisations = who_may_apply(item)
    labels = "、".join(
        str(ServiceObject(c).label) for c in item.service_object_codes if c in ServiceObject.values
    )
    if enterprise is None and not persons:
        raise ServiceError(
            _(
                "This item is for enterprises and other organisations only (service objects: %(objects)s): "
                "a natural person cannot apply for it. Apply on behalf of an enterprise you represent."
            )
            % {"objects": labels},
            code="not_for_persons",
            fields={"enterprise": _("Choose the enterprise that applies.")},
        )
    if enterprise is not None and not organisations:
        raise ServiceError(
            _(
                "This item is for natural persons only (service objects: %(objects)s): an enterprise "
                "cannot apply for it. Apply as yourself."
            )
            % {"objects": labels},
            code="not_for_organisations",
            fields={"enterprise": _("Apply as yourself.")},
        )


def applicant_refusal(item: Item, *, enterprise: Enterprise | None) -> str:
    """The message ``check_applicant_allowed`` would give, or "" (for pages that warn before posting)."""
    try:
        check_applicant_allowed(item, enterprise=enterprise)
    except ServiceError as exc:
        return str(exc.message)
    return ""


ADDRESS_MAX = 200  # ``Application.delivery_address``
ADDRESS_MIN = 6  # a complete address names at least the district, the street and the number


def check_delivery_choice(item: Item, method: str, address: str = "") -> None:
    """The delivery chosen: a method the item offers and, for the post, a complete address. Nothing is cut:
    an address longer than the field holds is refused with a message."""
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
    check_address(address, required=method == "post")


def check_address(address: str, *, required: bool) -> None:
    if len(address) > ADDRESS_MAX:
        raise ServiceError(
            _("The postal address is too long: at most %(max)s characters (it has %(n)s).")
            % {"max": ADDRESS_MAX, "n": len(address)},
            code="too_long",
            fields={"delivery_address": _("At most %(max)s characters.") % {"max": ADDRESS_MAX}},
        )
    if required and len(address.strip()) < ADDRESS_MIN:
        raise ServiceError(
            _("Delivery by post needs the complete postal address (district, street, number)."),
            code="address_required",
            fields={"delivery_address": _("Give the complete postal address.")},
        )


def _application(
    case: Case,
    item: Item,
    version: ItemVersion,
    *,
    conditions: Iterable[str],
    method: str,
    address: str,
    person: Person | None,
    enterprise: Enterprise | None,
    receiving_hall: Hall | None = None,
    return_hall: Hall | None = None,
    **extra: Any,
) -> Application:
    app = Application.objects.create(
        case=case,
        item=item,
        item_version=version,
        department=item.department,
        receiving_hall=receiving_hall,
        return_hall=return_hall,
        instant=version.is_instant,
        no_visit=item.no_visit,
        committed_days=version.committed_limit_days,
        legal_days=version.legal_limit_days,
        conditions=sorted(set(conditions)),
        delivery_method=method,
        delivery_address=address.strip(),
        public_token=public_token(person, enterprise),
        **extra,
    )
    _material_rows(app, version, conditions)
    return app


def application_draft_create(
    *,
    actor: User,
    item: Item,
    enterprise: Enterprise | None = None,
    conditions: Iterable[str] = (),
    delivery_method: str = "",
    return_hall: Hall | None = None,
    delivery_address: str = "",
    parent: Case | None = None,
    answers: dict[str, Any] | None = None,
) -> Case:
    """An applicant starts an online application (a draft: no number yet); ``parent``: the case it is part
    of (a construction project's item, filed by its owner). The form's answers start from the applicant's
    own data (``answers.prefill``), overridden by ``answers`` (already checked by the caller's form)."""
    person = acting_person(actor)
    ensure(person is not None, user=actor, action="application.draft_create")
    if enterprise is not None:
        ensure(
            access_party(actor, enterprise=enterprise),
            user=actor,
            action="application.draft_create",
            enterprise=enterprise.pk,
        )
    check_applicant_allowed(item, enterprise=enterprise)
    version = catalogue.item_published_version(item)
    method = delivery_method or ("electronic" if item.no_visit else "pickup")
    check_delivery_choice(item, method, delivery_address)
    with transaction.atomic():
        case = case_create(
            actor=actor,
            kind=wf.KIND,
            status="draft",
            title=item.name,
            owning_office=item.office,
            channel=Case.Channel.ONLINE,
            parties=_parties(None if enterprise else person, enterprise, person if enterprise else None),
            numbered=False,
            parent=parent,
            action="draft_create",
            audit=False,
        )
        _application(
            case,
            item,
            version,
            conditions=conditions,
            method=method,
            address=delivery_address,
            person=person,
            enterprise=enterprise,
            return_hall=return_hall,
            answers={**prefill(version.form, person=person, enterprise=enterprise), **(answers or {})},
        )
        audit_record(
            actor=actor,
            action="application.draft_create",
            obj=case,
            data={"item": item.code, "version": version.number},
        )
    return case


def application_draft_update(  # noqa: C901 - one branch per stage at which materials may still be changed
    *,
    actor: User,
    case_id: int,
    conditions: Iterable[str] | None = None,
    delivery_method: str | None = None,
    delivery_address: str | None = None,
    return_hall: Hall | None = None,
    uploads: Iterable[Upload] = (),
    answers: dict[str, Any] | None = None,
) -> Case:
    """Change a draft (or upload corrected / promised materials): conditions, delivery, files, and the
    form's ``answers`` (checked by the caller's form; they may change until the office accepts: in a draft,
    in correction, or by the clerk before acceptance)."""
    case = Case.objects.filter(pk=case_id, kind=wf.KIND).first()
    if case is None:
        raise NotFound(_("No such application."))
    as_applicant = access_case_act(actor, case, wf.APPLICANT)
    as_clerk = access_case_act(actor, case, wf.CLERK)
    # The staff member who assisted the resident uploads corrections and promised materials for them.
    as_assistant = case.status != "draft" and access_case_act(actor, case, wf.ASSISTANT)
    ensure(as_applicant or as_clerk or as_assistant, user=actor, action="application.update", obj=case)
    uploads = list(uploads)
    with transaction.atomic():
        case = case_lock(case_id)
        app = app_of(case)
        answered = _answers_change(case, app, answers, as_clerk=as_clerk)
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
                app.delivery_method = delivery_method
            if delivery_address is not None:
                app.delivery_address = delivery_address.strip()
            check_delivery_choice(app.item, app.delivery_method, app.delivery_address)
            if return_hall is not None:
                app.return_hall = return_hall
            app.save()
        elif case.status == "correction":
            allowed = {m.code for m in app.materials.filter(state=ApplicationMaterial.State.TO_CORRECT)}
            if any(u.code not in allowed for u in uploads):
                raise ServiceError(
                    _("Only the materials listed in the correction notice can be replaced."),
                    code="not_in_notice",
                )
        elif case.status in wf.PRE_ACCEPT and as_clerk:
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
        stored = attach(case, app, actor, uploads)
        case.version += 1
        case.save()
        if stored:
            case_event_add(case=case, actor=actor, action="upload", data={"materials": stored}, public=False)
        if answered and case.status != "draft":
            case_event_add(case=case, actor=actor, action="answers", data={"changed": answered}, public=False)
        audit_record(
            actor=actor,
            action="application.update",
            obj=case,
            data={"uploaded": stored, **({"answers_changed": answered} if answered else {})},
        )
    return case


def _answers_change(
    case: Case, app: Application, answers: dict[str, Any] | None, *, as_clerk: bool
) -> list[str]:
    """Store new answers where they may still change; the keys whose answer changed (for the history)."""
    if answers is None:
        return []
    if not (case.status in ("draft", "correction") or (as_clerk and case.status in wf.PRE_ACCEPT)):
        raise Conflict(
            _(
                "The application is with the office: only its front office may change the form before accepting."
            )
            if case.status in wf.PRE_ACCEPT
            else _("The application form can no longer be changed: the office has accepted the application."),
            code="answers_locked",
        )
    old = app.answers or {}
    changed = sorted(k for k in set(old) | set(answers) if old.get(k) != answers.get(k))
    if changed:
        app.answers = answers
        app.save(update_fields=["answers"])
    return changed


def application_receive(
    *,
    actor: User,
    item: Item,
    person: Person | None = None,
    enterprise: Enterprise | None = None,
    agent: Person | None = None,
    conditions: Iterable[str] = (),
    provided: Iterable[str] = (),
    uploads: Iterable[Upload] = (),
    delivery_method: str = "",
    return_hall: Hall | None = None,
    delivery_address: str = "",
    hall: Hall | None = None,
    ticket: Ticket | None = None,
    receipt: bool = True,
    answers: dict[str, Any] | None = None,
) -> Case:
    """A clerk receives an application at a comprehensive window (一窗受理). Any item the hall may accept
    (its level, or 通办); the case is routed to the owning office; the result returns to the chosen hall.
    ``ticket``: the queue number being served, linked to the case it led to."""
    hall = hall or actor.hall
    ensure(
        has_role(actor, Role.CLERK) and hall is not None and access_hall(actor, hall),
        user=actor,
        action="application.receive",
    )
    ensure(access_register_party(actor), user=actor, action="application.receive")
    assert hall is not None
    if enterprise is None and person is None:
        raise ServiceError(_("Name the applicant."), fields={"applicant": _("Required.")})
    if not catalogue.hall_accepts_item(hall, item):
        raise ServiceError(
            _("This hall cannot accept this item: it is neither of the hall's level nor 通办 here."),
            code="not_at_this_hall",
            fields={"item": _("Not accepted at this hall.")},
        )
    check_applicant_allowed(item, enterprise=enterprise)
    catalogue.item_published_version(item)  # refuses an item with no published version, before any write
    no_visit_default = "post" if delivery_address.strip() else "electronic"
    method = delivery_method or (no_visit_default if item.no_visit else "pickup")
    check_delivery_choice(item, method, delivery_address)
    if method == "pickup" and return_hall is None:
        return_hall = hall
    office = catalogue.item_office_for_hall(item, hall)
    with transaction.atomic():
        case, started, credit = receive_case(
            actor=actor,
            item=item,
            office=office,
            channel=Case.Channel.WINDOW,
            parties=_parties(
                person if enterprise is None else None,
                enterprise,
                agent if agent is not None else (person if enterprise else None),
            ),
            person=person,
            enterprise=enterprise,
            conditions=conditions,
            provided=provided,
            uploads=uploads,
            method=method,
            address=delivery_address,
            receiving_hall=hall,
            return_hall=return_hall,
            receipt=receipt,
            answers=answers,
        )
        if ticket is not None and ticket.hall_id == hall.pk:
            ticket_case_link(ticket=ticket, case=case)
        audit_record(
            actor=actor,
            action="application.receive",
            obj=case,
            data={
                "number": case.number,
                "item": item.code,
                "hall": hall.code,
                "office": office.code,
                "tongban": hall.kind not in item.levels,
                "clock": {"purpose": started.purpose, "due": str(started.clock.due_date)},
                **({"ticket": ticket.number} if ticket is not None and ticket.hall_id == hall.pk else {}),
                **credit,
            },
        )
    return case


def receive_case(
    *,
    actor: User,
    item: Item,
    office: Office,
    channel: str,
    parties: list[PartySpec],
    person: Person | None,
    enterprise: Enterprise | None,
    conditions: Iterable[str],
    provided: Iterable[str],
    uploads: Iterable[Upload],
    method: str,
    address: str,
    receiving_hall: Hall | None,
    return_hall: Hall | None,
    receipt: bool = True,
    answers: dict[str, Any] | None = None,
) -> tuple[Case, Any, dict[str, Any]]:
    """What every receipt by staff does, inside the caller's transaction (the caller audits): the numbered
    case in ``received`` with its parties, the application and its materials (ticked or scanned), the
    acceptance clock, the applicant's standing and the receipt. Returns the case, the clock started and the
    standing for the audit event. ``answers``: the form as the clerk filled it in (checked by the caller's
    form); without them the form starts from the applicant's own data."""
    version = catalogue.item_published_version(item)
    now = timezone.now()
    received = timezone.localdate(now)
    uploads = list(uploads)
    case = case_create(
        actor=actor,
        kind=wf.KIND,
        status="received",
        title=item.name,
        owning_office=office,
        channel=channel,
        parties=parties,
        received_by=actor,
        received_at=now,
        action="receive",
        audit=False,
        data={"item": item.code},
    )
    app = _application(
        case,
        item,
        version,
        conditions=conditions,
        method=method,
        address=address,
        person=person,
        enterprise=enterprise,
        receiving_hall=receiving_hall,
        return_hall=return_hall,
        received_on=received,
        acceptance_window_ends=clockops.add_workdays(received, wf.ACCEPTANCE_WINDOW_DAYS),
        # The applicant's own records first, then what was answered (as a draft does).
        answers={**prefill(version.form, person=person, enterprise=enterprise), **(answers or {})},
    )
    ticked = set(provided) | {u.code for u in uploads}
    app.materials.filter(code__in=ticked).exclude(state=ApplicationMaterial.State.NOT_APPLICABLE).update(
        state=ApplicationMaterial.State.PROVIDED, supplied_at=now
    )
    attach(case, app, actor, uploads)
    started = clockops.start(case=case, actor=actor, purpose=wf.ACCEPTANCE, **acceptance_clock_args(received))
    case.save()
    credit = standing.record(case, "received", actor=actor, link=staff_link(case))
    if receipt:
        receipt_issue(case, actor)
    return case, started, credit


def application_submit(
    *,
    actor: User,
    case_id: int,
    expected_version: int | None = None,
    promise_by: date | None = None,
    promise_signed: bool = False,
) -> Case:
    """The applicant submits a draft online: it gets its number; the 5-day acceptance clock starts. Missing
    materials the item lists as 容缺-allowed may be left out when the applicant signs the promise to supply
    them by ``promise_by`` (within the item's limit); the office then accepts with that promise."""
    now = timezone.now()
    received = receipt_day(now)
    signing = bool(promise_signed)

    def facts(case: Case) -> ApplicationFacts:
        f = load_facts(case)
        if not signing:
            return f
        return replace(
            f,
            promise_signed=True,
            promise_by=promise_by,
            promise_days=promise_days_until(promise_by),
            promise_max_days=rongque_limit(f.app, materials_of(f)),
        )

    def apply(case: Case, t: Transition, f: ApplicationFacts) -> dict[str, Any]:
        app = f.app
        case_number_assign(case=case)
        case.received_at = now
        app.received_on = received
        app.acceptance_window_ends = clockops.add_workdays(received, wf.ACCEPTANCE_WINDOW_DAYS)
        promised: dict[str, Any] = {}
        if signing and f.missing:
            app.rongque_signed_at = now
            app.rongque_deadline = promise_by
            app.rongque_promise_days = f.promise_days or 0
            promised = {"promised": list(f.missing), "promised_by": str(promise_by)}
        else:
            app.rongque_signed_at = None
        app.save()
        credit = standing.record(case, "received", actor=actor, link=staff_link(case))
        receipt_issue(case, actor)
        return {"number": case.number, **promised, **credit}

    with case_filing_allowance(actor=actor, kind=wf.KIND):
        return run(
            actor=actor,
            case_id=case_id,
            action="submit",
            expected_version=expected_version,
            facts=facts,
            apply=apply,
            clock=acceptance_clock_args(received),
            notify=(
                _("Application submitted"),
                _("Your application has been submitted and will be examined."),
            ),
        )


def application_receive_with_licences(*, actor: User, licence_uses: dict[str, int], **receive: Any) -> Case:
    """Receive at the window and supply the chosen materials by the applicant's licences, all or nothing."""
    with transaction.atomic():
        case = application_receive(actor=actor, receipt=False, **receive)
        for code, version_id in sorted(licence_uses.items()):
            case = application_use_licence(
                actor=actor, case_id=case.pk, material_code=code, licence_version_id=version_id
            )
        receipt_issue(case, actor)
    return case


def application_receive_on_visit(*, actor: User, item: Item, person: Person, purpose: str) -> Case:
    """A community grid worker files an application on a resident's behalf during an outreach visit (主动服务):
    the resident is the applicant, the grid worker the agent (a free contact: their name); the case goes to
    the item's office like an online application and its acceptance clock starts on receipt. Only a grid
    worker of the resident's community may do it."""
    ensure(
        has_role(actor, Role.GRID_WORKER)
        and person.community_id is not None
        and person.community_id == actor.community_id,
        user=actor,
        action="application.receive_on_visit",
    )
    check_applicant_allowed(item, enterprise=None)
    version = catalogue.item_published_version(item)
    # By post to the resident's address when it is known; otherwise electronically.
    method = "post" if not item.no_visit and len(person.address.strip()) >= ADDRESS_MIN else "electronic"
    check_address(person.address if method == "post" else "", required=method == "post")
    now = timezone.now()
    received = timezone.localdate(now)
    with transaction.atomic():
        case = case_create(
            actor=actor,
            kind=wf.KIND,
            status="received",
            title=item.name,
            owning_office=item.office,
            channel=Case.Channel.WINDOW,
            parties=[
                PartySpec("applicant", person=person),
                PartySpec("agent", name=(actor.full_name or actor.username)[:60]),
            ],
            received_by=actor,
            received_at=now,
            action="receive",
            audit=False,
            data={"item": item.code, "outreach": purpose[:100]},
        )
        _application(
            case,
            item,
            version,
            conditions=(),
            method=method,
            address=person.address if method == "post" else "",
            person=person,
            enterprise=None,
            received_on=received,
            acceptance_window_ends=clockops.add_workdays(received, wf.ACCEPTANCE_WINDOW_DAYS),
        )
        started = clockops.start(
            case=case, actor=actor, purpose=wf.ACCEPTANCE, **acceptance_clock_args(received)
        )
        case.save()
        audit_record(
            actor=actor,
            action="application.receive_on_visit",
            obj=case,
            data={
                "number": case.number,
                "item": item.code,
                "community": actor.community_id,
                "purpose": purpose[:100],
                "clock": {"purpose": started.purpose, "due": str(started.clock.due_date)},
            },
        )
    return case
