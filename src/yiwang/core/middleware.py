from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import DataError
from django.template.defaultfilters import filesizeformat
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


class RequestSizeMiddleware:
    """Refuse a request body larger than ``REQUEST_MAX_BYTES`` from its Content-Length, before anything
    reads it (413, with a message): a 200 MB upload must not be read, parsed or spooled at all. Within the
    limit, Django streams files above ``FILE_UPLOAD_MAX_MEMORY_SIZE`` to temporary files, and each file is
    refused by its size before it is read (``cases.uploads.read_upload``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = int(settings.REQUEST_MAX_BYTES)
        if length > limit:
            log.info("request body of %d bytes refused on %s", length, request.path)
            response = error_page(
                request,
                413,
                "too_large",
                _("The request is %(size)s; at most %(limit)s can be sent at once.")
                % {"size": filesizeformat(length), "limit": filesizeformat(limit)},
            )
            response["Connection"] = "close"
            return response
        return self.get_response(request)
