"""Idle (30 min) and absolute (12 h) session lifetimes, docs/rules.md §9."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest, HttpResponse

AUTH_AT = "_yw_auth_at"
SEEN_AT = "_yw_seen_at"


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            auth_at = float(session.get(AUTH_AT, now))
            seen_at = float(session.get(SEEN_AT, now))
            if (
                now - seen_at > settings.SESSION_IDLE_SECONDS
                or now - auth_at > settings.SESSION_ABSOLUTE_SECONDS
            ):
                logout(request)
                messages.info(request, _("Your session has expired. Please sign in again."))
            else:
                session.setdefault(AUTH_AT, now)
                if now - seen_at > 30 or SEEN_AT not in session:
                    session[SEEN_AT] = now
        return self.get_response(request)
