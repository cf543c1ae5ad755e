"""Halls' own configuration (hours exceptions, business categories, booking rules), appointment
slots and appointments, queue tickets and their counters.

The organisation models (``Hall``, ``Window``) belong to accounts; everything here extends them.
Counters (``Slot.booked``, ``TicketCounter.last``) are changed only by conditional UPDATEs in
``services.py`` so that they stay exact under concurrency (docs/adr/0050-halls-booking-and-queue.md).
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yiwang.accounts.models import Hall, Person, Window


class HallConfig(models.Model):
    """Booking and queue settings of one hall (created with defaults on first use)."""

    hall = models.OneToOneField(
        Hall, on_delete=models.CASCADE, related_name="queue_config", verbose_name=_("hall")
    )
    bookable = models.BooleanField(_("takes online bookings"), default=True)
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"), default=30, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        _("buffer between slots (minutes)"), default=0, validators=[MaxValueValidator(120)]
    )
    horizon_workdays = models.PositiveSmallIntegerField(
        _("booking horizon (working days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    per_person_per_day = models.PositiveSmallIntegerField(
        _("bookings per person per day"), default=1, validators=[MinValueValidator(1)]
    )
    per_person_open = models.PositiveSmallIntegerField(
        _("open bookings per person at this hall"), default=3, validators=[MinValueValidator(1)]
    )
    change_cutoff_minutes = models.PositiveIntegerField(
        _("cancel or reschedule until (minutes before the slot)"), default=60
    )
    checkin_early_minutes = models.PositiveSmallIntegerField(_("check-in opens (minutes before)"), default=30)
    checkin_late_minutes = models.PositiveSmallIntegerField(
        _("on time until (minutes after start)"), default=15
    )

    class Meta:
        verbose_name = _("hall queue settings")
        verbose_name_plural = _("hall queue settings")

    def __str__(self) -> str:
        return str(self.hall)


class BookingPolicy(models.Model):
    """District-wide rules: the no-show block and the queue's priority rules (one row, id=1)."""

    noshow_limit = models.PositiveSmallIntegerField(
        _("no-shows that block booking"), default=3, validators=[MinValueValidator(1)]
    )
    noshow_window_days = models.PositiveSmallIntegerField(
        _("counted over (days)"), default=30, validators=[MinValueValidator(1)]
    )
    block_days = models.PositiveSmallIntegerField(_("booking blocked for (days)"), default=7)
    on_time_priority = models.PositiveSmallIntegerField(
        _("priority of on-time appointments"), default=2, help_text=_("0 switches the rule off")
    )
    green_priority = models.PositiveSmallIntegerField(
        _("priority of the green channel (elderly, disabled)"),
        default=3,
        help_text=_("0 switches the rule off"),
    )
    elderly_age = models.PositiveSmallIntegerField(_("green channel from age"), default=65)

    class Meta:
        verbose_name = _("booking and queue policy")
        verbose_name_plural = _("booking and queue policy")

    def __str__(self) -> str:
        return str(_("Booking and queue policy"))


