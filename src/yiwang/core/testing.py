"""Test-only helpers: a middleware that records response bodies leaking full IDs or mobiles.

Used by the masking scan (tests/test_masking_scan.py): every response of the whole suite goes
through it; a response may carry a full number only when the view marked it as an audited
unmasking with the ``X-Pii-Unmasked`` header.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .masking import MOBILE_RE, RESIDENT_ID_RE
from .validators import is_resident_id

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest, HttpResponse

LEAKS: list[str] = []


def find_leaks(text: str) -> list[str]:
    found = [m for m in RESIDENT_ID_RE.findall(text) if is_resident_id(m)]
    found += MOBILE_RE.findall(text)
    return found


class PiiLeakRecorderMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.headers.get("X-Pii-Unmasked") or getattr(response, "streaming", False):
            return response
        ctype = response.headers.get("Content-Type", "")
        if ctype.startswith(("text/", "application/json")):
            body = response.content.decode("utf-8", "replace")
            for leak in find_leaks(body):
                LEAKS.append(f"{request.method} {request.path}: {leak}")
        return response
