"""Events out of the kernel: ``CaseTransitioned``, delivered after the transaction commits.

Licences, reviews, credit and analytics react to a case's transitions without the kind importing them:
they subscribe here (by kind and transition, or to every transition), from their app's ``ready()``::

    @subscribe(kind="application", action="approve")
    def issue_licence(event: CaseTransitioned) -> None: ...

``case_transition`` publishes one event per transition with ``transaction.on_commit``, so a subscriber
never sees a transition that rolled back, and runs outside the transition's transaction (it must do its
own writing through its own services, which write their own audit events). A subscriber that fails is
logged and does not stop the others; work that must not be lost should be queued as a task from the
subscriber. docs/adr/0046-kernel-for-every-kind.md says why this is a small registry and not a Django
signal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CaseTransitioned:
    case_id: int
    kind: str
    number: str | None
    action: str
    from_status: str
    to_status: str
    version: int
    actor_id: int | None
    capacity: str
    data: Mapping[str, Any] = field(default_factory=dict)


Handler = Callable[[CaseTransitioned], None]
_SUBSCRIBERS: list[tuple[str | None, str | None, Handler]] = []


def subscribe(handler: Handler | None = None, *, kind: str | None = None, action: str | None = None) -> Any:
    """Register ``handler`` for the transitions of ``kind`` (every kind if None) named ``action`` (every
    transition if None). Usable as a decorator. Registering the same handler twice has no effect."""

    def add(fn: Handler) -> Handler:
        if (kind, action, fn) not in _SUBSCRIBERS:
            _SUBSCRIBERS.append((kind, action, fn))
        return fn

    return add(handler) if handler is not None else add


def unsubscribe(handler: Handler) -> None:
    _SUBSCRIBERS[:] = [s for s in _SUBSCRIBERS if s[2] is not handler]


def publish(event: CaseTransitioned) -> int:
    """Deliver now to every matching subscriber; returns how many were called."""
    n = 0
    for kind, action, fn in list(_SUBSCRIBERS):
        if kind not in (None, event.kind) or action not in (None, event.action):
            continue
        n += 1
        try:
            fn(event)
        except Exception:
            log.exception("case event subscriber %r failed on %s.%s", fn, event.kind, event.action)
    return n


def publish_on_commit(event: CaseTransitioned) -> None:
    transaction.on_commit(lambda: publish(event))
