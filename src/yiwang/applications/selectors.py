"""Reads for applications: inboxes, the approvals queue, deadlines, progress lookup and figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.core.files.storage import default_storage
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractHour, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy

from yiwang.accounts.access import has_role
from yiwang.accounts.models import Hall, User
from yiwang.accounts.roles import Role
from yiwang.cases import clockops
from yiwang.cases.access import cases_acting_q
from yiwang.cases.models import Case, CaseAttachment, CaseNote, CaseNotice, CaseParty
from yiwang.cases.selectors import case_events, party_cases_q, staff_cases
from yiwang.catalogue import selectors as catalogue
from yiwang.catalogue.models import ServiceObject
from yiwang.core import ratelimit
from yiwang.core.errors import RateLimited, ServiceError
from yiwang.credit import selectors as credit
from yiwang.halls.selectors import served_ticket
from yiwang.workdays.selectors import clock_explain, pause_labels
from yiwang.workdays.text import clock_sentence

from . import workflow as wf
from .models import Application, ApplicationMaterial, ApprovalRequest, AssistConsent, FigureRollup
from .workflow import KIND

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from yiwang.accounts.access import Visitor
    from yiwang.catalogue.models import Item
    from yiwang.halls.models import Ticket

DUE_SOON_DAYS = 3
PROGRESS_MAX_MISSES = 10  # wrong 4-character guesses per guesser, and at one case number, per hour
PROGRESS_MISSES_UNDER_ATTACK = 3  # per guesser at a case number that has had PROGRESS_MAX_MISSES


class TooManyAttempts(ServiceError):
    status = 429
    default_code = "rate_limited"


def application_get(case_id: int) -> Case | None:
    return (
        Case.objects.select_related(
            "application",
            "application__item",
            "application__item_version",
            "application__department",
            "applicant_person",
            "applicant_enterprise",
            "agent",
            "owning_office",
            "owning_office__department",
            "application__receiving_hall",
            "application__return_hall",
            "assignee",
            "received_by",
            "clock",
        )
        .filter(pk=case_id, kind=KIND)
        .first()
    )


@dataclass(frozen=True)
class InboxFilters:
    status: str = ""
    item: str = ""
    when: str = ""  # "", "overdue", "due_soon"
    q: str = ""
    show: str = ""  # "": what the user can act on now; "all": every open case in the user's scope


# Transitions that do not move a case on to its next step (side actions, or an answer the case waits for):
# a case whose only transitions open to the user are these is not "waiting for the user".
SIDE_TRANSITIONS = frozenset(
    {
        "withdraw",
        "terminate",
        "supply_materials",
        "request_extension",
        "approve_extension",
        "refuse_extension",
        "answer_correction",
        "deem_accept",
    }
)


def _next_step_statuses() -> dict[str, list[str]]:
    """Per staff capacity of the workflow, the statuses in which it takes the case's next step."""
    out: dict[str, set[str]] = {}
    for t in wf.TRANSITIONS.values():
        if t.name in SIDE_TRANSITIONS:
            continue
        for actor in t.actors:
            if actor in wf.CAPACITIES and wf.CAPACITIES[actor].staff:
                out.setdefault(actor, set()).update(t.sources)
    return {k: sorted(v) for k, v in out.items()}


def actionable_q(user: Visitor) -> Q:
    """Open applications waiting for the user's next step: in a status where a capacity the user holds on
    the case (the workflow's own resolvers) moves it on, with its clock not paused."""
    q = Q(pk__in=[])
    for capacity, statuses in _next_step_statuses().items():
        q |= cases_acting_q(user, KIND, capacity) & Q(status__in=statuses)
    # A paused clock waits for someone else (the applicant's correction, an expert, a hearing).
    return q & ~Q(clock__state="paused")


