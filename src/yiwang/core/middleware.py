from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import requestctx


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
