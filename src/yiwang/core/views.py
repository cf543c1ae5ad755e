from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
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


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(
        request, 500, "server_error", _("Something went wrong on our side. Please try again later.")
    )
