"""The licences' writers: each public service runs in one transaction and writes exactly one audit event.

* ``issuance_open`` — an approved application whose item's result is a licence type: owes a licence within
  ``LICENCE_ISSUANCE_DAYS`` (10) working days from the decision, on the case's ``issuance`` clock;
* ``licence_issue`` — from the case's data plus the fields the reviewer completes; signs version 001;
* ``licence_change`` (变更), ``licence_renew`` (延续) — a new signed version, the older ones kept;
* ``licence_status_change`` — suspend, reinstate, revoke (吊销), cancel (注销): status events;
* ``share_link_create`` — the holder's time-limited verification link;
* ``licence_material_use`` / ``licence_uses_check`` — a licence version offered instead of an upload, and
  its check at acceptance (building blocks inside the application's own transaction and audit event).
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.access import ensure
from yiwang.audit.services import audit_record
from yiwang.cases import clockops
from yiwang.cases.models import Case
from yiwang.cases.services import case_notify
from yiwang.core.errors import Conflict, NotFound, ServiceError
from yiwang.core.masking import mask_id
from yiwang.workdays import services as clocks

from . import keys, signing
from . import workflow as wf
from .access import access_issue_for, access_licence_event, access_licence_holder
from .identifier import Identifier, MalformedIdentifier
from .models import (
    Issuance,
    Licence,
    LicenceEvent,
    LicenceSerialCounter,
    LicenceType,
    LicenceVersion,
    MaterialUse,
    ShareLink,
)
from .selectors import licence_valid_to

if TYPE_CHECKING:
    from collections.abc import Mapping

    from yiwang.accounts.models import Enterprise, Office, Person, User

ISSUANCE = "issuance"
MAX_FIELD = 300


# --- pure helpers ----------------------------------------------------------------------------------


def type_for_item(item_id: int) -> LicenceType | None:
    return LicenceType.objects.filter(items__pk=item_id, active=True).order_by("code").first()


def missing_fields(ltype: LicenceType, values: Mapping[str, str]) -> dict[str, str]:
    """The type's required fields that have no value: ``{key: message}``."""
    return {
        str(f["key"]): _("Required.")
        for f in ltype.fields
        if f.get("required") and not str(values.get(str(f["key"]), "")).strip()
    }


def _clean_fields(ltype: LicenceType, values: Mapping[str, Any]) -> dict[str, str]:
    known = [str(f["key"]) for f in ltype.fields]
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ServiceError(fields={k: _("Not a field of this licence type.") for k in unknown})
    out = {k: str(values.get(k, "") or "").strip() for k in known}
    long = {
        k: _("At most %(n)d characters.") % {"n": MAX_FIELD} for k, v in out.items() if len(v) > MAX_FIELD
    }
    if long:
        raise ServiceError(fields=long)
    missing = missing_fields(ltype, out)
    if missing:
        raise ServiceError(
            _("Complete the licence's required fields."), code="fields_missing", fields=missing
        )
    return out


def holder_number(person: Person | None, enterprise: Enterprise | None) -> str:
    """What the licence prints: the credit code of an enterprise, the masked ID number of a person."""
    if enterprise is not None:
        return enterprise.credit_code
    return mask_id(person.id_number if person is not None else "")


def _add_years(day: date, years: int) -> date:
    return licence_valid_to(day, years)


def signed_fields(v: LicenceVersion, kid: str, type_code: str, type_name: str) -> dict[str, Any]:
    """The fields a version's signature covers (docs/licences-verification.md)."""
    return {
        "v": 1,
        "kid": kid,
        "id": v.identifier,
        "type": type_code,
        "name": type_name,
        "holder": v.holder_name,
        "holder_no": v.holder_number,
        "issuer": v.issuer_name,
        "from": v.valid_from.isoformat(),
        "to": v.valid_to.isoformat() if v.valid_to else "",
        "signed": timezone.localdate(v.signed_at).isoformat(),
        "f": dict(v.fields),
    }


