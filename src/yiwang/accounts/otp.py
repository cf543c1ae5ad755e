"""One-time codes by SMS for residents: register with a mobile number, sign in with it (docs/adr/0056).

A code is 6 digits, valid ``OTP_CODE_VALID_SECONDS`` (300), used once, and takes at most ``OTP_MAX_WRONG``
(5) wrong tries; only a keyed digest is stored (HMAC with the site's secret and the code's own salt: a
6-digit code's plain hash could be reversed by trying all million). Requests are limited per mobile (one
per ``OTP_RESEND_SECONDS``, at most ``OTP_CODES_PER_MOBILE_PER_DAY``) and per client address
(``OTP_CODES_PER_ADDRESS_PER_HOUR``), counted with ``core.ratelimit``. Only applicant accounts sign in
this way: staff sign in with their password and second factor, unchanged.

This module issues and checks codes; sending one is the notifications context's job
(``portal.services.resident_code_send`` puts the SMS in the outbox in the same transaction).
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.core import ratelimit
from yiwang.core.errors import Conflict, RateLimited, ServiceError
from yiwang.core.fieldcrypt import blind_index
from yiwang.core.masking import mask_mobile
from yiwang.core.validators import normalize_mobile, normalize_resident_id, validate_mobile

from . import realname, services
from .models import Person, SignInCode, User

if TYPE_CHECKING:
    from collections.abc import Callable

    from .realname import VerificationResult

SESSION_KEYS = {"register": "_yw_otp_register", "sign_in": "_yw_otp_sign_in"}
TERMS_VERSION = "2026-1"
_KEY_SALT = "yiwang.accounts.otp"


def valid_seconds() -> int:
    return int(getattr(settings, "OTP_CODE_VALID_SECONDS", 300))


def max_wrong() -> int:
    return int(getattr(settings, "OTP_MAX_WRONG", 5))


def _digest(salt: str, code: str) -> str:
    return salted_hmac(_KEY_SALT, f"{salt}:{code}", algorithm="sha256").hexdigest()


def _new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def _mobile(value: str) -> str:
    mobile = normalize_mobile(value)
    try:
        validate_mobile(mobile)
    except ValidationError as exc:
        message = " ".join(exc.messages)
        raise ServiceError(message, code="invalid", fields={"mobile": message}) from exc
    return mobile


def mobile_registered(mobile: str) -> bool:
    """Whether an account (or a person with an account) already uses this mobile number."""
    return (
        User.objects.filter(mobile=mobile).exists()
        or Person.objects.filter(mobile=mobile, user__isnull=False).exists()
    )


def applicant_for_mobile(mobile: str) -> User | None:
    """The active applicant account with this mobile (never a staff account)."""
    return User.objects.filter(mobile=mobile, kind=User.Kind.APPLICANT, is_active=True).order_by("pk").first()


def _already_registered() -> Conflict:
    message = _("This mobile number is already registered. Sign in with an SMS code instead.")
    return Conflict(message, code="duplicate", fields={"mobile": message})


def _no_resident_account() -> ServiceError:
    message = _(
        "No resident account uses this mobile number. Register first; staff sign in with their password."
    )
    return ServiceError(message, code="no_account", fields={"mobile": message})


def code_issue(
    *, mobile: str, purpose: str, client: str, deliver: Callable[[SignInCode, str], None]
) -> SignInCode:
    """Check and count a request for a code, then make one and hand it to ``deliver`` (which puts the SMS
    in the outbox) in the same transaction; the code itself is never stored. Refuses an invalid number, a
    number already registered (to register) or without a resident account (to sign in), and requests over
    the limits. Must run outside a transaction, so that refused requests stay counted. Writes one audit
    event (without the code)."""
    if purpose not in SignInCode.Purpose.values:
        raise ServiceError(_("Unknown purpose."), fields={"purpose": _("Unknown purpose.")})
    number = _mobile(mobile)
    per_address = int(getattr(settings, "OTP_CODES_PER_ADDRESS_PER_HOUR", 30))
    if not ratelimit.attempt(f"accounts:otp:ip:{client or 'unknown'}", limit=per_address, window=3600):
        raise RateLimited(_("Too many codes were asked for from this network. Try again in an hour."))
    if purpose == SignInCode.Purpose.REGISTER and mobile_registered(number):
        raise _already_registered()
    if purpose == SignInCode.Purpose.SIGN_IN and applicant_for_mobile(number) is None:
        audit_record(
            actor=None,
            action="auth.code_request",
            object_type="accounts.signincode",
            outcome="failed",
            data={"purpose": purpose, "mobile": mask_mobile(number), "reason": "no_account"},
        )
        raise _no_resident_account()
    index = blind_index(number)
    resend = int(getattr(settings, "OTP_RESEND_SECONDS", 60))
    last = SignInCode.objects.filter(mobile_index=index).order_by("-created_at").first()
    now = timezone.now()
    if last is not None and (now - last.created_at).total_seconds() < resend:
        wait = resend - int((now - last.created_at).total_seconds())
        message = _("A code was just sent to this number. Wait %(seconds)d seconds before asking again.") % {
            "seconds": max(wait, 1)
        }
        raise RateLimited(message, fields={"mobile": message})
    per_day = int(getattr(settings, "OTP_CODES_PER_MOBILE_PER_DAY", 10))
    if not ratelimit.attempt(f"accounts:otp:mobile:{index}", limit=per_day, window=ratelimit.DAY):
        message = _("This number has had the most codes allowed today. Try again tomorrow.")
        raise RateLimited(message, fields={"mobile": message})
    code, salt = _new_code(), secrets.token_hex(16)
    with transaction.atomic():
        # A newer code replaces the older ones of the same number and purpose.
        SignInCode.objects.filter(mobile_index=index, purpose=purpose, used_at__isnull=True).update(
            used_at=now
        )
        row = SignInCode.objects.create(
            purpose=purpose,
            mobile=number,
            salt=salt,
            digest=_digest(salt, code),
            expires_at=now + timedelta(seconds=valid_seconds()),
        )
        audit_record(
            actor=None,
            action="auth.code_request",
            obj=row,
            data={"purpose": purpose, "mobile": mask_mobile(number)},
        )
        deliver(row, code)
    return row


def _expired() -> ServiceError:
    message = _("This code has expired or was already used. Ask for a new code.")
    return ServiceError(message, code="code_expired", fields={"code": message})


def _locked() -> ServiceError:
    message = _("Too many wrong codes. Ask for a new code.")
    return ServiceError(message, code="code_locked", fields={"code": message})


def _check(*, code_id: int | None, purpose: str, code: str) -> SignInCode:
    """Compare a code with the one sent (each wrong try counted before the comparison, atomically, so
    concurrent guesses cannot pass the limit together). Does not use the code up. Must run outside a
    transaction, so that a wrong try stays counted."""
    row = SignInCode.objects.filter(pk=code_id or 0, purpose=purpose).first()
    now = timezone.now()
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise _expired()
    counted = SignInCode.objects.filter(pk=row.pk, used_at__isnull=True, wrong_tries__lt=max_wrong()).update(
        wrong_tries=F("wrong_tries") + 1
    )
    if not counted:
        raise _locked()
    given = (code or "").strip().replace(" ", "")
    if given.isascii() and given.isdigit() and constant_time_compare(row.digest, _digest(row.salt, given)):
        SignInCode.objects.filter(pk=row.pk).update(wrong_tries=F("wrong_tries") - 1)
        return row
    row.refresh_from_db(fields=["wrong_tries"])
    audit_record(
        actor=None,
        action="auth.code_failed",
        obj=row,
        outcome="failed",
        data={"purpose": purpose, "wrong_tries": row.wrong_tries},
    )
    left = max_wrong() - row.wrong_tries
    if left <= 0:
        raise _locked()
    message = _("The code is not right: %(left)d tries left.") % {"left": left}
    raise ServiceError(message, code="code_wrong", fields={"code": message})


def _use(row: SignInCode) -> None:
    """Use the code up (inside the caller's transaction); refuses one used meanwhile by another request."""
    if not SignInCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=timezone.now()):
        raise _expired()


