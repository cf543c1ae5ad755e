"""The registry of reviewable services (一次一评): each kind of service says how to load what was served,
when it may be reviewed, how a reviewer proves it is theirs and how each bad-review tag is checked.

Feedback registers the services that exist today — an application at acceptance and at its result, a 12345
ticket, a hall visit (a queue number served at a window). Another context registers its own from its app's
``ready()`` without any change here::

    from yiwang.feedback.reviewables import Reviewable, register
    register(Reviewable(key="disclosure", label=_("Disclosure request"), load=..., ready=..., ...))

docs/adr/0120-reviews-and-reviewable-services.md says why a registry and not a generic foreign key.
"""

from __future__ import annotations

import functools
import hmac
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.applications import selectors as applications
from yiwang.cases import selectors as kernel
from yiwang.cases.access import access_case_party
from yiwang.halls import selectors as halls
from yiwang.hotline import selectors as hotline

from . import checks
from .vocabulary import BAD_TAGS

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

    from yiwang.accounts.access import Visitor
    from yiwang.accounts.models import Department, Hall, Office, Person, Street, User, Window
    from yiwang.cases.models import Case


@dataclass
class Served:
    """What was served, as a review records it (denormalised for the figures)."""

    ref: str
    label: str
    office: Office
    department: Department | None = None
    hall: Hall | None = None
    street: Street | None = None
    clerk: User | None = None
    window: Window | None = None
    item_code: str = ""
    item_name: str = ""
    case: Case | None = None
    person: Person | None = None
    subject: Any = None  # the loaded object itself (a case, a queue ticket)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Reviewable:
    key: str
    label: Any
    # The service for a subject id (None: no such thing).
    load: Callable[[int], Served | None]
    # None when it may be reviewed now, otherwise why not.
    ready: Callable[[Served], Any]
    # A signed-in reviewer who is the service's applicant.
    is_applicant: Callable[[Visitor, Served], bool]
    # The holder of the service's code (the code printed on the notice or the number's page).
    code_ok: Callable[[Served, str], bool]
    # The automatic checks of the bad-review tags: {tag: CheckResult}.
    check: Callable[[Served, list[str], int | None], dict[str, checks.CheckResult]]


_REGISTRY: dict[str, Reviewable] = {}


def register(service: Reviewable) -> Reviewable:
    _REGISTRY[service.key] = service
    return service


def unregister(key: str) -> None:
    _REGISTRY.pop(key, None)


def reviewable(key: str) -> Reviewable | None:
    return _REGISTRY.get(key)


def reviewables() -> list[Reviewable]:
    return list(_REGISTRY.values())


def label_of(key: str) -> str:
    r = _REGISTRY.get(key)
    return str(r.label) if r is not None else key


# --- applications (办件): at acceptance and at the result -------------------------------------------

APPLICATION_ACCEPTANCE, APPLICATION_RESULT, HOTLINE, HALL_VISIT = (
    "application.acceptance",
    "application.result",
    "hotline",
    "hall_visit",
)
ACCEPTED_OR_LATER = frozenset(
    {
        "accepted",
        "under_review",
        "suspended",
        "rejection_pending",
        "approved",
        "rejected",
        "result_ready",
        "delivered",
        "closed",
        "not_accepted",
        "terminated",
    }
)
DECIDED = frozenset(
    {"approved", "rejected", "result_ready", "delivered", "closed", "not_accepted", "terminated"}
)


def _application(case_id: int) -> Served | None:
    case = applications.application_get(case_id)
    if case is None:
        return None
    app = case.application
    tickets = halls.tickets_for_case(case.pk)
    served_at = next((t for t in tickets if t.window_id), None)
    hall = app.receiving_hall
    return Served(
        ref=case.number or str(case.pk),
        label=f"{case.number or ''} {app.item.name}",
        office=case.owning_office,
        department=case.owning_office.department,
        hall=hall,
        street=hall.street if hall is not None else case.owning_office.street,
        clerk=case.received_by if case.received_by_id else (served_at.clerk if served_at else None),
        window=served_at.window if served_at else None,
        item_code=app.item.code,
        item_name=app.item.name,
        case=case,
        person=case.applicant_person,
        subject=case,
        extra={"tickets": tickets},
    )


def _application_ready(stage: str) -> Callable[[Served], Any]:
    def ready(s: Served) -> Any:
        assert s.case is not None
        wanted = ACCEPTED_OR_LATER if stage == "acceptance" else DECIDED
        if s.case.status in wanted:
            return None
        if stage == "acceptance":
            return _("This application has not been accepted yet: rate it once it is.")
        return _("This application has no result yet: rate it once it has.")

    return ready


def _case_party(user: Visitor, s: Served) -> bool:
    return s.case is not None and access_case_party(user, s.case)