def _issuer_code(office: Office) -> str:
    code = office.department.credit_code if office.department is not None else ""
    if not code:
        raise ServiceError(
            _("The issuing department has no unified social credit code: record it before issuing licences."),
            code="issuer_code_missing",
        )
    return code


def _issuer_name(office: Office) -> str:
    return office.department.name if office.department is not None else office.name


def _sign(v: LicenceVersion, office: Office, ltype: LicenceType) -> None:
    try:
        kid, private = keys.signing_key(office.code)
    except keys.NoSigningKey as exc:
        raise ServiceError(
            _("No signing key is configured for the office %(office)s.") % {"office": office.code},
            code="no_signing_key",
        ) from exc
    v.kid = kid
    v.payload = signing.sign(private, signed_fields(v, kid, ltype.code, ltype.name))


def _next_serial(ltype: LicenceType, issuer_code: str, year: int) -> str:
    counter, _created = LicenceSerialCounter.objects.get_or_create(
        type=ltype, issuer_code=issuer_code, year=year
    )
    counter = LicenceSerialCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{year}{counter.last:06d}"


def _locked_licence(licence_id: int) -> Licence:
    try:
        return Licence.objects.select_for_update().select_related("type", "issuer_office").get(pk=licence_id)
    except Licence.DoesNotExist:
        raise NotFound(_("No such licence.")) from None


def _current_version(licence: Licence) -> LicenceVersion:
    return LicenceVersion.objects.get(licence=licence, version=licence.version)


# --- issuance ------------------------------------------------------------------------------------------


def issuance_open(*, case_id: int, actor: User | None = None) -> Issuance | None:
    """Open the issuance an approved application owes (none if its item's result is no licence type;
    the existing one if already open). Called from the case's ``approve`` event, after commit."""
    existing = Issuance.objects.filter(case_id=case_id).first()
    if existing is not None:
        return existing
    case = Case.objects.select_related("owning_office__department").filter(pk=case_id).first()
    application = getattr(case, "application", None) if case is not None else None
    if case is None or application is None:
        return None
    ltype = type_for_item(application.item_id)
    if ltype is None:
        return None
    decided = case.decided_on or timezone.localdate()
    days = int(settings.LICENCE_ISSUANCE_DAYS)
    try:
        with transaction.atomic():
            row = clockops.start(
                case=case,
                actor=actor,
                limit=days,
                purpose=ISSUANCE,
                unit="working_days",
                primary=False,
                started_at=clockops.start_moment(decided),
                label=_("Licence issuance"),
            )
            issuance = Issuance.objects.create(
                case=case,
                type=ltype,
                office=case.owning_office,
                decided_on=decided,
                due_date=row.clock.due_date,
                clock=row.clock,
                opened_at=timezone.now(),
            )
            audit_record(
                actor=actor,
                action="licence.issuance_open",
                obj=issuance,
                data={"case": case.number, "type": ltype.code, "due": str(issuance.due_date), "days": days},
            )
    except IntegrityError:  # opened concurrently by another delivery of the event
        return Issuance.objects.filter(case_id=case_id).first()
    return issuance


def issuance_case_fields(issuance: Issuance) -> dict[str, str]:
    """What the case's data already gives for the type's fields: defaults from the type's sample are not
    used (a sample is an example, not data); the case's applicant and title are the holder and the item."""
    values: dict[str, str] = {}
    for f in issuance.type.fields:
        key = str(f["key"])
        if key == "item":
            values[key] = issuance.case.title
    return values