def code_sign_in(*, code_id: int | None, code: str) -> User:
    """Sign a resident in with the code sent to their mobile: returns the applicant account (the page then
    signs it in, which writes ``auth.login``). A staff account is never returned."""
    row = _check(code_id=code_id, purpose=SignInCode.Purpose.SIGN_IN, code=code)
    user = applicant_for_mobile(row.mobile)
    if user is None:
        raise _no_resident_account()
    with transaction.atomic():
        _use(row)
        audit_record(actor=user, action="auth.code_sign_in", obj=user, data={"code": row.pk})
    return user


def _id_taken() -> Conflict:
    message = _("This resident ID number is already registered. Sign in, or ask at a service hall window.")
    return Conflict(message, code="duplicate", fields={"id_number": message})


def _verification_audit(result: VerificationResult, person: Person | None = None) -> None:
    """The verifier's answer, as its own event (the number is never in it)."""
    audit_record(
        actor=None,
        action="person.verify",
        obj=person,
        object_type="accounts.person",
        outcome="success" if result.verified else "failed",
        data={"outcome": result.outcome, "source": result.source, "reason": result.reason},
    )


def _verification_failed(result: VerificationResult) -> ServiceError:
    _verification_audit(result)
    message = _("The name and the resident ID number could not be verified together. Check both.")
    return ServiceError(message, code="verification_failed", fields={"name": message, "id_number": message})


def resident_register(*, code_id: int | None, code: str, name: str, id_number: str, agreed: bool) -> User:
    """A resident registers themself: the code sent to their mobile, name, resident ID number and the terms.
    The name and number are checked by the configured real-name verifier (``realname``): a failed check
    refuses, an unavailable source leaves the account unverified. Creates the person and the applicant
    account through ``person_register`` and ``applicant_account_create``; all or nothing."""
    if not agreed:
        message = _("Agree to the terms of service to register.")
        raise ServiceError(message, code="invalid", fields={"agree": message})
    name = (name or "").strip()
    number = normalize_resident_id(id_number)
    row = _check(code_id=code_id, purpose=SignInCode.Purpose.REGISTER, code=code)
    if mobile_registered(row.mobile):
        raise _already_registered()
    if number and Person.objects.filter(id_number=number).exists():
        raise _id_taken()
    result = realname.verifier().verify(name, number)
    if result.outcome == "failed":
        raise _verification_failed(result)
    try:
        with transaction.atomic():
            _use(row)
            person = services.person_register(
                actor=None, name=name, id_number=number, mobile=row.mobile, verification=result
            )
            _verification_audit(result, person)
            user = services.applicant_account_create(actor=None, username=None, password=None, person=person)
            audit_record(
                actor=user,
                action="resident.register",
                obj=user,
                data={
                    "person": person.pk,
                    "terms": TERMS_VERSION,
                    "verification": result.outcome,
                    "level": person.verification_level,
                },
            )
    except IntegrityError as exc:  # the same number registered concurrently: the unique index refuses
        raise _id_taken() from exc
    return user
