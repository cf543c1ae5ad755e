"""The bureau-maintained calendar and the statutory clock that every kind of case carries.

Rows are written only by ``yiwang.workdays.services``. The arithmetic is in ``engine`` and
``clock`` (pure, no ORM); the fields here store its inputs and its last result.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class CalendarEntry(models.Model):
    """One date that differs from the Monday–Friday rule, entered by the bureau.

    A ``holiday`` is a day off (on any weekday); a ``workday`` is a working day (a make-up
    working Saturday or Sunday, or a weekday that the package wrongly lists as a holiday).
    Entries of a year count only once that year is published (``CalendarYear``).
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Statutory holiday")
        WORKDAY = "workday", _("Make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar entry")
        verbose_name_plural = _("calendar entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["holiday", "workday"]), name="calendarentry_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".strip()


class CalendarYear(models.Model):
    """A year whose holidays the bureau has entered. Years 2004–2026 come published with the
    ``chinesecalendar`` package; others count as published only when a row here says so."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    published = models.BooleanField(_("published"), default=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("e.g. the State Council notice the dates were taken from"),
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2120), name="calendaryear_year_range"
            )
        ]

    def __str__(self) -> str:
        return str(self.year)


class CalendarVersion(models.Model):
    """One row (id=1). Every calendar write changes ``token`` in the same transaction; each process
    compares it with the token its cached calendar was built from (no in-memory truth)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    counter = models.PositiveIntegerField(default=0)
    token = models.CharField(max_length=32, default="")
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar version")
        verbose_name_plural = _("calendar versions")

    def __str__(self) -> str:
        return f"v{self.counter}"


class PauseKind(models.Model):
    """A reason the clock may stop counting (行政许可法 Art. 45; 政府信息公开条例 Art. 32). Configurable."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("pause kind")
        verbose_name_plural = _("pause kinds")

    def __str__(self) -> str:
        return self.label()

    def label(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name


class Clock(models.Model):
    """A statutory clock. A case holds it with a OneToOneField or ForeignKey."""

    class LimitKind(models.TextChoices):
        WORKING_DAYS = "working_days", _("working days")
        CALENDAR_DAYS = "calendar_days", _("calendar days")
        HOURS = "hours", pgettext_lazy("unit", "hours")

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        PAUSED = "paused", _("Paused")
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")
        STOPPED = "stopped", _("Stopped")

    label = models.CharField(
        _("label"),
        max_length=120,
        blank=True,
        help_text=_("what the limit is for, e.g. 'decision (Art. 42)'"),
    )
    subject = models.CharField(
        _("subject"),
        max_length=200,
        blank=True,
        help_text=_("the case this clock belongs to, e.g. its number and title"),
    )
    started_at = models.DateTimeField(_("started at"))
    limit_kind = models.CharField(
        _("limit kind"), max_length=14, choices=LimitKind.choices, default=LimitKind.WORKING_DAYS
    )
    limit_value = models.PositiveIntegerField(_("limit"))
    max_extensions = models.PositiveSmallIntegerField(_("maximum extensions"), default=1)
    due_soon_within = models.PositiveSmallIntegerField(
        _("due soon within"),
        default=3,
        help_text=_("in the limit's unit: warn when this much or less is left"),
    )
    office = models.ForeignKey(
        "accounts.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clocks",
        verbose_name=_("responsible office"),
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clocks",
        verbose_name=_("responsible person"),
    )
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    # Last computed result (recomputed by the services and the sweep).
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    provisional = models.BooleanField(_("provisional"), default=False, db_index=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.RUNNING)
    remaining = models.IntegerField(
        _("remaining"), default=0, help_text=_("in the limit's unit; negative when overdue")
    )
    calendar_version = models.CharField(max_length=32, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("clock")
        verbose_name_plural = _("clocks")
        indexes = [models.Index(fields=["state", "due_at"]), models.Index(fields=["office", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["running", "paused", "due_soon", "overdue", "stopped"]),
                name="clock_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(limit_kind__in=["working_days", "calendar_days", "hours"]),
                name="clock_limit_kind_valid",
            ),
            models.CheckConstraint(condition=Q(limit_value__lte=5000), name="clock_limit_value_range"),
        ]

    def __str__(self) -> str:
        return " · ".join(p for p in [self.subject, self.label] if p) or f"clock #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.stopped_at is None


class ClockPause(models.Model):
    """A period that does not count. ``ended_at`` is empty while the pause is open."""

    STOP_KIND = "stopped"  # the gap between a stop and a resumption (clock_resume_after_stop)

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(_("kind"), max_length=40)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("clock pause")
        verbose_name_plural = _("clock pauses")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="clockpause_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["clock", "kind"],
                condition=Q(ended_at__isnull=True),
                name="clockpause_one_open_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.kind} {self.started_at:%Y-%m-%d}–{self.ended_at:%Y-%m-%d}" if self.ended_at else self.kind
        )


class ClockExtension(models.Model):
    """An approved extension, in the clock's unit (working days, calendar days or hours)."""

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveIntegerField(_("days"), help_text=_("in the clock's unit"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_by_name = models.CharField(_("approved by (name)"), max_length=100, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("clock extension")
        verbose_name_plural = _("clock extensions")
        constraints = [models.CheckConstraint(condition=Q(days__gte=1), name="clockextension_days_positive")]

    def __str__(self) -> str:
        return f"+{self.days}"


class ClockEvent(models.Model):
    """The clock's history: every change and the due date before and after it."""

    class Kind(models.TextChoices):
        STARTED = "started", pgettext_lazy("clock", "Started")
        RECOMPUTED = "recomputed", _("Recomputed")
        PAUSED = "paused", _("Paused")
        RESUMED = "resumed", _("Resumed")
        EXTENDED = "extended", _("Extended")
        STOPPED = "stopped", _("Stopped")
        REOPENED = "reopened", _("Resumed after stop")
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    old_due = models.DateField(_("old due date"), null=True, blank=True)
    new_due = models.DateField(_("new due date"), null=True, blank=True)
    old_provisional = models.BooleanField(default=False)
    new_provisional = models.BooleanField(default=False)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("clock event")
        verbose_name_plural = _("clock events")

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"