def licence_issue(
    *,
    actor: User | None,
    issuance_id: int,
    fields: Mapping[str, Any] | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> Licence:
    """Issue the licence an issuance owes: from the case's applicant (holder) and data, with the fields the
    reviewer completes. Refused when already issued for this decision, or a required field is missing."""
    issuance = (
        Issuance.objects.select_related("office__department", "type", "case").filter(pk=issuance_id).first()
    )
    if issuance is None:
        raise NotFound(_("No such issuance."))
    if actor is not None:
        ensure(access_issue_for(actor, issuance.office), user=actor, action="licence.issue", obj=issuance)
    ltype = issuance.type
    values = {**issuance_case_fields(issuance), **dict(fields or {})}
    clean = _clean_fields(ltype, values)
    issuer_code = _issuer_code(issuance.office)
    today = timezone.localdate()
    valid_from = valid_from or today
    if valid_to is None and ltype.validity_years:
        valid_to = _add_years(valid_from, ltype.validity_years)
    if valid_to is not None and valid_to < valid_from:
        raise ServiceError(fields={"valid_to": _("Cannot be before the start of validity.")})
    with transaction.atomic():
        issuance = Issuance.objects.select_for_update().get(pk=issuance.pk)
        if (
            issuance.state == Issuance.State.ISSUED
            or Licence.objects.filter(case_id=issuance.case_id).exists()
        ):
            raise Conflict(_("A licence has already been issued for this decision."), code="already_issued")
        case = Case.objects.select_related("applicant_person", "applicant_enterprise").get(
            pk=issuance.case_id
        )
        person, enterprise = case.applicant_person, case.applicant_enterprise
        serial = _next_serial(ltype, issuer_code, today.year)
        try:
            ident = Identifier(ltype.code, issuer_code, serial, 1)
        except MalformedIdentifier as exc:
            raise ServiceError(str(exc), code="identifier") from exc
        now = timezone.now()
        licence = Licence.objects.create(
            type=ltype,
            issuer_office=issuance.office,
            issuer_code=issuer_code,
            serial=serial,
            base_identifier=ident.base,
            holder_person=None if enterprise is not None else person,
            holder_enterprise=enterprise,
            case=case,
            status=wf.ACTIVE,
            version=1,
            valid_to=valid_to,
            issued_at=now,
            updated_at=now,
        )
        version = LicenceVersion(
            licence=licence,
            version=1,
            identifier=str(ident),
            event="issue",
            holder_name=enterprise.name if enterprise is not None else (person.name if person else ""),
            holder_number=holder_number(person, enterprise),
            fields=clean,
            valid_from=valid_from,
            valid_to=valid_to,
            issuer_name=_issuer_name(issuance.office),
            signed_at=now,
            case=case,
            by=actor,
        )
        _sign(version, issuance.office, ltype)
        version.save()
        LicenceEvent.objects.create(
            licence=licence, event="issue", version=1, to_status=wf.ACTIVE, at=now, by=actor
        )
        issuance.state = Issuance.State.ISSUED
        issuance.licence = licence
        issuance.issued_on = today
        issuance.save(update_fields=["state", "licence", "issued_on"])
        if issuance.clock is not None and issuance.clock.stopped_at is None:
            clocks.clock_stop(
                actor=actor,
                clock=issuance.clock,
                reason="issued",
                at=max(now, issuance.clock.started_at),
                audit=False,
            )
        case_notify(
            case=case,
            subject=_("E-licence issued"),
            body=_("Your e-licence %(name)s has been issued: see it in your licences.")
            % {"name": ltype.name},
            link="/licences/wallet/",
            key=f"licence-issued-{licence.pk}",
        )
        audit_record(
            actor=actor,
            action="licence.issue",
            obj=licence,
            data={
                "identifier": version.identifier,
                "case": case.number,
                "kid": version.kid,
                "on_time": issuance.due_date is None or today <= issuance.due_date,
            },
        )
    return licence


# --- new versions --------------------------------------------------------------------------------------


def _new_version(  # noqa: C901 - one check per refusal (access, reason, stale, status, versions, unchanged)
    *,
    actor: User,
    licence_id: int,
    event: str,
    reason: str,
    fields: Mapping[str, Any] | None,
    valid_to: date | None,
    expected_version: int | None,
) -> Licence:
    licence = Licence.objects.select_related("issuer_office").filter(pk=licence_id).first()
    if licence is None:
        raise NotFound(_("No such licence."))
    ensure(access_licence_event(actor, licence, event), user=actor, action=f"licence.{event}", obj=licence)
    e = wf.EVENTS[event]
    if e.needs_reason and not reason.strip():
        raise ServiceError(fields={"reason": _("Required.")})
    with transaction.atomic():
        licence = _locked_licence(licence_id)
        if expected_version is not None and licence.version != expected_version:
            raise Conflict(_("The licence has changed meanwhile: reload it."), code="stale")
        if not wf.allowed(event, licence.status):
            raise Conflict(
                _("Not possible while the licence is %(status)s.") % {"status": wf.STATUSES[licence.status]},
                code="not_allowed",
            )
        if licence.version >= 999:
            raise Conflict(_("The licence has reached its last version (999)."), code="versions_exhausted")
        old = _current_version(licence)
        values = dict(old.fields)
        if fields:
            values.update({k: v for k, v in fields.items()})
        clean = _clean_fields(licence.type, values)
        if event == "change" and clean == old.fields:
            raise ServiceError(_("Nothing changed."), code="unchanged")
        now = timezone.now()
        new_to = old.valid_to
        if event == "renew":
            if valid_to is None:
                base = old.valid_to or timezone.localdate()
                valid_to = _add_years(base + timedelta(days=1), licence.type.validity_years or 5)
            if old.valid_to is not None and valid_to <= old.valid_to:
                raise ServiceError(
                    fields={"valid_to": _("A renewal runs beyond the current end of validity.")}
                )
            new_to = valid_to
        n = licence.version + 1
        ident = Identifier(licence.type.code, licence.issuer_code, licence.serial, n)
        version = LicenceVersion(
            licence=licence,
            version=n,
            identifier=str(ident),
            event=event,
            holder_name=old.holder_name,
            holder_number=old.holder_number,
            fields=clean,
            valid_from=old.valid_from if event == "change" else timezone.localdate(now),
            valid_to=new_to,
            issuer_name=old.issuer_name,
            signed_at=now,
            reason=reason.strip()[:300],
            by=actor,
        )
        _sign(version, licence.issuer_office, licence.type)
        version.save()
        LicenceEvent.objects.create(
            licence=licence,
            event=event,
            version=n,
            from_status=licence.status,
            to_status=e.target,
            reason=version.reason,
            at=now,
            by=actor,
        )
        licence.version, licence.valid_to, licence.updated_at = n, new_to, now
        licence.save(update_fields=["version", "valid_to", "updated_at"])
        audit_record(
            actor=actor,
            action=f"licence.{event}",
            obj=licence,
            data={
                "identifier": version.identifier,
                "from_version": n - 1,
                "kid": version.kid,
                "reason": version.reason,
            },
        )
    return licence


def licence_change(
    *,
    actor: User,
    licence_id: int,
    fields: Mapping[str, Any],
    reason: str,
    expected_version: int | None = None,
) -> Licence:
    """变更: new field values in a new signed version; the older versions stay (superseded)."""
    return _new_version(
        actor=actor,
        licence_id=licence_id,
        event="change",
        reason=reason,
        fields=fields,
        valid_to=None,
        expected_version=expected_version,
    )


def licence_renew(
    *,
    actor: User,
    licence_id: int,
    valid_to: date | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Licence:
    """延续: validity extended in a new signed version."""
    return _new_version(
        actor=actor,
        licence_id=licence_id,
        event="renew",
        reason=reason,
        fields=None,
        valid_to=valid_to,
        expected_version=expected_version,
    )


def licence_status_change(
    *, actor: User, licence_id: int, event: str, reason: str, expected_version: int | None = None
) -> Licence:
    """Suspend, reinstate, revoke (吊销) or cancel (注销): a status event; the signed versions are unchanged
    (verification reads the status live)."""
    e = wf.EVENTS.get(event)
    if e is None or e.new_version:
        raise ServiceError(fields={"event": _("Not one of the allowed values.")})
    licence = Licence.objects.select_related("issuer_office").filter(pk=licence_id).first()
    if licence is None:
        raise NotFound(_("No such licence."))
    ensure(access_licence_event(actor, licence, event), user=actor, action=f"licence.{event}", obj=licence)
    if not reason.strip():
        raise ServiceError(fields={"reason": _("Required.")})
    with transaction.atomic():
        licence = _locked_licence(licence_id)
        if expected_version is not None and licence.version != expected_version:
            raise Conflict(_("The licence has changed meanwhile: reload it."), code="stale")
        if not wf.allowed(event, licence.status):
            raise Conflict(
                _("Not possible while the licence is %(status)s.") % {"status": wf.STATUSES[licence.status]},
                code="not_allowed",
            )
        now = timezone.now()
        before = licence.status
        LicenceEvent.objects.create(
            licence=licence,
            event=event,
            version=licence.version,
            from_status=before,
            to_status=e.target,
            reason=reason.strip()[:300],
            at=now,
            by=actor,
        )
        licence.status, licence.updated_at = e.target, now
        licence.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action=f"licence.{event}",
            obj=licence,
            data={"from": before, "to": e.target, "reason": reason.strip()[:300]},
        )
    return licence


# --- the holder's share links --------------------------------------------------------------------------


def share_link_create(*, actor: User, licence_id: int, days: int) -> ShareLink:
    licence = (
        Licence.objects.filter(pk=licence_id).select_related("holder_person", "holder_enterprise").first()
    )
    if licence is None or not access_licence_holder(actor, licence):
        ensure(False, user=actor, action="licence.share", object_id=licence_id)
    assert licence is not None
    longest = int(settings.LICENCE_SHARE_MAX_DAYS)
    if isinstance(days, bool) or not 1 <= days <= longest:
        raise ServiceError(fields={"days": _("Enter a whole number from 1 to %(max)d.") % {"max": longest}})
    now = timezone.now()
    with transaction.atomic():
        link = ShareLink.objects.create(
            licence=licence,
            token=secrets.token_urlsafe(32),
            created_by=actor,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        audit_record(actor=actor, action="licence.share", obj=licence, data={"days": days, "link": link.pk})
    return link


# --- reuse as application materials ----------------------------------------------------------------------


def licence_material_use(
    *, case: Case, material_code: str, licence_version: LicenceVersion, channel: str
) -> MaterialUse:
    """Record (inside the application's transaction) that a material is satisfied by a licence version."""
    use, _created = MaterialUse.objects.update_or_create(
        case=case,
        material_code=material_code,
        defaults={"licence_version": licence_version, "channel": channel, "at": timezone.now()},
    )
    return use


def licence_uses_check(*, case: Case) -> list[str]:
    """Check every licence used by the case (current, not suspended, revoked, cancelled or expired) and
    record the outcome; returns the problems, each a sentence (inside the acceptance's transaction)."""
    problems: list[str] = []
    today = timezone.localdate()
    now = timezone.now()
    for use in MaterialUse.objects.filter(case=case).select_related("licence_version__licence__type"):
        lic = use.licence_version.licence
        problem = ""
        if lic.status != wf.ACTIVE:
            problem = _("the licence %(name)s (%(id)s) is %(status)s") % {
                "name": lic.type.name,
                "id": use.licence_version.identifier,
                "status": wf.STATUSES[lic.status],
            }
        elif lic.valid_to is not None and lic.valid_to < today:
            problem = _("the licence %(name)s (%(id)s) expired on %(day)s") % {
                "name": lic.type.name,
                "id": use.licence_version.identifier,
                "day": lic.valid_to.isoformat(),
            }
        use.checked_at, use.check_ok = now, not problem
        use.save(update_fields=["checked_at", "check_ok"])
        if problem:
            problems.append(problem)
    return problems


def licence_material_release(*, case: Case, material_codes: list[str]) -> int:
    """Forget licences used for these materials (an upload replaced them), inside the caller's transaction."""
    deleted, _rows = MaterialUse.objects.filter(case=case, material_code__in=material_codes).delete()
    return int(deleted)
