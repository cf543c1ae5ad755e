"""The current request's actor and client address, for audit events written deep inside services.

Services take ``actor`` explicitly; the IP address is ambient (it belongs to the request, not
to the business operation) and is kept in a context variable set by the middleware.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    ip: str = ""
    user_agent: str = ""
    channel: str = "system"  # web, api, admin, cli, system


_EMPTY = RequestInfo()
_current: contextvars.ContextVar[RequestInfo | None] = contextvars.ContextVar("yiwang_request", default=None)


def current() -> RequestInfo:
    return _current.get() or _EMPTY


def set_current(info: RequestInfo) -> contextvars.Token[RequestInfo | None]:
    return _current.set(info)


def reset(token: contextvars.Token[RequestInfo | None]) -> None:
    _current.reset(token)
