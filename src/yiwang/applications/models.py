"""Item applications (办件) on the case kernel: the item version filed under, materials, 容缺 promise,
delivery, and the supervisor requests that give the window no veto. Writers: ``services.py``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .vocabulary import DELIVERY_METHODS, REFUSAL_REASONS


class Application(models.Model):
    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="application"
    )
    item = models.ForeignKey(
        "catalogue.Item", on_delete=models.PROTECT, related_name="applications", verbose_name=_("item")
    )
    item_version = models.ForeignKey(
        "catalogue.ItemVersion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("item version filed under"),
    )
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    # The hall whose window received the application (none online) and the hall the result returns to.
    receiving_hall = models.ForeignKey(
        "accounts.Hall",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_applications",
        verbose_name=_("receiving hall"),
    )
    return_hall = models.ForeignKey(
        "accounts.Hall",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="returned_applications",
        verbose_name=_("hall returning the result"),
    )
    instant = models.BooleanField(_("instant item (即办件)"), default=False)
    no_visit = models.BooleanField(_("no visit (不见面)"), default=False)
    committed_days = models.PositiveSmallIntegerField(_("committed limit (working days)"), default=0)
    legal_days = models.PositiveSmallIntegerField(_("legal limit (working days)"), default=0)
    # The answers to the item version's application form (``answers``/``answerforms``; docs/adr/0048).
    answers = models.JSONField(_("answers to the application form"), default=dict, blank=True)
    # Conditions the applicant said apply (material codes of conditional materials that are needed).
    conditions = models.JSONField(_("conditions that apply"), default=list, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    acceptance_window_ends = models.DateField(_("acceptance notice due by"), null=True, blank=True)
    correction_given = models.BooleanField(_("correction notice given"), default=False)
    correction_items = models.JSONField(_("items to correct"), default=list, blank=True)
    deemed_accepted = models.BooleanField(
        _("counted as accepted (no notice within 5 working days)"), default=False
    )
    rongque = models.BooleanField(_("accepted with missing materials (容缺)"), default=False)
    rongque_promise_days = models.PositiveSmallIntegerField(_("promised delay (working days)"), default=0)
    rongque_deadline = models.DateField(_("materials promised by"), null=True, blank=True)
    rongque_materials = models.PositiveSmallIntegerField(_("materials promised"), default=0)
    rongque_supplied_on = models.DateField(_("materials supplied on"), null=True, blank=True)
    # An online applicant signs the 容缺 promise when submitting (the deadline in ``rongque_deadline``);
    # the office accepts with that promise as at the window.
    rongque_signed_at = models.DateTimeField(_("promise signed online at"), null=True, blank=True)
    extended = models.BooleanField(_("time limit extended"), default=False)
    # A pause kind of the working-day calendar (``yiwang.workdays`` pause kinds) while review is paused.
    pause_kind = models.CharField(_("pause"), max_length=40, blank=True)
    decision_reason = models.CharField(
        _("reason"), max_length=30, blank=True, choices=[(k, v) for k, v in REFUSAL_REASONS.items()]
    )
    guidance = models.TextField(_("guidance for the applicant"), blank=True)
    delivery_method = models.CharField(
        _("delivery"), max_length=12, default="pickup", choices=[(k, v) for k, v in DELIVERY_METHODS.items()]
    )
    delivery_address = models.CharField(_("postal address"), max_length=200, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=40, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    # A paper result picked up at the hall: the code the applicant shows, checked by the clerk (set at
    # the decision).
    pickup_code = models.CharField(_("pick-up code"), max_length=8, blank=True)
    public_token = models.CharField(
        max_length=4, blank=True, help_text=_("last 4 characters of the applicant's ID number or credit code")
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(delivery_method__in=list(DELIVERY_METHODS)), name="application_delivery_valid"
            ),
            models.CheckConstraint(
                condition=~Q(no_visit=True, delivery_method="pickup"), name="application_no_visit_no_pickup"
            ),
        ]
        indexes = [
            models.Index(
                fields=["acceptance_window_ends"],
                name="application_window",
                condition=Q(correction_given=False, deemed_accepted=False),
            ),
            models.Index(
                fields=["rongque_deadline"],
                name="application_rongque_due",
                condition=Q(rongque=True, rongque_supplied_on__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return str(self.case)


class ApplicationMaterial(models.Model):
    class State(models.TextChoices):
        PROVIDED = "provided", _("Provided")
        MISSING = "missing", _("Missing")
        PROMISED = "promised", _("To be supplied later (容缺)")
        NOT_APPLICABLE = "n/a", _("Not applicable")
        TO_CORRECT = "to_correct", _("To be corrected")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    code = models.CharField(_("code"), max_length=40)
    position = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(pgettext_lazy("party", "name"), max_length=200)
    required = models.BooleanField(_("required"), default=True)
    condition = models.CharField(_("condition"), max_length=300, blank=True)
    rongque_allowed = models.BooleanField(default=False)
    rongque_max_days = models.PositiveSmallIntegerField(default=0)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.MISSING)
    problem = models.CharField(_("problem"), max_length=300, blank=True)
    supplied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "position", "id"]
        verbose_name = _("application material")
        verbose_name_plural = _("application materials")
        constraints = [
            models.UniqueConstraint(fields=["application", "code"], name="application_material_unique"),
            models.CheckConstraint(
                condition=Q(state__in=["provided", "missing", "promised", "n/a", "to_correct"]),
                name="application_material_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ApprovalRequest(models.Model):
    """A clerk's not-accepted request, a reviewer's rejection or extension request: takes effect only when a
    supervisor approves (窗口无否决权)."""

    class Kind(models.TextChoices):
        NOT_ACCEPT = "not_accept", _("Not accept")
        REJECT = "reject", _("Reject")
        EXTENSION = "extension", _("Extension")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for a supervisor")
        APPROVED = "approved", pgettext_lazy("application decision", "Approved")
        SENT_BACK = "sent_back", _("Sent back")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="approval_requests")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    reason_code = models.CharField(_("reason"), max_length=30, blank=True)
    reason = models.TextField(_("explanation"), blank=True)
    guidance = models.TextField(_("guidance for the applicant"), blank=True)
    prior_status = models.CharField(max_length=24, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("supervisor's note"), blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["not_accept", "reject", "extension"]), name="approval_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "approved", "sent_back"]), name="approval_state_valid"
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(state="pending"), name="approval_one_pending"
            ),
        ]
        indexes = [models.Index(fields=["state", "requested_at"], name="approval_queue")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.case_id}"


class FigureRollup(models.Model):
    """Monthly figures per dimension (item, department, hall, refusal reason, clerk), rebuilt by a periodic
    job from the cases, so the figures page reads a few thousand rows whatever the number of cases."""

    period = models.DateField(_("month"))
    dimension = models.CharField(max_length=12)
    key = models.CharField(max_length=40)
    label = models.CharField(max_length=200, blank=True)
    received = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    not_accepted = models.PositiveIntegerField(default=0)
    decided = models.PositiveIntegerField(default=0)
    approved = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    early = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    rongque_cases = models.PositiveIntegerField(default=0)
    rongque_materials = models.PositiveIntegerField(default=0)
    days_saved = models.PositiveIntegerField(default=0)
    trips_saved = models.PositiveIntegerField(default=0)
    refusal_requests = models.PositiveIntegerField(default=0)
    refusals = models.PositiveIntegerField(default=0)
    rebuilt_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("figures row")
        verbose_name_plural = _("figures rows")
        constraints = [models.UniqueConstraint(fields=["period", "dimension", "key"], name="figure_unique")]
        indexes = [models.Index(fields=["dimension", "period"], name="figure_dim_period")]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.dimension} {self.key}"


class AssistConsent(models.Model):
    """The resident's consent to an application made on their behalf by a window clerk or a community grid
    worker (帮办代办): how it was given, when, and the consent file if one was uploaded (a case attachment).
    The staff member is the case's ``assistant`` party; this row says why they may be (docs/adr/0057)."""

    class Method(models.TextChoices):
        PAPER = "paper", _("Signed paper consent form (uploaded)")
        IN_PERSON = "in_person", _("In person, face to face")
        PHONE = "phone", _("By telephone, with a callback recorded")
        LETTER = "letter", _("Authorisation letter")

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, primary_key=True, related_name="assist"
    )
    # The role the staff member assisted in (``grid_worker`` or ``clerk``), as it was at the time.
    staff_role = models.CharField(_("assisted as"), max_length=20)
    method = models.CharField(_("how consent was given"), max_length=10, choices=Method.choices)
    given_on = models.DateField(_("consent given on"))
    callback = models.CharField(_("callback record"), max_length=200, blank=True)
    attachment = models.ForeignKey(
        "cases.CaseAttachment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent file"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent to assisted application")
        verbose_name_plural = _("consents to assisted applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=["paper", "in_person", "phone", "letter"]),
                name="assist_consent_method_valid",
            ),
            models.CheckConstraint(
                condition=~Q(method="paper") | Q(attachment__isnull=False),
                name="assist_consent_paper_has_file",
            ),
            models.CheckConstraint(
                condition=~Q(method="phone") | ~Q(callback=""), name="assist_consent_phone_has_callback"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.method} {self.given_on}"
