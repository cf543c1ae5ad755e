"""Government information disclosure: requests on application (a ``Case`` of kind ``disclosure`` with
its own one-to-one row), and the 双公示 publications of licensing and penalty decisions with the simple
penalty register they come from (docs/adr/0080-disclosure-on-the-kernel.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .vocabulary import (
    APPLICANT_TYPES,
    COLUMNS,
    FORMS,
    INTERPRETATION_FORMS,
    NORMATIVE_STATUSES,
    PARTY_KINDS,
    PUBLICATION_KINDS,
    REMEDY_OUTCOMES,
    REPLY_TYPES,
)


class DisclosureRequest(models.Model):
    """What a request for government information adds to its case: the applicant's kind and preferred
    form, the request itself, the receipt date (Art. 31), the correction, the fee and the reply."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="disclosure"
    )
    applicant_type = models.CharField(
        _("applicant type"), max_length=12, choices=list(APPLICANT_TYPES.items())
    )
    applicant_name = models.CharField(_("applicant"), max_length=120)
    # A keyed digest of the applicant's ID number or credit code: the monthly fee count and the tracking
    # page find the applicant by it; the number itself is kept only masked.
    applicant_key = models.CharField(max_length=64, db_index=True)
    id_masked = models.CharField(_("ID or credit code (masked)"), max_length=24, blank=True)
    id_last4 = models.CharField(max_length=4, blank=True)
    phone_last4 = models.CharField(max_length=4, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("postal address"), max_length=200, blank=True)
    form = models.CharField(_("preferred form"), max_length=12, choices=list(FORMS.items()))
    description = models.TextField(_("information asked for"))
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    topic = models.CharField(_("topic"), max_length=40, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    receipt_date = models.DateField(_("date of receipt"), null=True, blank=True)
    # Art. 30: one correction notice; the applicant's deadline; the day the correction arrived.
    correction_asked = models.TextField(_("what to correct"), blank=True)
    correction_deadline = models.DateField(_("correct by"), null=True, blank=True)
    corrected_on = models.DateField(_("corrected on"), null=True, blank=True)
    third_party = models.CharField(_("third party consulted"), max_length=120, blank=True)
    # Fees: the request's place in the applicant's month, the amount, and the payment.
    month_ordinal = models.PositiveIntegerField(_("request of the month"), default=0)
    fee_yuan = models.PositiveIntegerField(_("fee (yuan)"), default=0)
    fee_paid_on = models.DateField(_("fee paid on"), null=True, blank=True)
    bulk_warning = models.BooleanField(_("bulk requester"), default=False)
    reply_type = models.CharField(
        _("reply type"), max_length=30, blank=True, choices=[(k, v.label) for k, v in REPLY_TYPES.items()]
    )
    reply = models.JSONField(_("reply content"), default=dict, blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    forwarded_to = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What became of a reply the applicant contested (the annual report's table 4).
    reconsideration = models.CharField(
        _("administrative reconsideration"), max_length=12, blank=True, choices=list(REMEDY_OUTCOMES.items())
    )
    litigation = models.CharField(
        _("administrative litigation"), max_length=12, blank=True, choices=list(REMEDY_OUTCOMES.items())
    )

    class Meta:
        verbose_name = _("disclosure request")
        verbose_name_plural = _("disclosure requests")
        indexes = [models.Index(fields=["applicant_key", "receipt_date"], name="disclosure_applicant_month")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.applicant_name}"


class PenaltyDecision(models.Model):
    """The simple register of administrative penalty decisions that 双公示 publishes."""

    number = models.CharField(_("decision number"), max_length=60, unique=True)
    party_kind = models.CharField(_("party kind"), max_length=8, choices=list(PARTY_KINDS.items()))
    party_name = models.CharField(_("party"), max_length=120)
    credit_code = models.CharField(_("credit code"), max_length=18, blank=True)
    id_masked = models.CharField(_("ID (masked)"), max_length=24, blank=True)
    facts = models.TextField(_("facts"))
    basis = models.CharField(_("legal basis"), max_length=300)
    penalty = models.CharField(_("penalty"), max_length=300)
    amount_yuan = models.DecimalField(_("fine (yuan)"), max_digits=14, decimal_places=2, default=0)
    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("decided on"))
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("penalty decision")
        verbose_name_plural = _("penalty decisions")

    def __str__(self) -> str:
        return self.number


class Publication(models.Model):
    """One 双公示 entry: a licensing or penalty decision as the public sees it (personal data masked: a
    natural person's ID number and address are never stored here)."""

    kind = models.CharField(_("kind"), max_length=8, choices=list(PUBLICATION_KINDS.items()))
    source_key = models.CharField(max_length=40, unique=True)  # "licence:<case id>", "penalty:<id>"
    decision_number = models.CharField(_("decision number"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    party_kind = models.CharField(_("party kind"), max_length=8, choices=list(PARTY_KINDS.items()))
    party_name = models.CharField(_("party"), max_length=120)
    credit_code = models.CharField(_("credit code"), max_length=18, blank=True)
    id_masked = models.CharField(_("ID (masked)"), max_length=24, blank=True)
    content = models.TextField(_("content"), blank=True)
    basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("decided on"))
    publish_by = models.DateField(_("to be published by"))
    published_on = models.DateField(_("published on"), null=True, blank=True)
    expires_on = models.DateField(_("publication ends"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=200, blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("双公示 publication")
        verbose_name_plural = _("双公示 publications")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["licence", "penalty"]), name="publication_kind_valid"
            ),
        ]
        indexes = [
            # The public search: visible entries by date, then narrowed by name, code or office.
            # (``expires_on`` carried in the index so the bounded count reads no table rows on PostgreSQL.)
            models.Index(
                fields=["decided_on", "id"],
                name="publication_public",
                condition=Q(withdrawn_on__isnull=True, published_on__isnull=False),
                include=["expires_on"],
            ),
            models.Index(fields=["credit_code"], name="publication_code"),
            models.Index(
                fields=["office", "decided_on", "id"],
                name="publication_office",
                condition=Q(withdrawn_on__isnull=True, published_on__isnull=False),
                include=["expires_on"],
            ),
            models.Index(fields=["party_name"], name="publication_name"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.decision_number}"


class DisclosureItem(models.Model):
    """One item of proactive disclosure (主动公开) in a column of the five disclosures or a key area.

    The public sees ``public_title``/``public_body`` as last published; an office edits ``title``/``body``
    and publishes the change. Art. 26: public within 20 working days of the day the information was formed
    or changed (``formed_on`` → ``publish_by``); ``pending`` marks a draft or an unpublished change."""

    column = models.CharField(_("column"), max_length=16, choices=list(COLUMNS.items()))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        pgettext_lazy("document body", "text"), blank=True
    )  # sanitised HTML (disclosure.proactive.clean_body)
    public_title = models.CharField(max_length=200, blank=True)
    public_body = models.TextField(blank=True)
    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+")
    formed_on = models.DateField(_("formed or changed on"))
    publish_by = models.DateField(_("to be published by"))
    pending = models.BooleanField(_("awaiting publication"), default=True)
    first_published_on = models.DateField(_("first published on"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    attachment = models.FileField(_("attachment"), upload_to="disclosure/items/%Y/", blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("proactive disclosure item")
        verbose_name_plural = _("proactive disclosure items")
        indexes = [
            models.Index(
                fields=["column", "published_on"],
                name="item_public",
                condition=Q(withdrawn_on__isnull=True, published_on__isnull=False),
            ),
            models.Index(fields=["publish_by"], name="item_pending", condition=Q(pending=True)),
        ]

    def __str__(self) -> str:
        return self.title


class NormativeDocument(models.Model):
    """The register of normative documents (规范性文件): registered, numbered, issued, published, searchable
    and interpreted in one place; status after the clean-ups (in force, amended, repealed)."""

    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(pgettext_lazy("normative document", "year"))
    number = models.CharField(_("document number"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(pgettext_lazy("document body", "text"))
    issued_on = models.DateField(pgettext_lazy("normative document", "issued on"))
    effective_on = models.DateField(_("in force from"))
    expires_on = models.DateField(pgettext_lazy("normative document", "valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=list(NORMATIVE_STATUSES.items()), default="in_force"
    )
    status_on = models.DateField(_("status since"), null=True, blank=True)
    status_note = models.CharField(_("note on the status"), max_length=300, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("normative document")
        verbose_name_plural = _("normative documents")
        indexes = [models.Index(fields=["office", "year"], name="normative_office_year")]

    def __str__(self) -> str:
        return self.number


class Interpretation(models.Model):
    """A policy interpretation (政策解读): text, graphic or a video link, of a normative document or of another
    policy named by title."""

    title = models.CharField(_("title"), max_length=200)
    form = models.CharField(_("form"), max_length=8, choices=list(INTERPRETATION_FORMS.items()))
    body = models.TextField(pgettext_lazy("document body", "text"), blank=True)
    link = models.URLField(_("link"), max_length=300, blank=True)
    document = models.ForeignKey(
        NormativeDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interpretations",
        verbose_name=_("normative document"),
    )
    policy_title = models.CharField(_("policy interpreted"), max_length=200, blank=True)
    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+")
    published_on = models.DateField(_("published on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("policy interpretation")
        verbose_name_plural = _("policy interpretations")

    def __str__(self) -> str:
        return self.title
