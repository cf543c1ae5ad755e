"""Writers for organisations' people: applicants, enterprises, staff roles, tokens, unmasking."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.audit.services import audit_record
from yiwang.core.errors import Conflict, ServiceError, from_validation_error
from yiwang.core.validators import normalize_mobile, normalize_resident_id, normalize_uscc

from .access import access_register_party, access_role_manage, access_unmask_person, ensure
from .models import AgentAuthorization, ApiToken, Enterprise, Person, RoleGrant, User
from .realname import LEVEL_MOBILE, LEVEL_VERIFIED
from .roles import ADMIN_ROLES, POSTING_FOR_ROLE, Role

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date, datetime

    from .realname import VerificationResult


def _full_clean(obj: Any, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise from_validation_error(exc) from exc


def person_register(
    *,
    actor: User | None,
    name: str,
    id_number: str,
    mobile: str = "",
    address: str = "",
    community: Any = None,
    verification: VerificationResult | None = None,
) -> Person:
    """Register a natural person. ``verification``: what the real-name verifier answered when the person
    registered themself with a one-time code (``otp.resident_register``): their mobile is confirmed
    (level 1) and, when verified, their name and ID number too (level 2; docs/adr/0056)."""
    if actor is not None:  # None = the system itself (imports, demo data)
        ensure(access_register_party(actor), user=actor, action="person.register")
    person = Person(
        name=(name or "").strip(),
        id_number=normalize_resident_id(id_number),
        mobile=normalize_mobile(mobile),
        address=(address or "").strip(),
        community=community,
    )
    if verification is not None:
        person.verification_source = verification.source[:40]
        if verification.verified:
            person.verification = Person.Verification.VERIFIED
            person.verification_level = LEVEL_VERIFIED
            person.verified_at = timezone.now()
        else:
            person.verification = Person.Verification.UNAVAILABLE
            person.verification_level = LEVEL_MOBILE
    existing = Person.objects.filter(id_number=person.id_number).first()
    if existing is not None:
        raise Conflict(
            _("A person with this resident ID number is already registered."),
            code="duplicate",
            fields={"id_number": _("Already registered.")},
        )
    _full_clean(person)
    with transaction.atomic():
        person.save()
        data = None
        if verification is not None:
            data = {"verification": verification.outcome, "level": person.verification_level}
        audit_record(actor=actor, action="person.register", obj=person, data=data)
    return person


def enterprise_register(
    *,
    actor: User | None,
    name: str,
    credit_code: str,
    legal_representative: str,
    address: str = "",
    street: Any = None,
) -> Enterprise:
    if actor is not None:  # None = the system itself (imports, demo data)
        ensure(access_register_party(actor), user=actor, action="enterprise.register")
    ent = Enterprise(
        name=(name or "").strip(),
        credit_code=normalize_uscc(credit_code),
        legal_representative=(legal_representative or "").strip(),
        address=(address or "").strip(),
        street=street,
    )
    if Enterprise.objects.filter(credit_code=ent.credit_code).exists():
        raise Conflict(
            _("An enterprise with this credit code is already registered."),
            code="duplicate",
            fields={"credit_code": _("Already registered.")},
        )
    _full_clean(ent)
    with transaction.atomic():
        ent.save()
        audit_record(actor=actor, action="enterprise.register", obj=ent)
    return ent


def agent_authorize(
    *,
    actor: User | None,
    enterprise: Enterprise,
    person: Person,
    kind: str = AgentAuthorization.Kind.AGENT,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> AgentAuthorization:
    auth = AgentAuthorization(
        enterprise=enterprise,
        person=person,
        kind=kind,
        valid_from=valid_from or timezone.localdate(),
        valid_until=valid_until,
    )
    if auth.valid_until and auth.valid_until < auth.valid_from:
        raise ServiceError(
            _("The end date is before the start date."), fields={"valid_until": _("Before start.")}
        )
    _full_clean(auth, exclude=["enterprise", "person"])
    with transaction.atomic():
        auth, _created = AgentAuthorization.objects.update_or_create(
            enterprise=enterprise,
            person=person,
            defaults={
                "kind": kind,
                "valid_from": auth.valid_from,
                "valid_until": auth.valid_until,
                "revoked": False,
            },
        )
        audit_record(
            actor=actor,
            action="agent.authorize",
            obj=auth,
            data={"enterprise": enterprise.pk, "person": person.pk, "kind": kind},
        )
    return auth


def _grant(*, actor: User | None, user: User, role: str) -> RoleGrant:
    if role not in Role.values:
        raise ServiceError(_("Unknown role."), fields={"role": _("Unknown role.")})
    if user.kind != User.Kind.STAFF:
        raise ServiceError(
            _("Only staff accounts can hold staff roles."), fields={"role": _("Not a staff account.")}
        )
    held = set(user.role_grants.values_list("role", flat=True))
    separation = ServiceError(
        _("The system, security and audit administrator roles must be held by different people."),
        code="separation_of_duties",
        fields={"role": _("Conflicts with another administrator role.")},
    )
    if role in ADMIN_ROLES and held & (ADMIN_ROLES - {role}):
        raise separation
    try:
        with transaction.atomic():
            grant, _created = RoleGrant.objects.get_or_create(
                user=user, role=role, defaults={"granted_by": actor}
            )
    except IntegrityError as exc:  # the database's own guard, for concurrent grants
        raise separation from exc
    user.__dict__.pop("_role_cache", None)
    return grant


_POSTING_MESSAGES = {
    "hall": gettext_lazy("A window clerk or hall manager must be posted to a hall first."),
    "office": gettext_lazy("A reviewer or department administrator must be posted to an office first."),
    "community": gettext_lazy("A grid worker must be posted to a community first."),
}


def roles_check(
    *, actor: User | None, user: User, roles: Iterable[str], posting: dict[str, Any] | None = None
) -> None:
    """Refuse (``ServiceError`` naming the ``roles`` field) a set of roles the user may not hold: unknown
    roles, roles for an applicant account, two of the three administrator roles (三权分立), a role without
    the posting where it acts. ``posting`` overrides the user's own ``kind``, ``hall``, ``office`` and
    ``community`` (an admin form checks the values it is about to save). Writes nothing."""
    wanted = set(roles)
    values = {k: getattr(user, k) for k in ("kind", "hall", "office", "community")} | (posting or {})
    if wanted - set(Role.values):
        raise ServiceError(_("Unknown role."), code="invalid", fields={"roles": _("Unknown role.")})
    if wanted and values["kind"] != User.Kind.STAFF:
        raise ServiceError(
            _("Only staff accounts can hold staff roles."),
            code="invalid",
            fields={"roles": _("Not a staff account.")},
        )
    if len(wanted & ADMIN_ROLES) > 1:
        message = _("The system, security and audit administrator roles must be held by different people.")
        raise ServiceError(message, code="separation_of_duties", fields={"roles": message})
    if actor is not None and (wanted ^ user.role_set()) & ADMIN_ROLES:
        message = _(
            "The system, security and audit administrator roles are granted and revoked only by the operator "
            "(yiwang role), never by another administrator."
        )
        raise ServiceError(message, code="separation_of_duties", fields={"roles": message})
    for role in sorted(wanted):
        where = POSTING_FOR_ROLE.get(Role(role))
        if where and values[where] is None and role not in user.role_set():
            message = str(_POSTING_MESSAGES[where])
            raise ServiceError(message, code="invalid", fields={"roles": message})


def _ensure_may_manage(actor: User | None, user: User, action: str, role: str = "") -> None:
    if actor is not None:  # None = the operator (the ``yiwang role`` command, the demo)
        # An administrator role is never granted or revoked by another administrator: one could otherwise
        # make an account of their own choosing the audit administrator (docs/adr/0011).
        allowed = access_role_manage(actor, user) and role not in ADMIN_ROLES
        ensure(allowed, user=actor, action=action, obj=user, role=role)


def role_grant(*, actor: User | None, user: User, role: str) -> RoleGrant:
    """Grant a staff role (the security administrator, never to themselves). The three administrator roles
    are mutually exclusive (三权分立); a role that acts at a hall, an office or a community needs that
    posting (docs/adr/0008)."""
    _ensure_may_manage(actor, user, "role.grant", role)
    if role in Role.values and POSTING_FOR_ROLE.get(Role(role)):
        roles_check(actor=actor, user=user, roles=[role])
    with transaction.atomic():
        grant = _grant(actor=actor, user=user, role=role)
        audit_record(actor=actor, action="role.grant", obj=user, data={"role": role})
    return grant


def role_revoke(*, actor: User | None, user: User, role: str) -> None:
    """Revoke a staff role (the security administrator, never their own); one audit event when it was held."""
    _ensure_may_manage(actor, user, "role.revoke", role)
    with transaction.atomic():
        deleted, _rows = RoleGrant.objects.filter(user=user, role=role).delete()
        if deleted:
            audit_record(actor=actor, action="role.revoke", obj=user, data={"role": role})
    user.__dict__.pop("_role_cache", None)


def roles_set(*, actor: User | None, user: User, roles: Iterable[str]) -> tuple[list[str], list[str]]:
    """Make the user's roles exactly ``roles`` (the admin's role checkboxes): every grant and revocation
    through ``role_grant`` / ``role_revoke``, each with its own audit event, all or none. Returns the roles
    granted and revoked."""
    wanted = set(roles)
    _ensure_may_manage(actor, user, "role.set")
    roles_check(actor=actor, user=user, roles=wanted)
    held = set(user.role_grants.values_list("role", flat=True))
    added, removed = sorted(wanted - held), sorted(held - wanted)
    with transaction.atomic():
        for role in removed:  # first, so that one administrator role may replace another
            role_revoke(actor=actor, user=user, role=role)
        for role in added:
            role_grant(actor=actor, user=user, role=role)
    return added, removed


def _set_password(user: User, password: str | None) -> None:
    """``None``: no usable password (the account cannot sign in with a password until one is set, e.g.
    accounts imported for the record of who handled past cases). Hashing costs ~0.1 s per account."""
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)


def staff_create(
    *,
    actor: User | None,
    username: str,
    password: str | None,
    full_name: str,
    roles: list[str],
    office: Any = None,
    hall: Any = None,
    community: Any = None,
    department: Any = None,
    mobile: str = "",
) -> User:
    with transaction.atomic():
        user = User(
            username=username,
            full_name=full_name,
            kind=User.Kind.STAFF,
            office=office,
            hall=hall,
            community=community,
            department=department or (office.department if office else None),
            mobile=normalize_mobile(mobile),
            is_staff=True,
        )
        _set_password(user, password)
        _full_clean(user, exclude=["password"])
        user.save()
        audit_record(actor=actor, action="staff.create", obj=user, data={"roles": roles})
        for role in roles:
            _grant(actor=actor, user=user, role=role)
    return user


def _resident_username() -> str:
    """A username for a self-registered resident, who signs in with their mobile and never types it (it
    carries neither the mobile nor the ID number)."""
    while True:
        name = "r" + secrets.token_hex(5)
        if not User.objects.filter(username=name).exists():
            return name


def applicant_account_create(
    *, actor: User | None, username: str | None, password: str | None, person: Person
) -> User:
    """The applicant account of a person; ``username=None`` makes one up (residents who registered
    themselves sign in with their mobile number and a one-time code, docs/adr/0056)."""
    with transaction.atomic():
        user = User(
            username=username or _resident_username(),
            full_name=person.name,
            kind=User.Kind.APPLICANT,
            mobile=person.mobile,
        )
        _set_password(user, password)
        _full_clean(user, exclude=["password"])
        user.save()
        person.user = user
        person.save(update_fields=["user"])
        audit_record(actor=actor, action="applicant.account_create", obj=user, data={"person": person.pk})
    return user


def api_token_create(
    *, actor: User | None, user: User, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Issue a bearer token for a system account; the raw value is returned once and never stored."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ServiceError(
            _("Give the token a name of at most 80 characters."), fields={"name": _("Required.")}
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise ServiceError(_("The expiry must be in the future."), fields={"expires_at": _("In the past.")})
    raw = ApiToken.new_raw()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=ApiToken.prefix_of(raw),
            digest=ApiToken.digest_of(raw),
            expires_at=expires_at,
        )
        audit_record(
            actor=actor,
            action="api_token.create",
            obj=token,
            data={"user": user.pk, "expires_at": expires_at.isoformat() if expires_at else None},
        )
    return token, raw


def api_token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    if token.revoked:
        raise Conflict(_("This token is already revoked."), code="revoked")
    with transaction.atomic():
        token.revoked = True
        token.save(update_fields=["revoked"])
        audit_record(actor=actor, action="api_token.revoke", obj=token, data={"user": token.user_id})
    return token


UNMASK_PURPOSES = {
    "identity_check": gettext_lazy("checking the applicant's identity at the window"),
    "contact": gettext_lazy("contacting the applicant about their case"),
    "case_handling": gettext_lazy("handling the case (documents, delivery)"),
    "legal_request": gettext_lazy("a request under the law (court, police), recorded on paper"),
}


def pii_reveal(*, actor: User | None, person: Person, field: str, purpose: str) -> str:
    """Return a full resident ID or mobile number: an unmasking role, a person in the actor's own cases
    or queue, a purpose from the list, and an audit event naming field and purpose."""
    if field not in {"id_number", "mobile"}:
        raise ServiceError(_("Unknown field."), fields={"field": _("Must be id_number or mobile.")})
    if purpose not in UNMASK_PURPOSES:
        raise ServiceError(
            _("Say why you need the full number."),
            fields={"purpose": _("One of: %(codes)s.") % {"codes": ", ".join(UNMASK_PURPOSES)}},
        )
    ensure(
        access_unmask_person(actor, person),
        user=actor,
        action="pii.reveal",
        obj=person,
        field=field,
        purpose=purpose,
    )
    with transaction.atomic():
        audit_record(actor=actor, action="pii.reveal", obj=person, data={"field": field, "purpose": purpose})
    return str(getattr(person, field))
