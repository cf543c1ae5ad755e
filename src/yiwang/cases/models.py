"""The case kernel: what every kind of case shares (docs/architecture.md, "The case kernel and the clock").

Item applications, hotline tickets, disclosure requests and construction projects are all ``Case``
rows; each kind adds its own one-to-one model and its own ``workflow.py``. Writers are in
``services.py`` (the status is changed only by ``case_transition``); readers in ``selectors.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yiwang.core.masking import mask_mobile


class CaseNumberCounter(models.Model):
    """The last number given per kind, office and year; locked (``select_for_update``) by the creating
    transaction, so numbers are unique and gapless even under concurrent creation."""

    kind = models.CharField(max_length=24, default="application")  # a case kind, or doc:<type> for 文号
    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case number counter")
        verbose_name_plural = _("case number counters")
        constraints = [
            models.UniqueConstraint(fields=["kind", "office", "year"], name="case_counter_unique_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.office_id}/{self.year}: {self.last}"


class CaseState(models.Model):
    """Every (kind, status) pair a registered workflow declares, kept in step with the workflows after
    every migration (``cases.states.case_states_sync``). A case's ``state`` points here, so the
    database refuses a status its kind does not have, without the kernel naming any kind's status."""

    key = models.CharField(max_length=50, primary_key=True)  # "<kind>:<status>"
    kind = models.CharField(max_length=20)
    status = models.CharField(max_length=24)

    class Meta:
        verbose_name = _("case status")
        verbose_name_plural = _("case statuses")
        constraints = [
            models.UniqueConstraint(fields=["kind", "status"], name="case_state_unique"),
        ]

    def __str__(self) -> str:
        return self.key


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
    kind = models.CharField(_("kind"), max_length=20)
    status = models.CharField(_("status"), max_length=24, db_index=False)
    # ``kind:status``, a foreign key to the registered statuses (see CaseState); set with the status.
    state = models.ForeignKey(CaseState, on_delete=models.PROTECT, related_name="+", db_index=False)
    # Not final and not private in its kind's workflow: someone still works on it (denormalised).
    is_open = models.BooleanField(_("open"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=200)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WINDOW)
    # The principal party (applicant, caller, requester, owner …) and its representative, denormalised
    # from the case's parties for fast lists; the parties themselves are ``CaseParty`` rows.
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
    # The lead office and person, denormalised from the current ``lead`` assignment.
    owning_office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="cases", verbose_name=_("owning office")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assignee"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="received_cases",
        verbose_name=_("received by"),
    )
    # The primary clock (of all the case's clocks, ``CaseClock``), which drives the due date.
    clock = models.OneToOneField(
        "workdays.Clock",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case",
        verbose_name=_("clock"),
    )
    # Denormalised from the primary clock after every clock operation, for sorting inboxes and figures.
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # The moment the primary clock runs out (hour-based clocks end within a day), denormalised likewise.
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
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
            # The state is the kind and status together (and a CaseState row: a known status).
            models.CheckConstraint(
                condition=Q(state=Concat(F("kind"), Value(":"), F("status"))),
                name="case_state_is_kind_status",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="case_version_positive"),
        ]
        indexes = [
            # The reviewer's inbox: open cases of one office by time left (partial: closed cases drop out).
            models.Index(
                fields=["owning_office", "due_date", "id"], name="case_open_office", condition=Q(is_open=True)
            ),
            models.Index(fields=["applicant_person", "-created_at"], name="case_person_recent"),
            models.Index(fields=["applicant_enterprise", "-created_at"], name="case_enterprise_recent"),
            models.Index(fields=["kind", "status", "due_date"], name="case_kind_status_due"),
            # Due-soon and overdue lists of one kind (partial: closed cases drop out).
            models.Index(
                fields=["kind", "due_at", "id"], name="case_open_kind_due_at", condition=Q(is_open=True)
            ),
            # Figures of one kind over a period of receipt.
            models.Index(fields=["kind", "received_at"], name="case_kind_received"),
        ]

    def __str__(self) -> str:
        return f"{self.number or _('(draft)')} {self.title}"


