"""Page-side enforcement of the access functions."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from yiwang.accounts.access import ensure

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest, HttpResponse


def require(predicate: Callable[[Any], bool], *, action: str) -> Callable[..., Any]:
    """Decorate a view: 403 (and a ``denied`` audit event) unless ``predicate(request.user)``."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            ensure(predicate(request.user), user=request.user, action=action)
            return view(request, *args, **kwargs)

        wrapper.access_action = action  # type: ignore[attr-defined]
        return wrapper

    return decorator
