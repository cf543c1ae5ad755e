"""Dual-controlled password resets (docs/adr/0011): request → approve → the owner sets the password.

Each step is one audited service. The two halves of the code are shown once, to two different
administrators; the owner needs both. A staff account's password is never set by an administrator.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.core import ratelimit
from yiwang.core.errors import Conflict, RateLimited, ServiceError

from .access import access_password_reset_approve, access_password_reset_request, ensure
from .models import PasswordReset, TotpDevice, User

if TYPE_CHECKING:
    from collections.abc import Sequence

RESET_VALID = timedelta(hours=24)
OWNER_ATTEMPTS_PER_HOUR = 5
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over the phone


def _half() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(8))


def _digest(half: str) -> str:
    return hashlib.sha256(half.strip().upper().replace("-", "").replace(" ", "").encode()).hexdigest()


def password_reset_request(*, actor: User, user: User, reason: str) -> tuple[PasswordReset, str]:
    """The security administrator opens a reset for ``user``; returns it and the first half (shown once)."""
    ensure(access_password_reset_request(actor, user), user=actor, action="password_reset.request", obj=user)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why the password is reset."), fields={"reason": _("Required.")})
    if PasswordReset.objects.filter(user=user, state__in=["requested", "approved"]).exists():
        raise Conflict(_("A reset of this account is already open."), code="open_reset")
    half = _half()
    with transaction.atomic():
        reset = PasswordReset.objects.create(
            user=user, reason=reason[:200], requested_by=actor, first_half=_digest(half)
        )
        audit_record(actor=actor, action="password_reset.request", obj=user, data={"reset": reset.pk})
    return reset, half


def password_reset_approve(*, actor: User, reset: PasswordReset) -> tuple[PasswordReset, str]:
    """A second administrator approves; returns the reset and the second half (shown once)."""
    ensure(
        access_password_reset_approve(actor, reset),
        user=actor,
        action="password_reset.approve",
        obj=reset.user,
    )
    if reset.state != PasswordReset.State.REQUESTED:
        raise Conflict(_("This reset is not waiting for approval."), code="state")
    half = _half()
    with transaction.atomic():
        reset.state = PasswordReset.State.APPROVED
        reset.approved_by, reset.approved_at = actor, timezone.now()
        reset.expires_at = reset.approved_at + RESET_VALID
        reset.second_half = _digest(half)
        reset.save()
        audit_record(actor=actor, action="password_reset.approve", obj=reset.user, data={"reset": reset.pk})
    return reset, half


def password_reset_cancel(*, actor: User, reset: PasswordReset) -> PasswordReset:
    ensure(
        access_password_reset_request(actor, reset.user) or access_password_reset_approve(actor, reset),
        user=actor,
        action="password_reset.cancel",
        obj=reset.user,
    )
    if reset.state not in (PasswordReset.State.REQUESTED, PasswordReset.State.APPROVED):
        raise Conflict(_("This reset is already closed."), code="state")
    with transaction.atomic():
        reset.state = PasswordReset.State.CANCELLED
        reset.save(update_fields=["state"])
        audit_record(actor=actor, action="password_reset.cancel", obj=reset.user, data={"reset": reset.pk})
    return reset


def _wrong() -> ServiceError:
    return ServiceError(
        _("The account name or one of the two codes is wrong, or the reset has expired."),
        code="invalid_reset",
        fields={"codes": _("Check both codes.")},
    )


def password_reset_complete(*, username: str, first: str, second: str, password: str) -> User:
    """The owner sets the new password with both halves (the page is public: the owner cannot sign in)."""
    key = f"accounts:password-reset:{(username or '').strip().lower()}"
    if not ratelimit.attempt(key, limit=OWNER_ATTEMPTS_PER_HOUR, window=3600):
        raise RateLimited(_("Too many attempts. Try again in an hour."))
    reset = (
        PasswordReset.objects.select_related("user")
        .filter(user__username=(username or "").strip(), state=PasswordReset.State.APPROVED)
        .first()
    )
    if reset is None or reset.expires_at is None or reset.expires_at <= timezone.now():
        raise _wrong()
    if not (
        hmac.compare_digest(reset.first_half, _digest(first))
        and hmac.compare_digest(reset.second_half, _digest(second))
    ):
        raise _wrong()
    user = reset.user
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError(
            " ".join(exc.messages), code="weak_password", fields={"password": " ".join(exc.messages)}
        ) from exc
    with transaction.atomic():
        user.set_password(password)  # signs out every session of the account (its auth hash changes)
        user.save(update_fields=["password"])
        reset.state, reset.used_at = PasswordReset.State.USED, timezone.now()
        reset.save(update_fields=["state", "used_at"])
        # A reset is also how a lost phone is replaced: the authenticator goes, a new one is set up next.
        removed, _rows = TotpDevice.objects.filter(user=user).delete()
        audit_record(
            actor=user,
            action="password_reset.complete",
            obj=user,
            data={"reset": reset.pk, "authenticator_removed": bool(removed)},
        )
    ratelimit.refund(key, window=3600)
    return user


def open_resets() -> Sequence[PasswordReset]:
    return list(PasswordReset.objects.filter(state__in=["requested", "approved"]).select_related("user"))
