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


_current: contextvars.ContextVar[RequestInfo] = contextvars.ContextVar("yiwang_request", default=RequestInfo())


def current() -> RequestInfo:
    return _current.get()


def set_current(info: RequestInfo) -> contextvars.Token[RequestInfo]:
    return _current.set(info)


def reset(token: contextvars.Token[RequestInfo]) -> None:
    _current.reset(token)
