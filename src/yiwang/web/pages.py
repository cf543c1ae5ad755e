"""Page-side enforcement of the access functions."""

from __future__ import annotations

import functools
import mimetypes
import os.path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.http import HttpResponse

from yiwang.accounts.access import ensure

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest


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


DOWNLOAD_TYPES = {
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv; charset=utf-8",
}


def file_download(data: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """Bytes as a file the browser saves (or shows, ``inline``), typed by the name's extension."""
    ext = os.path.splitext(filename)[1].lower()
    kind = DOWNLOAD_TYPES.get(ext) or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = HttpResponse(data, content_type=kind)
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "").replace("?", "_")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = (
        f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
