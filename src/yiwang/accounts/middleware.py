"""Idle (30 min) and absolute (12 h) session lifetimes, docs/rules.md §9."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import twofactor

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


# Pages a signed-in staff member may open before the second factor: the factor's own pages, signing out,
# the language switch, static files and the health check.
SECOND_FACTOR_OPEN = ("/account/2fa/", "/logout/", "/i18n/", "/static/", "/healthz")


class TwoFactorMiddleware:
    """With ``STAFF_TWO_FACTOR`` on, a staff session does nothing until its second factor is checked
    (docs/adr/0013): pages redirect to it, the API answers 403. Bearer-token system accounts are not
    sessions and are not affected."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and twofactor.required(user)
            and not request.session.get(twofactor.SESSION_KEY)
            and not request.path.startswith(SECOND_FACTOR_OPEN)
        ):
            if request.path.startswith("/api/"):
                message = _("Confirm your second factor first.")
                return JsonResponse({"code": "second_factor", "message": message, "fields": {}}, status=403)
            return redirect(f"{reverse('portal:two_factor')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