def inbox(user: Visitor, filters: InboxFilters | None = None, *, today: date | None = None) -> QuerySet[Case]:
    """Open application cases in the user's scope, sorted by time left (the earliest due first; none last):
    by default those waiting for the user's next step (``actionable_q``), all of them with ``show="all"``."""
    f = filters or InboxFilters()
    today = today or timezone.localdate()
    qs = staff_cases(user, kind=KIND)
    if f.show != "all":
        qs = qs.filter(actionable_q(user))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.item:
        qs = qs.filter(application__item__code=f.item)
    if f.q:
        qs = qs.filter(Q(number__startswith=f.q.strip()) | Q(title__contains=f.q.strip()))
    if f.when in ("overdue", "due_soon"):
        qs = qs.filter(_due_q(f.when, today))
    # 信用+政务服务: red-list applicants' cases first (fast track), then by time left.
    return (
        qs.select_related(
            "application", "application__item", "owning_office", "application__receiving_hall", "clock"
        )
        .annotate(fast_track=credit.fast_track(), stricter_review=credit.stricter_review())
        .order_by("-fast_track", F("due_date").asc(nulls_last=True), "id")
    )


def time_left(case: Case, today: date | None = None) -> tuple[int | None, str]:
    """Working days left (negative: overdue) and a colour class: bad / warn / ok / paused."""
    if case.due_date is None:
        return None, ""
    today = today or timezone.localdate()
    clock = case.clock if case.clock_id else None
    if clock is not None and clock.stopped_at is not None:
        return None, ""
    if clock is not None and clock.state == "paused":
        return clock.remaining, "paused"
    if case.due_date < today:
        return -clockops.workdays_between(case.due_date, today), "bad"
    left = clockops.workdays_between(today, case.due_date)
    return left, ("warn" if left <= DUE_SOON_DAYS else "ok")


def approvals_queue(user: Visitor) -> QuerySet[ApprovalRequest]:
    """Pending requests on the cases where the user acts as supervisor."""
    case_ids = Case.objects.filter(cases_acting_q(user, KIND, wf.SUPERVISOR)).values("pk")
    return (
        ApprovalRequest.objects.filter(state=ApprovalRequest.State.PENDING, case_id__in=case_ids)
        .select_related("case", "case__application__item", "requested_by")
        .order_by("requested_at")
    )


def refusal_rates(user: Visitor) -> list[dict[str, Any]]:
    """Per clerk in the supervisor's scope: applications received, not-accepted requests, refusals approved."""
    cases = Case.objects.filter(cases_acting_q(user, KIND, wf.SUPERVISOR))
    received = {
        r["received_by"]: r["n"]
        for r in cases.exclude(received_by=None).values("received_by").annotate(n=Count("id"))
    }
    reqs = (
        ApprovalRequest.objects.filter(case__in=cases, kind=ApprovalRequest.Kind.NOT_ACCEPT)
        .values("requested_by", "requested_by__full_name", "requested_by__username")
        .annotate(n=Count("id"), approved=Count("id", filter=Q(state="approved")))
    )
    rows = []
    names = {
        u.pk: (u.full_name or u.username)
        for u in User.objects.filter(pk__in=set(received) | {r["requested_by"] for r in reqs})
    }
    by_user = {r["requested_by"]: r for r in reqs}
    for uid in sorted(set(received) | set(by_user)):
        n = received.get(uid, 0)
        r = by_user.get(uid, {"n": 0, "approved": 0})
        rows.append(
            {
                "user_id": uid,
                "name": names.get(uid, str(uid)),
                "received": n,
                "requests": r["n"],
                "refused": r["approved"],
                "rate": (r["approved"] / n) if n else 0.0,
            }
        )
    rows.sort(key=lambda x: -x["rate"])
    return rows


