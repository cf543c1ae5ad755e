from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
    except Exception:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def error_page(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"code": code, "message": message, "fields": {}}, status=status)
    return render(request, "core/error.html", {"status": status, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return error_page(request, 400, "invalid", _("The request could not be understood."))


def forbidden(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return error_page(request, 403, "forbidden", _("You are not allowed to see this page."))


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return error_page(request, 404, "not_found", _("The page you asked for does not exist."))


def plain_error_page(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    """An error page that reads nothing from the request (no session, user or menu, so no database):
    what the server answers when the fault is the database itself."""
    if _wants_json(request):
        response: HttpResponse = JsonResponse({"code": code, "message": message, "fields": {}}, status=status)
    else:
        site_name = settings.YIWANG_SITE_NAME or _("Yiwang Government Services")
        html = render_to_string(
            "core/error_plain.html",
            {"status": status, "message": message, "site_name": site_name, "retry": status == 503},
        )
        response = HttpResponse(html, status=status)
    if status == 503:
        response["Retry-After"] = "60"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 when the database cannot be reached (Django calls this while handling the error)."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return plain_error_page(
            request,
            503,
            "unavailable",
            _("The service is temporarily unavailable: its database cannot be reached."),
        )
    return plain_error_page(
        request, 500, "server_error", _("Something went wrong on our side. Please try again later.")
    )
