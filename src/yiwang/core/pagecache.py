"""Whole public pages for anonymous visitors, kept in process memory (docs/adr/0016).

``@anonymous_page(names)`` wraps a GET view (inside its access check): for a visitor with no session
cookie it serves the page rendered earlier for the same host, path, query string and language, as long
as the named generations (``core.generations``) have not moved and the page is younger than
``max_age``. The per-visitor part of a public page is its CSRF token (the language form, htmx's
header): the stored page keeps a marker where the token was, and each answer gets the visitor's own
token (``get_token``, which also sets the CSRF cookie as usual). Anything else that differs between
visitors — a signed-in user, flash messages, a non-200 answer, a response that sets other cookies — is
never stored. The generations are read at most once a second per process, so a publication reaches
every process's pages within a second, without a query per page.
"""

from __future__ import annotations

import functools
import re
import threading
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import (  # type: ignore[attr-defined]
    CSRF_TOKEN_LENGTH,
    _unmask_cipher_token,
    get_token,
)
from django.utils.translation import get_language

from . import generations

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest

MAX_PAGES = 2000  # per process; the least recently used page goes first
GENERATION_SECONDS = 1.0

_lock = threading.Lock()
_pages: OrderedDict[tuple[Any, ...], tuple[tuple[int, ...], float, str, list[bytes]]] = OrderedDict()
_gens: dict[tuple[str, ...], tuple[float, tuple[int, ...]]] = {}


def clear() -> None:
    with _lock:
        _pages.clear()
        _gens.clear()


def _bumped(name: str) -> None:
    for names in list(_gens):
        if name in names:
            _gens.pop(names, None)


generations.on_bump(_bumped)


def _generation(names: tuple[str, ...]) -> tuple[int, ...]:
    now = time.monotonic()
    seen = _gens.get(names)
    if seen is not None and now - seen[0] < GENERATION_SECONDS:
        return seen[1]
    value = generations.read(names)
    _gens[names] = (now, value)
    return value


def _anonymous(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not getattr(request, "_messages", None)
    )


def _storable(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.has_header("Content-Disposition"):
        return False
    return all(name == settings.CSRF_COOKIE_NAME for name in response.cookies)


_TOKEN = re.compile(rb"[A-Za-z0-9]{%d}" % CSRF_TOKEN_LENGTH)


def _split_tokens(content: bytes, secret: str | None) -> list[bytes] | None:
    """The page cut where the visitor's CSRF tokens were (each a masking of ``secret``); None when a
    token-like value of the secret cannot be told apart safely."""
    if not secret:
        return [content]
    parts: list[bytes] = []
    last = 0
    for m in _TOKEN.finditer(content):
        if _unmask_cipher_token(m.group().decode()) == secret:
            parts.append(content[last : m.start()])
            last = m.end()
    parts.append(content[last:])
    return parts


def anonymous_page(
    names: tuple[str, ...], max_age: float = 300.0, *, with_query: bool = True
) -> Callable[[Any], Any]:
    """Serve the view's page from memory for anonymous visitors (see the module docstring).
    ``with_query=False``: only the page without a query string is kept (a lookup's answer never is)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if (
                not _anonymous(request)
                or not getattr(settings, "PAGE_CACHE", True)
                or (not with_query and request.GET)
            ):
                return view(request, *args, **kwargs)
            key = (
                view.__module__,
                view.__qualname__,
                request.get_host(),
                request.get_full_path(),
                get_language(),
            )
            gen = _generation(names)
            now = time.monotonic()
            with _lock:
                row = _pages.get(key)
                if row is not None:
                    _pages.move_to_end(key)
            if row is not None and row[0] == gen and now - row[1] < max_age:
                token = get_token(request).encode()
                response = HttpResponse(token.join(row[3]), content_type=row[2])
                response["X-Page-Cache"] = "hit"
                return response
            response = view(request, *args, **kwargs)
            if _storable(response):
                parts = _split_tokens(response.content, request.META.get("CSRF_COOKIE"))
                if parts is not None:
                    with _lock:
                        _pages[key] = (gen, now, response["Content-Type"], parts)
                        while len(_pages) > MAX_PAGES:
                            _pages.popitem(last=False)
            return response

        return wrapped

    return decorate
