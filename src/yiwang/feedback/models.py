"""Satisfaction reviews (好差评), their automatic checks, the rectification and complaint cases' own rows, the
rating pad's requests and the issued reports (docs/adr/0120-reviews-and-reviewable-services.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Review(models.Model):
    """One review of one service (一次一评): ``service`` names the kind of service in the registry
    (``feedback.reviewables``) and ``subject_id`` the reviewed thing (a case, a queue ticket)."""

    class Channel(models.TextChoices):
        WINDOW = "window", _("Rating pad at the window")
        PORTAL = "portal", _("Portal")
        MOBILE = "mobile", _("Mobile (QR code)")
        HOTLINE = "hotline", _("Forwarded from 12345")

    service = models.CharField(_("service"), max_length=30)
    subject_id = models.PositiveBigIntegerField(_("subject"))
    subject_ref = models.CharField(_("reference"), max_length=60, blank=True)
    level = models.PositiveSmallIntegerField(_("level"))
    tags = models.JSONField(_("tags"), default=list, blank=True)
    tag_text = models.CharField(max_length=200, blank=True, editable=False)  # ",late,attitude," for filtering
    comment = models.TextField(_("comment"), blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewer_person = models.ForeignKey(
        "accounts.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    real_name = models.BooleanField(_("real name"), default=False)
    # Where the service was given, denormalised for the figures.
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hall = models.ForeignKey(
        "accounts.Hall", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    street = models.ForeignKey(
        "accounts.Street", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    window = models.ForeignKey(
        "accounts.Window", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    item_code = models.CharField(_("item code"), max_length=40, blank=True)
    item_name = models.CharField(_("item"), max_length=200, blank=True)
    given_at = models.DateTimeField(_("given at"))
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)
    editable_until = models.DateTimeField(_("may be changed until"))
    excluded = models.BooleanField(_("excluded from the scores"), default=False)
    excluded_reason = models.CharField(_("why excluded"), max_length=300, blank=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = _("satisfaction review")
        verbose_name_plural = _("satisfaction reviews")
        constraints = [
            models.UniqueConstraint(fields=["service", "subject_id"], name="review_one_per_service"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="review_level_1_5"),
        ]
        indexes = [
            models.Index(fields=["given_at"], name="review_given"),
            models.Index(fields=["office", "given_at"], name="review_office_given"),
            models.Index(fields=["clerk", "given_at"], name="review_clerk_given"),
        ]

    def __str__(self) -> str:
        return f"{self.service}:{self.subject_ref or self.subject_id} {self.level}"

    @property
    def bad(self) -> bool:
        return self.level <= 2


class ReviewCheck(models.Model):
    """The automatic check of one bad-review tag against the data, before a person reads it."""

    class Verdict(models.TextChoices):
        SUPPORTED = "supported", _("Supported by the data")
        CONTRADICTED = "contradicted", _("Contradicted by the data")
        UNKNOWN = "unknown", _("Cannot tell from the data")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="checks")
    tag = models.CharField(_("tag"), max_length=30)
    verdict = models.CharField(_("verdict"), max_length=12, choices=Verdict.choices)
    # {"msg": key of checks.MESSAGES, ...its parameters}: rendered in the reader's language.
    detail = models.JSONField(_("detail"), default=dict)
    checked_at = models.DateTimeField(_("checked at"), auto_now_add=True)

    class Meta:
        ordering = ["review", "id"]
        verbose_name = _("review check")
        verbose_name_plural = _("review checks")
        constraints = [
            models.UniqueConstraint(fields=["review", "tag"], name="review_check_one_per_tag"),
            models.CheckConstraint(
                condition=Q(verdict__in=["supported", "contradicted", "unknown"]), name="review_check_verdict"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review_id} {self.tag} {self.verdict}"


class Rectification(models.Model):
    """A bad review's rectification (整改): a kernel case of kind ``rectification``."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="rectification")
    review = models.OneToOneField(Review, on_delete=models.PROTECT, related_name="rectification")
    callback_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    callback_note = models.TextField(_("what the reviewer said"), blank=True)
    findings = models.TextField(_("what the office found"), blank=True)
    actions = models.TextField(_("what the office did"), blank=True)
    rectified_at = models.DateTimeField(_("rectified at"), null=True, blank=True)
    on_time = models.BooleanField(_("rectified on time"), null=True)
    reviewer_rating = models.PositiveSmallIntegerField(_("reviewer's rating of the rectification"), null=True)
    appeal_kind = models.CharField(_("appeal"), max_length=10, blank=True)
    appeal_reason = models.TextField(_("reasons of the appeal"), blank=True)
    appeal_decision = models.CharField(_("appeal decision"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        constraints = [
            models.CheckConstraint(
                condition=Q(reviewer_rating__isnull=True) | Q(reviewer_rating__gte=1, reviewer_rating__lte=5),
                name="rectification_rating_1_5",
            )
        ]

    def __str__(self) -> str:
        return f"rectification {self.case_id}"


class Complaint(models.Model):
    """A complaint about service logged by the complaints post (the log): a kernel case of kind ``complaint``."""

    class Via(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By telephone")
        ONLINE = "online", _("Online")

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="complaint")
    via = models.CharField(_("received"), max_length=10, choices=Via.choices)
    about_office = models.ForeignKey(
        "accounts.Office", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    about_hall = models.ForeignKey(
        "accounts.Hall", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    description = models.TextField(_("complaint"))
    reply = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    on_time = models.BooleanField(_("replied on time"), null=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")

    def __str__(self) -> str:
        return f"complaint {self.case_id}"


class PadRequest(models.Model):
    """The clerk's console asks the window's rating pad to show a service for rating."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting for the applicant")
        DONE = "done", _("Rated")
        CANCELLED = "cancelled", _("Cancelled")

    window = models.ForeignKey("accounts.Window", on_delete=models.CASCADE, related_name="+")
    service = models.CharField(max_length=30)
    subject_id = models.PositiveBigIntegerField()
    label = models.CharField(max_length=200)
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("rating-pad request")
        verbose_name_plural = _("rating-pad requests")
        constraints = [
            models.UniqueConstraint(
                fields=["window"], condition=Q(state="waiting"), name="pad_one_waiting_per_window"
            )
        ]

    def __str__(self) -> str:
        return f"pad {self.window_id} {self.service}:{self.subject_id}"


class IssuedReport(models.Model):
    """A daily summary, weekly cases or monthly report, generated and kept as issued (never regenerated)."""

    class Period(models.TextChoices):
        DAILY = "daily", _("Daily summary")
        WEEKLY = "weekly", _("Weekly cases")
        MONTHLY = "monthly", _("Monthly report")

    period = models.CharField(_("period"), max_length=8, choices=Period.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))  # inclusive
    figures = models.JSONField(_("figures"))
    pdf = models.BinaryField(_("PDF"))
    xlsx = models.BinaryField(_("Excel"))
    sha256 = models.CharField(max_length=64)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-start", "period"]
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")
        constraints = [models.UniqueConstraint(fields=["period", "start"], name="issued_report_once")]

    def __str__(self) -> str:
        return f"{self.period} {self.start}"
