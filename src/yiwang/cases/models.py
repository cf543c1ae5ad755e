"""The case kernel: what every kind of case shares (ARCHITECTURE.md, "The case kernel and the clock").

Item applications, hotline tickets, disclosure requests and construction projects are all ``Case``
rows; each kind adds its own one-to-one model and its own ``workflow.py``. Writers are in
``services.py`` (the status is changed only by ``case_transition``); readers in ``selectors.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .statuses import ALL_STATUSES, KINDS, OPEN_STATUSES


class CaseNumberCounter(models.Model):
    """The last number given per office and year; locked (``select_for_update``) by the creating
    transaction, so numbers are unique and gapless even under concurrent creation."""

    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case number counter")
        verbose_name_plural = _("case number counters")
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="case_counter_unique")]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.year}: {self.last}"


class Case(models.Model):
    class Channel(models.TextChoices):
        WINDOW = "window", _("At a window")
        ONLINE = "online", _("Online")
        POST = "post", _("By post")
        API = "api", _("Through the API")
        HOTLINE = "hotline", _("By telephone")

    class Timeliness(models.TextChoices):
        EARLY = "early", _("Early")
        ON_TIME = "on_time", _("On time")
        LATE = "late", _("Late")

    number = models.CharField(_("case number"), max_length=40, unique=True, null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS)
    status = models.CharField(_("status"), max_length=24, db_index=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=200)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WINDOW)
    applicant_person = models.ForeignKey(
        "accounts.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("applicant (person)"),
    )
    applicant_enterprise = models.ForeignKey(
        "accounts.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("applicant (enterprise)"),
    )
    agent = models.ForeignKey(
        "accounts.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agent_cases",
        verbose_name=_("agent"),
    )
    owning_office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="cases", verbose_name=_("owning office")
    )
    receiving_hall = models.ForeignKey(
        "accounts.Hall",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_cases",
        verbose_name=_("receiving hall"),
    )
    return_hall = models.ForeignKey(
        "accounts.Hall",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="returned_cases",
        verbose_name=_("hall returning the result"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assignee"),
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="received_cases",
        verbose_name=_("received by"),
    )
    clock = models.OneToOneField(
        "workdays.Clock",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case",
        verbose_name=_("clock"),
    )
    # Denormalised from the clock after every clock operation, for sorting inboxes and counting figures.
    due_date = models.DateField(_("due date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    timeliness = models.CharField(_("timeliness"), max_length=8, choices=Timeliness.choices, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=[k for k, _l in KINDS]), name="case_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=sorted(ALL_STATUSES)), name="case_status_valid"),
            models.CheckConstraint(
                condition=Q(applicant_person__isnull=False) | Q(applicant_enterprise__isnull=False),
                name="case_has_applicant",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="case_version_positive"),
        ]
        indexes = [
            # The reviewer's inbox: open cases of one office by time left (partial: closed cases drop out).
            models.Index(
                fields=["owning_office", "due_date", "id"],
                name="case_open_inbox",
                condition=Q(status__in=sorted(OPEN_STATUSES)),
            ),
            models.Index(fields=["receiving_hall", "status"], name="case_hall_status"),
            models.Index(fields=["applicant_person", "-created_at"], name="case_person_recent"),
            models.Index(fields=["applicant_enterprise", "-created_at"], name="case_enterprise_recent"),
            models.Index(fields=["status", "due_date"], name="case_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.number or _('(draft)')} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseEvent(models.Model):
    """One line of a case's history: who did what, when and why. ``public`` lines appear on the
    progress page without personal data."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("by"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(_("from"), max_length=24, blank=True)
    to_status = models.CharField(_("to"), max_length=24, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    public = models.BooleanField(default=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes = [models.Index(fields=["case", "at"], name="case_event_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"


class CaseAttachment(models.Model):
    """An uploaded file (PDF, JPG, PNG or OFD, recognised by content), stored under a generated name."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    slot = models.CharField(
        _("material"),
        max_length=40,
        blank=True,
        help_text=_("The material code the file belongs to, if any."),
    )
    label = models.CharField(_("label"), max_length=200, blank=True)
    file = models.FileField(_("file"), max_length=200)
    file_type = models.CharField(_("file type"), max_length=4)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(_("original name"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    superseded = models.BooleanField(_("replaced by a later upload"), default=False)

    class Meta:
        ordering = ["case", "slot", "uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=Q(file_type__in=["pdf", "jpg", "png", "ofd"]), name="case_attachment_type_valid"
            )
        ]

    def __str__(self) -> str:
        return self.label or self.file.name or ""


class CaseNote(models.Model):
    """An internal note by staff (never shown to the applicant)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")

    def __str__(self) -> str:
        return self.text[:40]


class CaseNotice(models.Model):
    """A generated document given to the applicant (acceptance notice, correction notice, decision …)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("kind"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), max_length=200, blank=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["issued_at", "id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self) -> str:
        return self.title


class IdempotencyRecord(models.Model):
    """A remembered API submission: a replay with the same key returns the stored response."""

    key = models.CharField(max_length=100)
    scope = models.CharField(max_length=60)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [models.UniqueConstraint(fields=["user", "scope", "key"], name="idempotency_unique")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
