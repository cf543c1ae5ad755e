"""Atomic attempt counting in fixed windows (see ``core.models.AttemptCounter``).

``attempt(key, limit=, window=)`` counts one attempt and says whether it is within the limit; an attempt
over the limit is not counted. ``refund`` gives one back (e.g. a correct guess that should not use up the
allowance). Windows are aligned to the epoch, so every process agrees on them.
"""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import RateLimited
from .middleware import client_ip
from .models import AttemptCounter

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from django.http import HttpRequest


def _window(window: int) -> datetime:
    if window == DAY:  # a calendar day in the platform's time zone, so "per day" means what people mean
        midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        return midnight.astimezone(UTC)
    now = timezone.now().timestamp()
    return datetime.fromtimestamp(now - now % window, tz=UTC)


DAY = 86400  # ``window=DAY``: the local calendar day


def attempt(key: str, *, limit: int, window: int) -> bool:
    """Count one attempt of ``key`` in the current window of ``window`` seconds (``DAY``: the local
    calendar day); False (and not counted) once ``limit`` attempts are counted."""
    start = _window(window)
    expires = start + timedelta(seconds=window)
    for _retry in range(3):
        counted = AttemptCounter.objects.filter(key=key, window_start=start, count__lt=limit).update(
            count=F("count") + 1
        )
        if counted:
            return True
        if AttemptCounter.objects.filter(key=key, window_start=start).exists():
            return False
        try:
            with transaction.atomic():
                AttemptCounter.objects.create(key=key, window_start=start, count=0, expires_at=expires)
        except IntegrityError:
            pass  # another request created it first: count on it
    return False


def attempts(key: str, *, window: int) -> int:
    row = AttemptCounter.objects.filter(key=key, window_start=_window(window)).values_list("count", flat=True)
    return next(iter(row), 0)


def refund(key: str, *, window: int) -> None:
    AttemptCounter.objects.filter(key=key, window_start=_window(window), count__gt=0).update(
        count=F("count") - 1
    )


def purge_expired() -> int:
    """Delete counters of past windows (run periodically)."""
    return AttemptCounter.objects.filter(expires_at__lt=timezone.now()).delete()[0]


def guess(
    *,
    scope: str,
    target: str,
    guessers: Sequence[str],
    check: Callable[[], bool],
    per_guesser: int,
    per_target: int,
    under_attack: int,
    window: int = 3600,
) -> bool:
    """One guess of a secret that unlocks ``target`` (a case's last 4 characters …), limited by who guesses
    as well as by what is guessed, so that nobody can lock the owner out (docs/adr/0055).

    - Each guesser (its address, its session …: the caller names them) has ``per_guesser`` wrong guesses
      per window across every target of ``scope``; a guesser over it is refused (``RateLimited``) before
      the secret is compared.
    - Wrong guesses at one target are counted too. Once a target has ``per_target`` of them (it is under
      attack, from many addresses), each guesser has only ``under_attack`` wrong guesses at that target.
    - A right answer is never counted against anyone and never refused because of the *target's* count:
      only the guesser's own wrong guesses can stop it.

    Counting happens before the comparison (atomically, ``attempt``), so concurrent guesses cannot pass a
    limit together; a right answer gives its attempts back. True for a right answer, False for a wrong one.
    """
    counted: list[str] = []

    def refuse() -> RateLimited:
        for key in counted:
            refund(key, window=window)
        return RateLimited(_("Too many wrong attempts. Try again in an hour."))

    names = [g for g in dict.fromkeys(guessers) if g]
    for g in names:
        key = f"{scope}:by:{g}"
        if not attempt(key, limit=per_guesser, window=window):
            raise refuse()
        counted.append(key)
    target_key = f"{scope}:at:{target}"
    if attempts(target_key, window=window) >= per_target:
        for g in names:
            key = f"{scope}:at:{target}:by:{g}"
            if not attempt(key, limit=under_attack, window=window):
                raise refuse()
            counted.append(key)
    if check():
        for key in counted:
            refund(key, window=window)
        return True
    attempt(target_key, limit=2**31 - 1, window=window)
    return False


def guessers(request: HttpRequest) -> list[str]:
    """Who is guessing, as ``guess`` counts them: the client's address (an IPv6 address by its /64, which
    one subscriber holds whole) and the session when there is one (several people behind one address keep
    their own allowance only through the address's; the session cannot be shed to gain guesses)."""
    out = []
    ip = client_ip(request)
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        address = None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is None:
        out.append("net:" + str(ipaddress.ip_network(f"{address}/64", strict=False)))
    elif address is not None:
        out.append(
            f"ip:{address.ipv4_mapped or address}"
            if isinstance(address, ipaddress.IPv6Address)
            else f"ip:{address}"
        )
    else:
        out.append("ip:unknown")
    session = getattr(request, "session", None)
    key = getattr(session, "session_key", None)
    if key:
        out.append(f"session:{key}")
    return out