def deadlines(user: Visitor, *, today: date | None = None) -> tuple[QuerySet[Case], QuerySet[Case]]:
    today = today or timezone.localdate()
    # Only running clocks: a paused clock does not count down, a stopped one (decided) cannot be late any more.
    base = (
        inbox(user, InboxFilters(show="all"), today=today)
        .filter(clock__stopped_at__isnull=True)
        .exclude(clock__state="paused")
    )
    overdue = base.filter(due_date__lt=today)
    soon = base.filter(due_date__gte=today, due_date__lte=clockops.add_workdays(today, DUE_SOON_DAYS))
    return overdue, soon


def progress_lookup(number: str, last4: str, *, guessers: Sequence[str]) -> Case | None:
    """Public progress: the case number and the last 4 characters of the applicant's ID or credit code.
    Guesses are limited by who guesses (``guessers``: ``ratelimit.guessers(request)``) as well as by the
    case, and a right answer is never refused because of other people's guesses (``ratelimit.guess``)."""
    number = (number or "").strip()
    last4 = (last4 or "").strip().upper()
    if not number or len(last4) != 4:
        return None
    case = (
        Case.objects.select_related("application", "owning_office", "clock")
        .filter(number=number, kind=KIND)
        .first()
    )
    if case is None:
        return None
    try:
        right = ratelimit.guess(
            scope="applications:progress",
            target=str(case.pk),
            guessers=guessers,
            check=lambda: case.application.public_token.upper() == last4,
            per_guesser=PROGRESS_MAX_MISSES,
            per_target=PROGRESS_MAX_MISSES,
            under_attack=PROGRESS_MISSES_UNDER_ATTACK,
        )
    except RateLimited as exc:
        raise TooManyAttempts(exc.message) from exc
    return case if right else None


def applicant_applications(
    user: Visitor, *, status: str = "", when: str = "", today: date | None = None
) -> QuerySet[Case]:
    """The applicant's own applications, newest first; ``status`` and ``when`` (``overdue``, ``due_soon``)
    filter as in a staff inbox (``when`` counts only open cases: a closed case is not overdue)."""
    qs = Case.objects.filter(party_cases_q(user), kind=KIND)
    if status:
        qs = qs.filter(status=status)
    if when in ("overdue", "due_soon"):
        qs = qs.filter(_due_q(when, today or timezone.localdate()), is_open=True)
    return qs.select_related("application__item", "clock").order_by("-created_at", "-id")


def _due_q(when: str, today: date) -> Q:
    if when == "overdue":
        return Q(due_date__lt=today)
    return Q(due_date__gte=today, due_date__lte=clockops.add_workdays(today, DUE_SOON_DAYS))


# --- figures --------------------------------------------------------------------------------

FIGURE_FIELDS = (
    "received",
    "accepted",
    "not_accepted",
    "decided",
    "approved",
    "rejected",
    "early",
    "on_time",
    "late",
    "rongque_cases",
    "rongque_materials",
    "days_saved",
    "trips_saved",
    "refusal_requests",
    "refusals",
)
DIMENSIONS = ("item", "department", "hall", "reason", "clerk")


def figures(*, start: date, end: date, dimension: str = "department", limit: int = 50) -> dict[str, Any]:
    """Figures for months ``start``–``end`` (first days of months), from the periodic rollup."""
    rows = FigureRollup.objects.filter(period__gte=start, period__lte=end)
    totals = rows.filter(dimension="department").aggregate(**{f: Sum(f) for f in FIGURE_FIELDS})
    totals = {k: int(v or 0) for k, v in totals.items()}
    decided = totals["early"] + totals["on_time"] + totals["late"]
    totals["early_rate"] = round(totals["early"] / decided, 4) if decided else 0.0
    by = list(
        rows.filter(dimension=dimension)
        .values("key", "label")
        .annotate(**{f: Sum(f) for f in FIGURE_FIELDS})
        .order_by("-received", "key")[:limit]
    )
    reasons = list(
        rows.filter(dimension="reason").values("key", "label").annotate(n=Sum("refusals")).order_by("-n")
    )
    months = list(
        rows.filter(dimension="department")
        .values("period")
        .annotate(received=Sum("received"), decided=Sum("decided"), early=Sum("early"))
        .order_by("period")
    )
    built = rows.order_by("-rebuilt_at").values_list("rebuilt_at", flat=True).first()
    return {
        "totals": totals,
        "by": by,
        "dimension": dimension,
        "reasons": reasons,
        "months": months,
        "as_of": built,
    }


