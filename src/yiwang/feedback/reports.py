"""The six ones' documents: the daily summary, the weekly cases and the monthly report, generated from the
period's reviews, checks, rectifications, appeals and complaints — as a page, a PDF (embedded font, charts
drawn with reportlab's graphics) and an Excel workbook — and kept as issued documents (``IssuedReport``)."""

from __future__ import annotations

import calendar
import hashlib
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.core.errors import ServiceError
from yiwang.core.pdf import bar_chart, pdf_document
from yiwang.core.sheets import workbook

from . import selectors
from .models import IssuedReport
from .vocabulary import level_label

if TYPE_CHECKING:
    from yiwang.accounts.models import User

PERIODS = ("daily", "weekly", "monthly")


def period_range(period: str, day: date) -> tuple[date, date]:
    """The day, the Monday-to-Sunday week or the calendar month containing ``day``."""
    if period == "daily":
        return day, day
    if period == "weekly":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if period == "monthly":
        start = day.replace(day=1)
        return start, day.replace(day=calendar.monthrange(day.year, day.month)[1])
    raise ServiceError(_("Unknown period."), code="bad_period", fields={"period": _("Unknown period.")})


def title_of(period: str, start: date, end: date) -> str:
    if period == "daily":
        return _("Daily summary of service quality, %(d)s") % {"d": start.isoformat()}
    if period == "weekly":
        return _("Weekly cases of service quality, %(a)s to %(b)s") % {
            "a": start.isoformat(),
            "b": end.isoformat(),
        }
    return _("Monthly report of service quality, %(m)s") % {"m": start.strftime("%Y-%m")}


def summary_rows(f: dict[str, Any]) -> list[list[Any]]:
    r, rc, ap, c = f["reviews"], f["rectifications"], f["appeals"], f["complaints"]
    return [
        [_("Figure"), _("Value")],
        [_("Reviews"), r["total"]],
        [_("Counted in the scores"), r["counted"]],
        [_("Excluded after an upheld appeal"), r["excluded"]],
        [_("Bad reviews (1–2)"), r["bad"]],
        [_("Bad-review rate %"), r["bad_rate"]],
        [_("Good rate % (3–5)"), r["good_rate"]],
        [_("Average level"), r["average"] if r["average"] is not None else "—"],
        [_("Rectifications opened"), rc["opened"]],
        [_("Rectified"), rc["rectified"]],
        [_("Rectified on time"), rc["on_time"]],
        [_("Open at the end of the period"), rc["open_at_end"]],
        [_("Overdue at the end of the period"), rc["overdue_at_end"]],
        [_("Appeals filed"), ap["filed"]],
        [_("Appeals upheld"), ap["upheld"]],
        [_("Complaints logged"), c["logged"]],
        [_("Complaints replied"), c["replied"]],
        [_("Replied on time"), c["on_time"]],
    ]


def tag_rows(f: dict[str, Any]) -> list[list[Any]]:
    head = [_("Bad-review reason"), _("Reviews"), _("Supported"), _("Contradicted"), _("Cannot tell")]
    return [head] + [
        [t["label"], t["count"], t["supported"], t["contradicted"], t["unknown"]] for t in f["tags"]
    ]


def office_rows(f: dict[str, Any]) -> list[list[Any]]:
    head = [_("Office"), _("Reviews"), _("Bad reviews"), _("Average level")]
    return [head] + [[o["name"], o["reviews"], o["bad"], o["average"]] for o in f["by_office"]]


def case_rows(f: dict[str, Any]) -> list[list[Any]]:
    head = [_("Service"), _("Office"), _("Review level"), _("Reasons"), _("Comment")]
    return [head] + [[c["ref"], c["office"], c["level_label"], c["tags"], c["comment"]] for c in f["cases"]]


def complaint_rows(f: dict[str, Any]) -> list[list[Any]]:
    head = [_("Number"), _("Received"), _("Complaint"), _("Status")]
    return [head] + [[c["number"], c["via"], c["text"], c["status"]] for c in f["complaint_cases"]]


def render_pdf(period: str, f: dict[str, Any], start: date, end: date) -> bytes:
    levels = f["reviews"]["levels"]
    blocks: list[tuple[str, Any]] = [
        ("h", _("Figures")),
        ("table", summary_rows(f)),
        (
            "drawing",
            bar_chart(_("Reviews by level"), [level_label(int(n)) for n in levels], list(levels.values())),
        ),
        ("h", _("Bad-review reasons checked against the data")),
        ("table", tag_rows(f)),
    ]
    if f["by_office"]:
        top = f["by_office"][:10]
        blocks += [
            ("h", _("By office")),
            ("table", office_rows(f)),
            (
                "drawing",
                bar_chart(_("Reviews by office"), [o["name"][:8] for o in top], [o["reviews"] for o in top]),
            ),
        ]
    blocks += [("h", _("Bad reviews of the period (typical cases)")), ("table", case_rows(f))]
    blocks += [("h", _("Complaints logged")), ("table", complaint_rows(f))]
    return pdf_document(
        title_of(period, start, end),
        blocks,
        subtitle=_("The complaints post (smile service, done in one visit)"),
        footer=_("Generated by the platform from its own records."),
    )


def render_xlsx(period: str, f: dict[str, Any], start: date, end: date) -> bytes:
    return workbook(
        [
            (_("Figures"), summary_rows(f)),
            (_("Reasons"), tag_rows(f)),
            (_("By office"), office_rows(f)),
            (_("Bad reviews"), case_rows(f)),
            (_("Complaints"), complaint_rows(f)),
        ]
    )


def report_issue(*, actor: User | None, period: str, day: date, language: str = "zh-hans") -> IssuedReport:
    """Generate and keep the report of the period containing ``day`` (once: an issued report is never
    regenerated; issuing it again returns the one kept)."""
    start, end = period_range(period, day)
    existing = selectors.issued_report_for(period, start)
    if existing is not None:
        return existing
    if end >= timezone.localdate() and actor is None:
        raise ServiceError(_("The period has not ended yet."), code="period_open")
    with translation.override(language):
        figures = selectors.period_figures(start, end)
        pdf = render_pdf(period, figures, start, end)
        xlsx = render_xlsx(period, figures, start, end)
    try:
        with transaction.atomic():
            report = IssuedReport.objects.create(
                period=period,
                start=start,
                end=end,
                figures=figures,
                pdf=pdf,
                xlsx=xlsx,
                sha256=hashlib.sha256(pdf).hexdigest(),
                issued_by=actor,
            )
            audit_record(
                actor=actor,
                action="feedback.report_issue",
                obj=report,
                data={
                    "period": period,
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "sha256": report.sha256,
                },
            )
    except IntegrityError:
        found = selectors.issued_report_for(period, start)
        assert found is not None
        return found
    return report


def reports_issue_due(today: date | None = None) -> int:
    """The periodic job: yesterday's summary, last week's cases, last month's report, each once."""
    today = today or timezone.localdate()
    n = 0
    for period, day in (
        ("daily", today - timedelta(days=1)),
        ("weekly", today - timedelta(days=today.weekday() + 1)),
        ("monthly", today.replace(day=1) - timedelta(days=1)),
    ):
        start, _end = period_range(period, day)
        if selectors.issued_report_for(period, start) is None:
            report_issue(actor=None, period=period, day=day)
            n += 1
    return n
