"""E-licences: types (from the catalogue's result names), licences, their signed versions and status
events (append-only: a licence's history is never overwritten), pending issuances with their clock, share
links and the licence versions used as application materials. Writers: ``services.py``."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .workflow import EVENTS, STATUSES


class LicenceType(models.Model):
    """A kind of licence an item's result can be (结果名称), with its fields and a sample."""

    code = models.CharField(
        _("type code"),
        max_length=40,
        unique=True,
        validators=[RegexValidator(r"^[0-9A-Z]{1,40}$")],
        help_text=_("Upper-case letters and digits (GB/T 36904)."),
    )
    name = models.CharField(_("name (result name)"), max_length=120)
    # [{"key": "scope", "label": "经营范围", "required": true}, …]: the fields beyond holder and validity.
    fields = models.JSONField(_("fields"), default=list, blank=True)
    # Example values of the fields, shown on the type's sample.
    sample = models.JSONField(_("sample values"), default=dict, blank=True)
    validity_years = models.PositiveSmallIntegerField(_("validity (years, 0 = permanent)"), default=5)
    items = models.ManyToManyField(
        "catalogue.Item", blank=True, related_name="+", verbose_name=_("items whose result it is")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("licence type")
        verbose_name_plural = _("licence types")

    def __str__(self) -> str:
        return self.name


class Licence(models.Model):
    type = models.ForeignKey(
        LicenceType, on_delete=models.PROTECT, related_name="licences", verbose_name=_("licence type")
    )
    issuer_office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+")
    issuer_code = models.CharField(_("issuer's credit code"), max_length=18)
    serial = models.CharField(_("serial"), max_length=20)
    base_identifier = models.CharField(_("identifier (without version)"), max_length=120, unique=True)
    holder_person = models.ForeignKey(
        "accounts.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="licences"
    )
    holder_enterprise = models.ForeignKey(
        "accounts.Enterprise", on_delete=models.PROTECT, null=True, blank=True, related_name="licences"
    )
    # The decision it was issued on: one licence per decision.
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="licence"
    )
    status = models.CharField(_("status"), max_length=10, choices=list(STATUSES.items()), default="active")
    version = models.PositiveSmallIntegerField(_("current version"), default=1)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    issued_at = models.DateTimeField(_("first issued at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=list(STATUSES)), name="licence_status_valid"),
            models.CheckConstraint(
                condition=Q(holder_person__isnull=False) | Q(holder_enterprise__isnull=False),
                name="licence_has_holder",
            ),
            models.UniqueConstraint(fields=["issuer_code", "type", "serial"], name="licence_serial_unique"),
        ]

    def __str__(self) -> str:
        return self.base_identifier


class LicenceSerialCounter(models.Model):
    """Gapless serials per issuer and type and year (locked while one is taken)."""

    type = models.ForeignKey(LicenceType, on_delete=models.CASCADE, related_name="+")
    issuer_code = models.CharField(max_length=18)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["type", "issuer_code", "year"], name="licence_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.issuer_code} {self.year} {self.last}"


class LicenceVersion(models.Model):
    """One signed content version of a licence (issue, change, renewal). Written once, never updated."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveSmallIntegerField(_("version"))
    identifier = models.CharField(_("identifier"), max_length=130, unique=True)
    event = models.CharField(_("event"), max_length=10, choices=[(k, e.label) for k, e in EVENTS.items()])
    holder_name = models.CharField(_("holder"), max_length=120)
    holder_number = models.CharField(_("holder's ID or credit code (as printed)"), max_length=24)
    fields = models.JSONField(_("fields"), default=dict)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    issuer_name = models.CharField(_("issuing office"), max_length=160)
    signed_at = models.DateTimeField(_("signed at"))
    kid = models.CharField(_("key id"), max_length=60)
    payload = models.TextField(_("signed payload"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["licence", "version"]
        verbose_name = _("licence version")
        verbose_name_plural = _("licence versions")
        constraints = [
            models.UniqueConstraint(fields=["licence", "version"], name="licence_version_unique"),
            models.CheckConstraint(
                condition=Q(version__gte=1, version__lte=999), name="licence_version_range"
            ),
        ]

    def __str__(self) -> str:
        return self.identifier


class LicenceEvent(models.Model):
    """Every event in a licence's history (issue, change, renew, suspend, reinstate, revoke, cancel)."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="events")
    event = models.CharField(_("event"), max_length=10, choices=[(k, e.label) for k, e in EVENTS.items()])
    version = models.PositiveSmallIntegerField(_("version"))
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["licence", "at", "id"]
        verbose_name = _("licence event")
        verbose_name_plural = _("licence events")

    def __str__(self) -> str:
        return f"{self.licence_id} {self.event}"


class Issuance(models.Model):
    """A licence owed for an approved application: due 10 working days from the decision on the case's
    ``issuance`` clock; done when the licence is issued."""

    class State(models.TextChoices):
        PENDING = "pending", _("To be issued")
        ISSUED = "issued", _("Issued")

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="issuance")
    type = models.ForeignKey(LicenceType, on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("decided on"))
    due_date = models.DateField(_("to be issued by"), null=True, blank=True)
    clock = models.ForeignKey(
        "workdays.Clock", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    licence = models.OneToOneField(Licence, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    opened_at = models.DateTimeField(_("opened at"))
    issued_on = models.DateField(_("issued on"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("issuance")
        verbose_name_plural = _("issuances")
        constraints = [
            models.CheckConstraint(condition=Q(state__in=["pending", "issued"]), name="issuance_state_valid")
        ]
        indexes = [models.Index(fields=["state", "due_date"], name="issuance_due")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.state}"


class ShareLink(models.Model):
    """A time-limited verification link the holder shares (a random token; the page shows the licence's
    public fields and its status until ``expires_at``)."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="share_links")
    token = models.CharField(max_length=43, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("share link")
        verbose_name_plural = _("share links")

    def __str__(self) -> str:
        return f"{self.licence_id} until {self.expires_at:%Y-%m-%d}"


class MaterialUse(models.Model):
    """An application material satisfied by a licence version instead of an upload (the case records which
    version), with the outcome of the check at acceptance."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="licence_uses")
    material_code = models.CharField(max_length=40)
    licence_version = models.ForeignKey(LicenceVersion, on_delete=models.PROTECT, related_name="uses")
    channel = models.CharField(max_length=10)  # window / online
    at = models.DateTimeField()
    checked_at = models.DateTimeField(null=True, blank=True)
    check_ok = models.BooleanField(null=True)

    class Meta:
        ordering = ["case", "material_code"]
        constraints = [
            models.UniqueConstraint(fields=["case", "material_code"], name="licence_use_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.material_code}"