def rongque_count() -> int:
    return Application.objects.filter(rongque=True).count()


# --- what the pages read ------------------------------------------------------------------------


def clock_text(case: Case) -> str:
    """How the due date was computed, in one sentence (empty when the case has no clock)."""
    if case.clock_id is None or case.clock is None:
        return ""
    return clock_sentence(clock_explain(case.clock), pause_labels())


def event_label(action: str) -> str:
    return wf.WORKFLOW.event_label(action)


def _event_label(e: Any, *, public_only: bool) -> str:
    if e.action == "assist" and not public_only and e.data.get("staff"):
        return gettext_lazy("Assisted application (代办) by %(staff)s for %(resident)s") % {
            "staff": e.data.get("staff", ""),
            "resident": e.data.get("resident", ""),
        }
    return event_label(e.action)


def event_rows(case: Case, *, public_only: bool) -> list[dict[str, Any]]:
    return [
        {
            "at": e.at,
            "label": _event_label(e, public_only=public_only),
            "status": wf.WORKFLOW.status_label(e.to_status) if e.to_status else "",
            "by": "" if public_only else e.actor_label,
            "reason": "" if public_only else e.reason,
        }
        for e in case_events(case, public_only=public_only)
    ]


def online_items(q: str = "") -> QuerySet[Item]:
    qs = catalogue.published_items().select_related("department").order_by("code")
    return qs.filter(name__contains=q) if q else qs


def published_item(code: str) -> Item | None:
    try:
        item = catalogue.item_get(code) if code else None
    except Exception:  # the catalogue answers NotFound for unknown codes
        return None
    return item if item is not None and item.status == "published" else None


def notice_get(pk: int) -> CaseNotice | None:
    return CaseNotice.objects.select_related("case").filter(pk=pk, case__kind=KIND).first()


def attachment_get(pk: int) -> CaseAttachment | None:
    return CaseAttachment.objects.select_related("case").filter(pk=pk, case__kind=KIND).first()


def attachment_bytes(att: CaseAttachment) -> bytes:
    with default_storage.open(str(att.file.name), "rb") as fh:
        return bytes(fh.read())


def case_notes(case: Case) -> QuerySet[CaseNote]:
    return CaseNote.objects.filter(case=case).select_related("author").order_by("at", "id")


def reception_items(hall: Hall, q: str = "") -> QuerySet[Item]:
    qs = catalogue.items_for_hall(hall).select_related("department").order_by("code")
    return qs.filter(name__contains=q) if q else qs


def reception_item(hall: Hall, code: str) -> Item | None:
    return reception_items(hall).filter(code=code).first() if code else None


def reception_ticket(hall: Hall, pk: int | None) -> Ticket | None:
    return served_ticket(hall, pk)


def inbox_statuses() -> list[tuple[str, str]]:
    return [(k, str(v)) for k, v in wf.STATUS_LABELS.items() if wf.WORKFLOW.is_open(k)]


def applicant_standing(*, person: Any = None, enterprise: Any = None) -> credit.Standing | None:
    """The standing the reception screen shows for the applicant chosen (None before one is chosen)."""
    if person is None and enterprise is None:
        return None
    return credit.standing_of(person=person, enterprise=enterprise)