class CaseParty(models.Model):
    """Someone a case is about or involves, in a role of the kind's vocabulary: a registered person, an
    enterprise, or a free contact (a caller who is not registered, anonymous if they wish)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=30)
    person = models.ForeignKey(
        "accounts.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="case_parties"
    )
    enterprise = models.ForeignKey(
        "accounts.Enterprise", on_delete=models.PROTECT, null=True, blank=True, related_name="case_parties"
    )
    # A staff member playing a party role (assisting a resident: 帮办代办), never a follower of the case.
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_parties_as_staff",
        verbose_name=_("staff member"),
    )
    name = models.CharField(_("name"), max_length=120, blank=True)
    phone = models.CharField(_("telephone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    since = models.DateTimeField(pgettext_lazy("status change", "from"), default=timezone.now)
    until = models.DateTimeField(_("until"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["case", "since", "id"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False)
                | Q(enterprise__isnull=False)
                | Q(staff__isnull=False)
                | ~Q(name="")
                | ~Q(phone="")
                | Q(anonymous=True),
                name="case_party_is_someone",
            ),
        ]
        indexes = [
            models.Index(
                fields=["person", "case"], name="case_party_person", condition=Q(until__isnull=True)
            ),
            models.Index(
                fields=["enterprise", "case"], name="case_party_enterprise", condition=Q(until__isnull=True)
            ),
            models.Index(fields=["case", "role"], name="case_party_role"),
            models.Index(fields=["staff", "case"], name="case_party_staff", condition=Q(until__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.display_name}"

    @property
    def display_name(self) -> str:
        if self.enterprise is not None:
            return str(self.enterprise.name)
        if self.person is not None:
            return str(self.person.name)
        if self.staff is not None:
            return str(self.staff.full_name or self.staff.get_username())
        return self.name or str(_("anonymous"))

    @property
    def masked_phone(self) -> str:
        return mask_mobile(self.phone) if self.phone else ""


class CaseClock(models.Model):
    """One of the case's statutory clocks, by purpose (acceptance, decision, reply, sign-off, budget …).
    A new clock of a purpose replaces the running one; the history keeps both."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clocks")
    purpose = models.CharField(_("purpose"), max_length=30)
    clock = models.OneToOneField(
        "workdays.Clock", on_delete=models.PROTECT, related_name="case_clock", verbose_name=_("clock")
    )
    primary = models.BooleanField(_("drives the due date"), default=False)

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("case clock")
        verbose_name_plural = _("case clocks")
        indexes = [models.Index(fields=["case", "purpose"], name="case_clock_purpose")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.purpose}"


class CaseAssignment(models.Model):
    """Who handles a case, with history: the lead office (and person), co-handling offices, follow-up
    (e.g. a concierge). A transfer ends one lead assignment and starts the next, with its reason."""

    LEAD = "lead"
    CO_HANDLING = "co_handling"
    FOLLOW_UP = "follow_up"
    ROLES = {
        LEAD: _("Lead"),
        CO_HANDLING: _("Co-handling"),
        FOLLOW_UP: _("Follow-up"),
    }

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("role"), max_length=20, default=LEAD)
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, null=True, blank=True, related_name="case_assignments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_assignments",
    )
    since = models.DateTimeField(pgettext_lazy("status change", "from"), default=timezone.now)
    until = models.DateTimeField(_("until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["case", "since", "id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(office__isnull=False) | Q(user__isnull=False), name="case_assignment_has_someone"
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(role="lead", until__isnull=True), name="case_one_current_lead"
            ),
        ]
        indexes = [
            models.Index(
                fields=["office", "role", "case"],
                name="case_assignment_open",
                condition=Q(until__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.role} {self.office_id or ''} {self.user_id or ''}"

    @property
    def role_label(self) -> str:
        return str(self.ROLES.get(self.role, self.role))


class CaseExtensionRequest(models.Model):
    """A request to extend one of the case's clocks, decided by a supervisor (approved: the clock is
    extended by ``amount`` in its own unit, inside the deciding transition)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extension_requests")
    purpose = models.CharField(_("clock"), max_length=30)
    amount = models.PositiveIntegerField(pgettext_lazy("extension", "amount"))
    unit = models.CharField(_("unit"), max_length=14)
    reason = models.CharField(_("reason"), max_length=300)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.CharField(_("reason for the decision"), max_length=300, blank=True)

    class Meta:
        ordering = ["case", "requested_at", "id"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["pending", "approved", "refused"]), name="case_extension_state_valid"
            ),
            models.CheckConstraint(condition=Q(amount__gte=1), name="case_extension_amount_positive"),
            models.UniqueConstraint(
                fields=["case", "purpose"], condition=Q(state="pending"), name="case_extension_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.purpose} +{self.amount} {self.unit} ({self.state})"


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
    from_status = models.CharField(pgettext_lazy("status change", "from"), max_length=24, blank=True)
    to_status = models.CharField(pgettext_lazy("status change", "to"), max_length=24, blank=True)
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
    # The official document number (文号), when the notice is one: one series per office, year and type.
    document_number = models.CharField(_("document number (文号)"), max_length=60, blank=True)

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
