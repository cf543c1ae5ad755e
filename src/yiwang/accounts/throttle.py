"""Sign-in throttling that an attacker cannot turn against the account's owner (docs/adr/0012).

- **Per account, unknown devices:** django-axes locks an account for 15 minutes after 5 consecutive
  failures (docs/rules.md §9) — but only for attempts from devices the owner has not signed in from.
- **Known devices:** a browser the owner signed in from carries a signed cookie naming the account;
  its attempts are not locked by axes (an attacker elsewhere cannot lock the owner out), only capped.
- **Per account, however spread:** at most ``LOGIN_ACCOUNT_FAILURES_PER_HOUR`` (100) failures in any
  60 minutes, from anywhere, counted from the audit trail's ``auth.login_failed`` events (a sliding
  window: no boundary lets 200 through in two minutes); beyond it every attempt is refused.
- **Per address:** at most ``LOGIN_ADDRESS_FAILURES`` failures in a 15-minute window from one address
  (a password spray across many accounts); then that address waits. A hall's windows share one NAT
  address, so the limit is far above what typing mistakes reach.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.utils import timezone

from yiwang.audit.models import AuditEvent
from yiwang.core import ratelimit

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

DEVICE_COOKIE = "yw_device"
DEVICE_SALT = "yiwang.accounts.known-device"
DEVICE_DAYS = 180
ADDRESS_WINDOW = 900


def _norm(username: str) -> str:
    return (username or "").strip().lower()[:150]


def _devices(request: HttpRequest) -> list[str]:
    raw = request.COOKIES.get(DEVICE_COOKIE, "")
    if not raw:
        return []
    try:
        value = signing.loads(raw, salt=DEVICE_SALT, max_age=DEVICE_DAYS * 86400)
    except signing.BadSignature:
        return []
    return [str(u) for u in value] if isinstance(value, list) else []


def known_device(request: HttpRequest | None, username: str) -> bool:
    return request is not None and _norm(username) in _devices(request)


def remember_device(request: HttpRequest, response: HttpResponse, username: str) -> None:
    """After a successful sign-in: this browser is one of the account's known devices (up to 5 accounts)."""
    names = [*[n for n in _devices(request) if n != _norm(username)][-4:], _norm(username)]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(names, salt=DEVICE_SALT),
        max_age=DEVICE_DAYS * 86400,
        httponly=True,
        secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
        samesite="Lax",
    )


def axes_whitelisted(request: HttpRequest | None, credentials: dict[str, Any] | None) -> bool:
    """``AXES_WHITELIST_CALLABLE``: attempts from the owner's known device are not locked by axes."""
    return known_device(request, str((credentials or {}).get("username", "")))


def account_failures_last_hour(username: str) -> int:
    since = timezone.now() - timedelta(hours=1)
    return AuditEvent.objects.filter(
        action="auth.login_failed", object_type="accounts.user", object_id=_norm(username)[:64], at__gt=since
    ).count()


def account_over_cap(username: str) -> bool:
    return account_failures_last_hour(username) >= int(settings.LOGIN_ACCOUNT_FAILURES_PER_HOUR)


def _address_key(address: str) -> str:
    return f"accounts:login-failures:{address}"


def address_blocked(address: str) -> bool:
    limit = int(settings.LOGIN_ADDRESS_FAILURES)
    return ratelimit.attempts(_address_key(address), window=ADDRESS_WINDOW) >= limit


def address_failure(address: str) -> None:
    ratelimit.attempt(
        _address_key(address), limit=int(settings.LOGIN_ADDRESS_FAILURES), window=ADDRESS_WINDOW
    )
