"""Two factors for staff (docs/rules.md §9, docs/adr/0013): a TOTP authenticator enrolled with a QR code,
ten recovery codes shown once, required for every staff account when ``STAFF_TWO_FACTOR`` is on (the
production settings), each enrolment, use and failure audited, guesses limited."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.core import ratelimit
from yiwang.core.errors import Conflict, RateLimited, ServiceError

from .access import is_staff_user
from .models import TotpDevice, User

SESSION_KEY = "_yw_2fa"
ATTEMPTS, ATTEMPT_WINDOW = 5, 900
RECOVERY_CODES = 10
ISSUER = "Yiwang"


def required(user: object) -> bool:
    return bool(getattr(settings, "STAFF_TWO_FACTOR", False)) and is_staff_user(user)  # type: ignore[arg-type]


def confirmed_device(user: User) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def _digest(code: str) -> str:
    return hashlib.sha256(code.strip().upper().replace("-", "").encode()).hexdigest()


def enrolment_start(*, user: User) -> TotpDevice:
    """A new (unconfirmed) secret for the user, replacing an unconfirmed one; a confirmed device stays."""
    if confirmed_device(user) is not None:
        raise Conflict(_("An authenticator is already set up for this account."), code="enrolled")
    device, _created = TotpDevice.objects.update_or_create(
        user=user, defaults={"secret": pyotp.random_base32(), "confirmed_at": None, "last_step": 0}
    )
    return device


def pending_device(user: User) -> TotpDevice:
    """The unconfirmed device being set up (started on the first visit of the set-up page)."""
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    return device or enrolment_start(user=user)


def provisioning_uri(device: TotpDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.username, issuer_name=ISSUER)


def qr_svg(device: TotpDevice) -> str:
    return str(segno.make(provisioning_uri(device), error="m").svg_inline(scale=4))


def _limit(user: User) -> None:
    """Counts the attempt; a right code gives it back (``_passed``), so the limit counts wrong codes."""
    if not ratelimit.attempt(f"accounts:2fa:{user.pk}", limit=ATTEMPTS, window=ATTEMPT_WINDOW):
        raise RateLimited(_("Too many wrong codes. Wait 15 minutes and try again."))


def _passed(user: User) -> None:
    ratelimit.refund(f"accounts:2fa:{user.pk}", window=ATTEMPT_WINDOW)


def _step(device: TotpDevice, code: str) -> int | None:
    """The time step the code belongs to (now, or one step either side for clock drift), or None."""
    code = (code or "").strip().replace(" ", "")
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(device.secret)
    now = int(time.time())
    for offset in (0, -30, 30):
        at = now + offset
        if hmac.compare_digest(totp.at(at), code):
            return at // 30
    return None


def _failed(user: User, action: str) -> ServiceError:
    audit_record(actor=user, action=action, obj=user, outcome="failed")
    return ServiceError(
        _("The code is not right. Check the time on your phone and try again."),
        fields={"code": _("Wrong code.")},
    )


def enrolment_confirm(*, user: User, code: str) -> list[str]:
    """Confirm the new authenticator with a code from it; returns the recovery codes (shown once)."""
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    if device is None:
        raise Conflict(_("Start setting up an authenticator first."), code="not_started")
    _limit(user)
    step = _step(device, code)
    if step is None:
        raise _failed(user, "auth.2fa_enrol")
    codes = [f"{secrets.token_hex(2)}-{secrets.token_hex(2)}".upper() for _ in range(RECOVERY_CODES)]
    with transaction.atomic():
        device.confirmed_at, device.last_step = timezone.now(), step
        device.recovery_codes = [_digest(c) for c in codes]
        device.save()
        audit_record(actor=user, action="auth.2fa_enrol", obj=user)
    _passed(user)
    return codes


def verify(*, user: User, code: str) -> str:
    """Check a code from the authenticator (each once) or a recovery code (each once); returns which."""
    device = confirmed_device(user)
    if device is None:
        raise Conflict(_("No authenticator is set up for this account."), code="not_enrolled")
    _limit(user)
    step = _step(device, code)
    with transaction.atomic():
        locked = TotpDevice.objects.select_for_update().get(pk=device.pk)
        if step is not None and step > locked.last_step:
            locked.last_step = step
            locked.save(update_fields=["last_step"])
            audit_record(actor=user, action="auth.2fa_verify", obj=user, data={"method": "totp"})
            _passed(user)
            return "totp"
        digest = _digest(code or "")
        if step is None and digest in locked.recovery_codes:
            locked.recovery_codes = [d for d in locked.recovery_codes if d != digest]
            locked.save(update_fields=["recovery_codes"])
            audit_record(
                actor=user,
                action="auth.2fa_verify",
                obj=user,
                data={"method": "recovery_code", "left": len(locked.recovery_codes)},
            )
            _passed(user)
            return "recovery_code"
    raise _failed(user, "auth.2fa_verify")
