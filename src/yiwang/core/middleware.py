from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.db import DataError
from django.utils.translation import gettext as _

from . import requestctx
from .views import error_page

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest, HttpResponse

log = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


class RequestContextMiddleware:
    """Makes the client address and channel available to the audit log for this request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        channel = "api" if path.startswith("/api/") else "admin" if path.startswith("/admin/") else "web"
        token = requestctx.set_current(
            requestctx.RequestInfo(
                ip=client_ip(request),
                user_agent=str(request.META.get("HTTP_USER_AGENT", ""))[:200],
                channel=channel,
            )
        )
        try:
            response = self.get_response(request)
        finally:
            requestctx.reset(token)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response


class BadInputMiddleware:
    """Pages answer 400, not 500, for a value the database cannot take (a NUL character in a search
    term, a number beyond 64 bits), as the API's error handler does. Forms refuse such values first;
    this is the net under every page that reads its query string."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DataError | OverflowError):
            return None
        log.warning("bad input on %s: %s", request.path, exception)
        return error_page(
            request, 400, "invalid", _("The request contains a value that cannot be stored or searched.")
        )