class SpecialDay(models.Model):
    """A day on which a hall (or every hall, when ``hall`` is empty) keeps other hours or is closed."""

    hall = models.ForeignKey(
        Hall,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="special_days",
        verbose_name=_("hall"),
    )
    date = models.DateField(_("date"))
    closed = models.BooleanField(_("closed"), default=True)
    hours = models.JSONField(
        _("hours"), default=list, blank=True, help_text=_('intervals when open, e.g. [["09:00","12:00"]]')
    )
    note = models.CharField(_("note"), max_length=120, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("special day")
        verbose_name_plural = _("special days")
        constraints = [
            models.UniqueConstraint(fields=["hall", "date"], name="special_day_unique"),
            models.UniqueConstraint(
                fields=["date"], condition=Q(hall__isnull=True), name="special_day_all_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hall or _('all halls')} {self.date}"


class BusinessCategory(models.Model):
    """A queue of a hall: its ticket letter, the windows that serve it and the items that go to it."""

    hall = models.ForeignKey(
        Hall, on_delete=models.CASCADE, related_name="categories", verbose_name=_("hall")
    )
    letter = models.CharField(_("ticket letter"), max_length=1)
    name = models.CharField(pgettext_lazy("party", "name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    is_default = models.BooleanField(_("takes every other item of the hall"), default=False)
    item_codes = models.JSONField(_("item codes"), default=list, blank=True)
    # Items of these organisations go to this queue (unless another queue names the item's code): a new item
    # of the organisation joins it without editing the queue.
    departments = models.ManyToManyField(
        "accounts.Department",
        related_name="hall_categories",
        blank=True,
        verbose_name=_("organisations whose items it takes"),
    )
    windows = models.ManyToManyField(Window, related_name="categories", blank=True, verbose_name=_("windows"))
    avg_service_minutes = models.PositiveSmallIntegerField(
        _("average service time (minutes)"), default=10, validators=[MinValueValidator(1)]
    )
    capacity_override = models.PositiveSmallIntegerField(
        _("bookings per slot (override)"),
        null=True,
        blank=True,
        help_text=_("empty: windows × slot length ÷ service time"),
    )
    bookable = models.BooleanField(_("bookable online"), default=True)

    class Meta:
        ordering = ["hall", "letter"]
        verbose_name = _("business category")
        verbose_name_plural = _("business categories")
        constraints = [
            models.UniqueConstraint(fields=["hall", "letter"], name="category_letter_unique"),
            models.UniqueConstraint(
                fields=["hall"], condition=Q(is_default=True), name="category_one_default"
            ),
            models.CheckConstraint(condition=Q(letter__regex=r"^[A-Z]$"), name="category_letter_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.letter} {self.name}"


class Slot(models.Model):
    """One bookable time of one category at one hall on one day. ``booked`` ≤ ``capacity`` always."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="slots")
    category = models.ForeignKey(BusinessCategory, on_delete=models.CASCADE, related_name="slots")
    date = models.DateField(_("date"))
    start = models.TimeField(_("starts"))
    end = models.TimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    booked = models.PositiveSmallIntegerField(_("booked"), default=0)

    class Meta:
        ordering = ["date", "start"]
        verbose_name = _("appointment slot")
        verbose_name_plural = _("appointment slots")
        constraints = [
            models.UniqueConstraint(fields=["category", "date", "start"], name="slot_unique"),
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="slot_not_overbooked"),
        ]
        indexes = [models.Index(fields=["hall", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.start:%H:%M}–{self.end:%H:%M}"

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)


def new_confirmation_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Appointment(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CHECKED_IN = "checked_in", _("Checked in")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("Missed (no-show)")

    ACTIVE = ("booked", "checked_in")

    code = models.CharField(_("confirmation code"), max_length=12, unique=True, default=new_confirmation_code)
    hall = models.ForeignKey(Hall, on_delete=models.PROTECT, related_name="appointments")
    category = models.ForeignKey(BusinessCategory, on_delete=models.PROTECT, related_name="appointments")
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments")
    date = models.DateField(_("date"))
    start = models.TimeField(_("starts"))
    end = models.TimeField(_("ends"))
    item_code = models.CharField(_("item code"), max_length=40)
    item_name = models.CharField(_("item"), max_length=200)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="appointments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.BOOKED)
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)

    class Meta:
        ordering = ["date", "start", "id"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["booked", "checked_in", "cancelled", "no_show"]),
                name="appointment_status_valid",
            ),
            # Twice for the same slot is impossible even if two requests race past the service's check.
            models.UniqueConstraint(
                fields=["person", "slot"],
                condition=Q(status__in=["booked", "checked_in"]),
                name="appointment_once_per_slot",
            ),
        ]
        indexes = [models.Index(fields=["person", "status", "date"]), models.Index(fields=["status", "date"])]

    def __str__(self) -> str:
        return f"{self.code} {self.hall} {self.date} {self.start:%H:%M}"


class TicketCounter(models.Model):
    """The last number given today in one category of one hall."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(BusinessCategory, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["category", "date"], name="ticket_counter_unique")]

    def __str__(self) -> str:
        return f"{self.category_id} {self.date} {self.last}"


# Why a number is called ahead of its turn (``Ticket.priority_reason``), as people read it.
PRIORITY_REASONS = {
    "on_time": _("on-time appointment"),
    "green": _("green channel"),
}


class Ticket(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        CALLED = "called", _("Called")
        DONE = "done", _("Finished")
        NO_SHOW = "no_show", _("Did not come")

    class Source(models.TextChoices):
        KIOSK = "kiosk", _("Hall kiosk")
        PHONE = "phone", _("Phone")
        APPOINTMENT = "appointment", _("Appointment check-in")

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    hall = models.ForeignKey(Hall, on_delete=models.PROTECT, related_name="tickets")
    category = models.ForeignKey(BusinessCategory, on_delete=models.PROTECT, related_name="tickets")
    date = models.DateField(_("date"))
    seq = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("number"), max_length=8)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.KIOSK)
    appointment = models.OneToOneField(
        Appointment, on_delete=models.PROTECT, null=True, blank=True, related_name="ticket"
    )
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets"
    )
    item_code = models.CharField(_("item code"), max_length=40, blank=True)
    # A walk-in at the kiosk who gave an ID number or a mobile: its keyed digest (one waiting number per
    # queue and holder) and its masked form (printed on the ticket). Nothing else of it is kept.
    holder_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    holder_masked = models.CharField(pgettext_lazy("queue ticket", "holder"), max_length=24, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), default=0)
    priority_reason = models.CharField(_("priority reason"), max_length=20, blank=True)
    green = models.BooleanField(_("green channel"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    target_window = models.ForeignKey(
        Window,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transferred to window"),
    )
    window = models.ForeignKey(
        Window, on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets"
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="served_tickets",
    )
    # The case the visit led to (an application received at the window that served this number).
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("case"),
    )
    taken_at = models.DateTimeField(_("taken at"))
    queued_at = models.DateTimeField(_("queued since"))
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    recalls = models.PositiveSmallIntegerField(_("recalls"), default=0)
    transfers = models.PositiveSmallIntegerField(_("transfers"), default=0)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("queue ticket")
        verbose_name_plural = _("queue tickets")
        constraints = [
            models.UniqueConstraint(fields=["category", "date", "seq"], name="ticket_number_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["waiting", "called", "done", "no_show"]), name="ticket_status_valid"
            ),
            # A window serves one number at a time, even when two calls race.
            models.UniqueConstraint(
                fields=["window"], condition=Q(status="called"), name="ticket_one_called_per_window"
            ),
        ]
        indexes = [models.Index(fields=["hall", "date", "status"])]

    def __str__(self) -> str:
        return f"{self.number} {self.hall} {self.date}"

    @property
    def priority_label(self) -> str:
        """Why the number goes ahead (预约准时, 绿色通道), or "" for an ordinary number."""
        label = PRIORITY_REASONS.get(self.priority_reason)
        return str(label) if label else ""
