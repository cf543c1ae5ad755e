"""Settings and URLs for bench/booking.py: the platform plus the framework floor (not used elsewhere).

- ``POST /bench/floor/<slot>``: a minimal Django view, served by the same server, middleware and database
  connections as the platform, that does only the bare conditional ``UPDATE`` of a one-place slot
  (201 when it took the place, 409 when the slot was full).
"""

from __future__ import annotations

from typing import Any

from yiwang.config.settings.local import *  # noqa: F403

ROOT_URLCONF = "booking_site"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DEBUG = False
FLOOR_TABLE = "bench_framework_slot"


def __getattr__(name: str) -> Any:
    """``urlpatterns`` is built on first use (after Django is set up), from the platform's own URLs."""
    if name != "urlpatterns":
        raise AttributeError(name)
    from django.db import connection
    from django.http import HttpRequest, JsonResponse
    from django.urls import path
    from django.views.decorators.csrf import csrf_exempt

    from yiwang.config.urls import urlpatterns as platform

    @csrf_exempt
    def floor(request: HttpRequest, slot: int) -> JsonResponse:
        with connection.cursor() as cur:
            cur.execute(
                f"UPDATE {FLOOR_TABLE} SET booked = booked + 1 WHERE id = %s AND booked < capacity",
                [slot],
            )
            taken = cur.rowcount == 1
        return JsonResponse({"code": "booked" if taken else "full"}, status=201 if taken else 409)

    patterns = [path("bench/floor/<int:slot>", floor), *platform]
    globals()["urlpatterns"] = patterns
    return patterns
