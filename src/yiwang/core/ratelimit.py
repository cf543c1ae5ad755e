"""Atomic attempt counting in fixed windows (see ``core.models.AttemptCounter``).

``attempt(key, limit=, window=)`` counts one attempt and says whether it is within the limit; an attempt
over the limit is not counted. ``refund`` gives one back (e.g. a correct guess that should not use up the
allowance). Windows are aligned to the epoch, so every process agrees on them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import AttemptCounter


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