def case_credit(case: Case) -> dict[str, Any] | None:
    """The standing the case was treated with (the latest step's), its reasons then, and the internal target."""
    rows = credit.case_standings(case.pk)
    if not rows:
        return None
    last = rows[-1]
    target = next((r.internal_target for r in reversed(rows) if r.internal_target), None)
    return {
        "standing": last.standing,
        "label": credit.list_label(last.standing),
        "reasons": credit.reasons_from_json(last.reasons),
        "step": last.step,
        "at": last.at,
        "internal_target": target,
        "history": [
            {
                "step": credit.step_label(r.step),
                "standing": r.standing,
                "label": credit.list_label(r.standing),
                "at": r.at,
            }
            for r in rows
        ],
    }


# --- read by analytics (workload and convenience figures over the cases) --------------------------------


def workload(*, start: Any, end: Any) -> dict[str, Any]:
    """Applications received ``start``..``end`` (days, inclusive): per day and hour, per street and
    department with their channel and no-visit counts, and the district's convenience totals."""
    tz = timezone.get_current_timezone()
    base = Case.objects.filter(
        kind=KIND,
        received_at__gte=timezone.make_aware(datetime.combine(start, time.min), tz),
        received_at__lt=timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )
    counts = {
        "total": Count("id"),
        "online": Count("id", filter=Q(channel__in=["online", "api"])),
        "no_visit": Count("id", filter=Q(application__no_visit=True)),
        "tongban": Count("id", filter=Q(channel="window") & ~Q(application__item__tongban="none")),
        "rongque": Count("id", filter=Q(application__rongque=True)),
        "decided": Count("id", filter=Q(decided_on__isnull=False) & ~Q(status="not_accepted")),
        "in_time": Count("id", filter=Q(timeliness__in=["early", "on_time"]) & Q(decided_on__isnull=False)),
        "days_saved": Coalesce(Sum("application__rongque_promise_days"), 0),
    }
    by_day = list(
        base.annotate(d=TruncDate("received_at", tzinfo=tz)).values("d").annotate(n=Count("id")).order_by("d")
    )
    by_hour = list(
        base.annotate(h=ExtractHour("received_at", tzinfo=tz))
        .values("h")
        .annotate(n=Count("id"))
        .order_by("h")
    )
    by_street = list(
        base.annotate(street=Coalesce("application__receiving_hall__street_id", "owning_office__street_id"))
        .values("street")
        .annotate(**counts)
        .order_by("street")
    )
    by_department = list(base.values("application__department_id").annotate(**counts).order_by())
    return {
        "totals": base.aggregate(**counts),
        "by_day": [{"day": r["d"], "n": r["n"]} for r in by_day],
        "by_hour": [{"hour": r["h"], "n": r["n"]} for r in by_hour],
        "by_street": by_street,
        "by_department": [
            {
                "department": r["application__department_id"],
                **{k: v for k, v in r.items() if k != "application__department_id"},
            }
            for r in by_department
        ],
    }


def open_applications_for_items(item_codes: list[str]) -> QuerySet[Application]:
    """Open (submitted, not finished) applications for any of these items — for eligibility facts such as
    "has already applied" (outreach)."""
    return Application.objects.filter(case__is_open=True, item__code__in=item_codes)


def application_counts_by_item(*, limit: int = 10) -> list[tuple[str, int]]:
    """(item code, applications filed) for the items most applied for, most first (drafts not counted)."""
    rows = (
        Application.objects.exclude(case__status="draft")
        .values("item__code")
        .annotate(n=Count("pk"))
        .order_by("-n", "item__code")[:limit]
    )
    return [(r["item__code"], r["n"]) for r in rows]


def staff_counts(user: Visitor, *, today: date | None = None) -> dict[str, int]:
    """The workbench's figures for the user, each what its list shows by default: cases waiting for the
    user's next step (``todo``), of them due within ``DUE_SOON_DAYS`` working days (``due_soon``) and overdue
    (``overdue``)."""
    today = today or timezone.localdate()
    return {
        "todo": inbox(user, today=today).count(),
        "due_soon": inbox(user, InboxFilters(when="due_soon"), today=today).count(),
        "overdue": inbox(user, InboxFilters(when="overdue"), today=today).count(),
    }


