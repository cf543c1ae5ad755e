"""Each bad-review tag checked against the data before a person reads it (docs/adr/0121-checked-against-the-data.md).

The verdicts are plain functions of plain values (``late_verdict``, ``beyond_guide_verdict`` …) so they can be
tested exhaustively; ``check_application``/``check_hotline``/``check_visit`` gather those values for one
service through the other contexts' selectors. A verdict is *supported*, *contradicted* or *unknown*
("cannot tell"), with a message key and its parameters (rendered in the reader's language).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import Office
from yiwang.cases import clockops
from yiwang.catalogue import selectors as catalogue
from yiwang.core.errors import ServiceError
from yiwang.halls import selectors as halls

from .models import Review
from .vocabulary import ATTITUDE, CONDITIONS, LATE, MATERIALS, VISIT_AGAIN, config

if TYPE_CHECKING:
    from .reviewables import Served

SUPPORTED, CONTRADICTED, UNKNOWN = "supported", "contradicted", "unknown"

MESSAGES: dict[str, Any] = {
    "late": _("Late: due %(due)s, done %(done)s — %(days)s working days over the limit."),
    "late_open": _("Still open and past its due date %(due)s by %(days)s working days."),
    "in_time": _("Within the limit: due %(due)s, done %(done)s."),
    "in_time_open": _("Still open and within the limit (due %(due)s)."),
    "no_clock": _("No time limit was recorded for this service."),
    "beyond_materials": _("Asked for materials the guide does not list: %(names)s."),
    "within_materials": _("All %(n)s materials asked for are in the guide of version %(version)s."),
    "beyond_conditions": _("Conditions recorded that the guide does not list: %(names)s."),
    "refused_read": _("The application was refused; a person must read the reasons against the guide."),
    "within_conditions": _("The conditions recorded are all in the guide of version %(version)s."),
    "visits": _("%(n)s visits to a window were recorded for this case (the guide allows %(allowed)s)."),
    "visits_ok": _("%(n)s visits to a window were recorded for this case (the guide allows %(allowed)s)."),
    "visit_before": _("The same person was served for this item %(n)s times in the 30 days before."),
    "visit_first": _("No earlier visit for this item in the 30 days before."),
    "attitude_pattern": _("%(clerk)s at %(window)s has %(n)s other attitude complaints in 90 days."),
    "attitude_single": _(
        "%(clerk)s at %(window)s: %(n)s other attitude complaints in 90 days; a person must judge."
    ),
    "no_contact": _("The service was given online with no window contact."),
    "no_clerk": _("No clerk or window was recorded for this service."),
    "waited": _("Waited %(minutes)s minutes for the window (more than %(limit)s)."),
    "waited_ok": _("Waited %(minutes)s minutes for the window (the limit is %(limit)s)."),
    "not_applicable": _("This service records nothing to check this against."),
}


@dataclass(frozen=True)
class CheckResult:
    verdict: str
    msg: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_detail(self) -> dict[str, Any]:
        return {"msg": self.msg, **self.params}


def message(detail: dict[str, Any]) -> str:
    text = MESSAGES.get(str(detail.get("msg", "")))
    if text is None:
        return ""
    params = {k: v for k, v in detail.items() if k != "msg"}
    try:
        return str(text) % params
    except (KeyError, TypeError, ValueError):
        return str(text)


def post_office() -> Office:
    office = Office.objects.filter(code=config("post_office")).select_related("department").first()
    if office is None:
        raise ServiceError(_("The complaints post's office is not configured."), code="no_post_office")
    return office


# --- pure verdicts -----------------------------------------------------------------------------------


def late_verdict(*, due: date | None, done: date | None, today: date) -> CheckResult:
    """Against the clock: late if done (or, while open, today) is after the due date, by working days."""
    if due is None:
        return CheckResult(UNKNOWN, "no_clock")
    end = done or today
    if end > due:
        days = clockops.workdays_between(due, end)
        return CheckResult(
            SUPPORTED,
            "late" if done else "late_open",
            {"due": due.isoformat(), "done": end.isoformat(), "days": days},
        )
    return CheckResult(
        CONTRADICTED, "in_time" if done else "in_time_open", {"due": due.isoformat(), "done": end.isoformat()}
    )


def beyond_guide_verdict(*, asked: dict[str, str], guide: set[str], version: int, kind: str) -> CheckResult:
    """``asked``: code → name of what was asked of the applicant; ``guide``: the codes the version lists."""
    beyond = [name for code, name in asked.items() if code not in guide]
    if beyond:
        return CheckResult(SUPPORTED, f"beyond_{kind}", {"names": "、".join(beyond)})
    return CheckResult(CONTRADICTED, f"within_{kind}", {"n": len(asked), "version": version})


def visits_verdict(*, visits: int, allowed: int, online: bool) -> CheckResult:
    allowed = max(allowed, 0 if online else 1)
    if visits > allowed:
        return CheckResult(SUPPORTED, "visits", {"n": visits, "allowed": allowed})
    return CheckResult(CONTRADICTED, "visits_ok", {"n": visits, "allowed": allowed})


def attitude_verdict(*, clerk: str, window: str, others: int, online: bool, pattern: int) -> CheckResult:
    if not clerk and not window:
        return CheckResult(CONTRADICTED, "no_contact") if online else CheckResult(UNKNOWN, "no_clerk")
    params = {"clerk": clerk or "—", "window": window or "—", "n": others}
    if others >= pattern:
        return CheckResult(SUPPORTED, "attitude_pattern", params)
    return CheckResult(UNKNOWN, "attitude_single", params)


def wait_verdict(*, minutes: int | None, limit: int) -> CheckResult:
    if minutes is None:
        return CheckResult(UNKNOWN, "not_applicable")
    params = {"minutes": minutes, "limit": limit}
    return (
        CheckResult(SUPPORTED, "waited", params)
        if minutes > limit
        else CheckResult(CONTRADICTED, "waited_ok", params)
    )


# --- gathering the values ----------------------------------------------------------------------------


def _clerk_attitude_count(s: Served, exclude_id: int | None = None) -> int:
    if s.clerk is None and s.window is None:
        return 0
    since = timezone.now() - timedelta(days=90)
    who = Q(clerk=s.clerk) if s.clerk is not None else Q(window=s.window)
    qs = Review.objects.filter(who, given_at__gte=since, level__lte=2, tag_text__contains=f",{ATTITUDE},")
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return qs.count()


def _attitude(s: Served, online: bool, exclude_id: int | None) -> CheckResult:
    clerk = (s.clerk.full_name or s.clerk.username) if s.clerk is not None else ""
    window = f"{s.window.hall.name} {s.window.name}" if s.window is not None else ""
    return attitude_verdict(
        clerk=clerk,
        window=window,
        others=_clerk_attitude_count(s, exclude_id),
        online=online,
        pattern=int(config("attitude_pattern")),
    )


def _app_late(s: Served, stage: str) -> CheckResult:
    case = s.case
    assert case is not None
    today = timezone.localdate()
    if stage == "acceptance":
        row = clockops.current(case, "acceptance")
        due = row.clock.due_date if row is not None else case.application.acceptance_window_ends
        return late_verdict(due=due, done=case.accepted_on, today=today)
    row = clockops.current(case, "decision")
    due = row.clock.due_date if row is not None else case.due_date
    return late_verdict(due=due, done=case.decided_on, today=today)


def check_application(
    s: Served, tags: list[str], *, stage: str = "result", exclude_id: int | None = None
) -> dict[str, CheckResult]:
    case = s.case
    assert case is not None
    app = case.application
    version = app.item_version
    guide = catalogue.item_materials(version)
    online = case.channel != "window" and not s.extra.get("tickets")
    out: dict[str, CheckResult] = {}
    for tag in tags:
        if tag == LATE:
            out[tag] = _app_late(s, stage)
        elif tag == MATERIALS:
            asked = {m.code: m.name for m in app.materials.all() if m.state != "n/a"}
            out[tag] = beyond_guide_verdict(
                asked=asked, guide={m.code for m in guide}, version=version.number, kind="materials"
            )
        elif tag == CONDITIONS:
            options = {m.condition for m in guide if m.condition}
            chosen = {str(c): str(c) for c in (app.conditions or [])}
            result = beyond_guide_verdict(
                asked=chosen, guide=options, version=version.number, kind="conditions"
            )
            if result.verdict == CONTRADICTED and case.status in {"not_accepted", "rejected"}:
                result = CheckResult(UNKNOWN, "refused_read")
            out[tag] = result
        elif tag == VISIT_AGAIN:
            tickets = s.extra.get("tickets") or []
            allowed = int((version.snapshot or {}).get("visits", 1) or 0)
            out[tag] = visits_verdict(visits=len(tickets), allowed=allowed, online=online)
        elif tag == ATTITUDE:
            out[tag] = _attitude(s, online, exclude_id)
    return out


def check_hotline(s: Served, tags: list[str], *, exclude_id: int | None = None) -> dict[str, CheckResult]:
    case = s.case
    assert case is not None
    out: dict[str, CheckResult] = {}
    for tag in tags:
        if tag == LATE:
            row = clockops.current(case, "handling")
            due = row.clock.due_date if row is not None else case.due_date
            done = (
                row.clock.stopped_at.astimezone(timezone.get_current_timezone()).date()
                if row and row.clock.stopped_at
                else None
            )
            out[tag] = late_verdict(due=due, done=done, today=timezone.localdate())
        else:
            out[tag] = CheckResult(UNKNOWN, "not_applicable")
    return out


def check_visit(s: Served, tags: list[str], *, exclude_id: int | None = None) -> dict[str, CheckResult]:
    t = s.subject
    out: dict[str, CheckResult] = {}
    for tag in tags:
        if tag == LATE:
            minutes = (
                int((t.called_at - t.queued_at).total_seconds() // 60)
                if t.called_at and t.queued_at
                else None
            )
            out[tag] = wait_verdict(minutes=minutes, limit=int(config("max_wait_minutes")))
        elif tag == VISIT_AGAIN:
            if t.person_id is None or not t.item_code:
                out[tag] = CheckResult(UNKNOWN, "not_applicable")
            else:
                n = halls.person_visits(t.person_id, t.item_code, t.date - timedelta(days=30), t.taken_at)
                out[tag] = (
                    CheckResult(SUPPORTED, "visit_before", {"n": n})
                    if n
                    else CheckResult(CONTRADICTED, "visit_first")
                )
        elif tag == ATTITUDE:
            out[tag] = _attitude(s, False, exclude_id)
        elif tag in (MATERIALS, CONDITIONS) and s.case is not None and s.case.kind == "application":
            out.update(check_application(s, [tag], exclude_id=exclude_id))
        else:
            out[tag] = CheckResult(UNKNOWN, "not_applicable")
    return out