def _application_code(s: Served, code: str) -> bool:
    token = getattr(getattr(s.case, "application", None), "public_token", "") or ""
    return bool(token) and hmac.compare_digest(token.upper(), (code or "").strip().upper())


def _check_application(
    s: Served, tags: list[str], exclude: int | None, *, stage: str
) -> dict[str, checks.CheckResult]:
    return checks.check_application(s, tags, stage=stage, exclude_id=exclude)


for _stage, _key, _label in (
    ("acceptance", APPLICATION_ACCEPTANCE, _("Application, at acceptance")),
    ("result", APPLICATION_RESULT, _("Application, at the result")),
):
    register(
        Reviewable(
            key=_key,
            label=_label,
            load=_application,
            ready=_application_ready(_stage),
            is_applicant=_case_party,
            code_ok=_application_code,
            check=functools.partial(_check_application, stage=_stage),
        )
    )


# --- 12345 tickets ---------------------------------------------------------------------------------


def _hotline(case_id: int) -> Served | None:
    case = hotline.ticket_case(case_id)
    if case is None:
        return None
    t = case.ticket
    return Served(
        ref=case.number or str(case.pk),
        label=f"{case.number or ''} {case.title}",
        office=case.owning_office,
        department=case.owning_office.department,
        street=t.street,
        item_code="",
        item_name=t.category.label(),
        case=case,
        person=case.applicant_person,
        subject=case,
        extra={"phone_last4": t.phone_last4},
    )


def _hotline_ready(s: Served) -> Any:
    assert s.case is not None
    if s.case.status in {"replied", "unsatisfied", "closed"}:
        return None
    return _("This ticket has not been answered yet: rate it once it is.")


def _hotline_code(s: Served, code: str) -> bool:
    last4 = str(s.extra.get("phone_last4") or "")
    return bool(last4) and hmac.compare_digest(last4, (code or "").strip())


register(
    Reviewable(
        key=HOTLINE,
        label=_("12345 hotline ticket"),
        load=_hotline,
        ready=_hotline_ready,
        is_applicant=_case_party,
        code_ok=_hotline_code,
        check=lambda s, tags, exclude: checks.check_hotline(s, tags, exclude_id=exclude),
    )
)


# --- hall visits: a queue number served at a window -----------------------------------------------------


def _visit(ticket_id: int) -> Served | None:
    t = halls.ticket_get(ticket_id)
    if t is None:
        return None
    case = kernel.case_get(t.case_id) if t.case_id else None
    office = case.owning_office if case is not None else halls.ticket_office(t)
    if office is None:
        office = checks.post_office()
    hall = t.hall
    return Served(
        ref=f"{hall.code}-{t.date:%Y%m%d}-{t.number}",
        label=f"{hall.name} {t.date:%Y-%m-%d} {t.number}",
        office=office,
        department=office.department,
        hall=hall,
        street=hall.street,
        clerk=t.clerk,
        window=t.window,
        item_code=t.item_code,
        item_name=t.category.name,
        case=case,
        person=t.person,
        subject=t,
    )


def _visit_ready(s: Served) -> Any:
    if s.subject.status == "done" and s.subject.window_id:
        return None
    return _("This number has not been served at a window yet.")


def _visit_holder(user: Visitor, s: Served) -> bool:
    t = s.subject
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    return bool(
        (t.user_id and getattr(user, "pk", None) == t.user_id)
        or (person is not None and t.person_id == person.pk)
    )


def _visit_code(s: Served, code: str) -> bool:
    return bool(code) and hmac.compare_digest(str(s.subject.token), (code or "").strip().lower())


register(
    Reviewable(
        key=HALL_VISIT,
        label=_("Hall visit"),
        load=_visit,
        ready=_visit_ready,
        is_applicant=_visit_holder,
        code_ok=_visit_code,
        check=lambda s, tags, exclude: checks.check_visit(s, tags, exclude_id=exclude),
    )
)


def today() -> date:
    return timezone.localdate()


__all__ = ["BAD_TAGS", "Reviewable", "Served", "register", "reviewable", "reviewables", "unregister"]


def resolve(service: str, ref: str) -> tuple[str, int] | None:
    """The registered service and subject for what a QR code or a form names: a queue number's code, or a
    case number (an application's stage from its status when not named; any other kind by its kind)."""
    ref = (ref or "").strip()
    if not ref:
        return None
    if service == HALL_VISIT or (not service and len(ref) == 36 and ref.count("-") == 4):
        t = halls.ticket_by_token(ref)
        return (HALL_VISIT, t.pk) if t is not None else None
    case = kernel.case_by_number(ref)
    if case is None:
        return None
    if case.kind == "application":
        if service in (APPLICATION_ACCEPTANCE, APPLICATION_RESULT):
            return service, case.pk
        return (APPLICATION_RESULT if case.status in DECIDED else APPLICATION_ACCEPTANCE), case.pk
    if case.kind in _REGISTRY:
        return case.kind, case.pk
    return None