def rongque_missing(app: Any) -> list[ApplicationMaterial]:
    """Required materials still missing that the item lets the applicant supply later (容缺)."""
    return [
        m for m in app.materials.all() if m.state == ApplicationMaterial.State.MISSING and m.rongque_allowed
    ]


RESULT_NOTICES = ("approval", "rejection")
RESULT_RELEASED = frozenset({"result_ready", "delivered", "closed"})


def result_notices(case: Case) -> list[CaseNotice]:
    """The decision documents an applicant downloads as the electronic result once it is released."""
    app = case.application
    if app.delivery_method != "electronic" or case.status not in RESULT_RELEASED:
        return []
    return list(CaseNotice.objects.filter(case=case, kind__in=RESULT_NOTICES).order_by("issued_at", "id"))


# --- assisted service (帮办代办) ----------------------------------------------------------------------


@dataclass(frozen=True)
class Assistance:
    """Who assisted the applicant, for the pages: the role's label (网格员, 窗口工作人员), the name, the consent."""

    role_label: str
    name: str
    consent: Any  # AssistConsent


def assistance(case: Case) -> Assistance | None:
    """The staff member who applied on the applicant's behalf, or None for an application made by the
    applicant (the ``assistant`` party, and the consent recorded with it)."""
    party = (
        CaseParty.objects.filter(case=case, role="assistant", until__isnull=True)
        .select_related("staff")
        .first()
    )
    if party is None:
        return None
    consent = AssistConsent.objects.filter(application_id=case.pk).select_related("attachment").first()
    role = consent.staff_role if consent is not None else ""
    label = str(Role(role).label) if role in Role.values else ""
    return Assistance(role_label=label, name=party.display_name, consent=consent)


def assistance_text(role_label: str, name: str) -> str:
    """ "由网格员 XX 帮办": who applied on the applicant's behalf, for the applicant's own pages."""
    return str(gettext_lazy("Assisted by %(role)s %(name)s") % {"role": role_label, "name": name})


def assistance_labels(case_ids: Sequence[int]) -> dict[int, str]:
    """For a list of cases: case id → "由网格员 XX 帮办" for those made on the applicant's behalf."""
    roles = dict(
        AssistConsent.objects.filter(application_id__in=list(case_ids)).values_list(
            "application_id", "staff_role"
        )
    )
    out: dict[int, str] = {}
    for party in CaseParty.objects.filter(
        case_id__in=list(roles), role="assistant", until__isnull=True
    ).select_related("staff"):
        role = roles.get(party.case_id, "")
        label = str(Role(role).label) if role in Role.values else ""
        out[party.case_id] = assistance_text(label, party.display_name)
    return out


def assisted_by(user: Visitor) -> QuerySet[Case]:
    """The applications the user applied for on a resident's behalf ("assisted by me"), newest first, open
    and closed (the assistant capacity of the workflow: the same answer as ``access_case_view``)."""
    return (
        Case.objects.filter(cases_acting_q(user, KIND, wf.ASSISTANT))
        .select_related("application", "application__item", "applicant_person", "owning_office", "clock")
        .order_by("-received_at", "-id")
    )


def assist_items(user: Visitor, q: str = "") -> QuerySet[Item]:
    """Items a staff member may apply for on a resident's behalf: at a clerk's hall, those the hall accepts;
    for a grid worker, every published item; natural persons' items only (the service-object check)."""
    hall = getattr(user, "hall", None) if has_role(user, Role.CLERK) else None
    qs = reception_items(hall, q) if hall is not None else online_items(q)
    return qs.filter(service_objects__contains=ServiceObject.PERSON)  # one-character codes, comma-separated


def assist_item(user: Visitor, code: str) -> Item | None:
    return assist_items(user).filter(code=code).first() if code else None
