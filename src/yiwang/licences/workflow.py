"""A licence's lifecycle as a table, no I/O: what each event does to its status and its signed content.

    issue → active ─suspend→ suspended ─reinstate→ active
    active | suspended ─revoke (吊销)→ revoked;  active | suspended ─cancel (注销)→ cancelled
    active ─change (变更) | renew (延续)→ active, with a new signed version (version + 1)

Revoked and cancelled are final. Only ``issue``, ``change`` and ``renew`` write a new signed version (a new
identifier version, 001 … 999); the others are status events on the same version.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ACTIVE, SUSPENDED, REVOKED, CANCELLED = "active", "suspended", "revoked", "cancelled"
STATUSES = {
    ACTIVE: pgettext_lazy("licence status", "Valid"),
    SUSPENDED: pgettext_lazy("licence status", "Suspended"),
    REVOKED: pgettext_lazy("licence status", "Revoked"),
    CANCELLED: pgettext_lazy("licence status", "Cancelled"),
}
FINAL = frozenset({REVOKED, CANCELLED})


@dataclass(frozen=True)
class Event:
    name: str
    label: object
    sources: frozenset[str]
    target: str
    new_version: bool
    needs_reason: bool


EVENTS = {
    e.name: e
    for e in (
        Event("issue", _("Issue"), frozenset({""}), ACTIVE, True, False),
        Event("change", _("Change (变更)"), frozenset({ACTIVE}), ACTIVE, True, True),
        Event("renew", _("Renewal (延续)"), frozenset({ACTIVE}), ACTIVE, True, False),
        Event("suspend", _("Suspension"), frozenset({ACTIVE}), SUSPENDED, False, True),
        Event("reinstate", _("Reinstatement"), frozenset({SUSPENDED}), ACTIVE, False, True),
        Event("revoke", _("Revocation (吊销)"), frozenset({ACTIVE, SUSPENDED}), REVOKED, False, True),
        Event("cancel", _("Cancellation (注销)"), frozenset({ACTIVE, SUSPENDED}), CANCELLED, False, True),
    )
}


def allowed(event: str, status: str) -> bool:
    e = EVENTS.get(event)
    return e is not None and status in e.sources


def available(status: str) -> list[Event]:
    return [e for e in EVENTS.values() if status in e.sources]
