"""12345 hotline tickets on the case kernel: a ticket is a ``Case`` of kind ``hotline`` plus this one-to-one
row; the classification tree and the dispatch catalogue are configuration kept by an administrator.

Writers are in ``services.py`` (the status only through the kernel's ``case_transition``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .vocabulary import RATINGS, TICKET_TYPES, URGENCIES


class Category(models.Model):
    """A node of the classification tree (环境污染 › 噪音 …). Leaves and inner nodes may both be chosen."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    business_line = models.BooleanField(
        _("business environment"), default=False, help_text=_("belongs to the business-environment branch")
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("hotline category")
        verbose_name_plural = _("hotline categories")

    def __str__(self) -> str:
        return self.label()

    def label(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name


class DispatchRule(models.Model):
    """The dispatch catalogue: which office handles a category in a street. A rule without a street holds for
    the whole district; a rule without a category is the default for a street (or, with neither, for all)."""

    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rules",
        verbose_name=_("category"),
    )
    street = models.ForeignKey(
        "accounts.Street",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("street"),
    )
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible office")
    )

    class Meta:
        ordering = ["category__code", "street__code", "id"]
        verbose_name = _("dispatch rule")
        verbose_name_plural = _("dispatch rules")
        constraints = [
            # One rule per category and street, per category for the whole district, per street by default.
            models.UniqueConstraint(
                fields=["category", "street"],
                name="hotline_rule_unique",
                condition=Q(category__isnull=False, street__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["category"], name="hotline_rule_district", condition=Q(street__isnull=True)
            ),
            models.UniqueConstraint(
                fields=["street"], name="hotline_rule_street_default", condition=Q(category__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category or '*'} × {self.street or '*'} → {self.office}"


class Ticket(models.Model):
    """What a hotline case adds to the kernel's case."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="ticket"
    )
    type = models.CharField(_("type"), max_length=12, choices=list(TICKET_TYPES.items()))
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("category")
    )
    urgency = models.CharField(_("urgency"), max_length=8, choices=list(URGENCIES.items()), default="normal")
    business_line = models.BooleanField(_("business-environment line"), default=False)
    description = models.TextField(_("description"), max_length=2000)
    address = models.CharField(_("address"), max_length=200, blank=True)
    street = models.ForeignKey(
        "accounts.Street",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("street"),
    )
    community = models.ForeignKey(
        "accounts.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    # The caller's telephone, for duplicates and the public follow-up, without the number itself.
    phone_key = models.CharField(max_length=64, blank=True, db_index=True)
    phone_last4 = models.CharField(max_length=4, blank=True)
    suggested_office = models.ForeignKey(
        "accounts.Office", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    return_by = models.DateTimeField(_("may be returned until"), null=True, blank=True)
    returns = models.PositiveSmallIntegerField(_("times returned"), default=0)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    handling = models.TextField(_("what was done"), blank=True)
    reply = models.TextField(_("reply to the caller"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=12, choices=list(RATINGS.items()), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    # The Open311 client that filed it, if any, and the token it was given.
    source = models.CharField(_("source"), max_length=80, blank=True)
    token = models.CharField(max_length=40, blank=True, db_index=True)

    class Meta:
        verbose_name = _("hotline ticket")
        verbose_name_plural = _("hotline tickets")
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=list(TICKET_TYPES)), name="hotline_ticket_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(urgency__in=list(URGENCIES)), name="hotline_ticket_urgency_valid"
            ),
            models.CheckConstraint(
                condition=Q(rating__in=["", *RATINGS]), name="hotline_ticket_rating_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["category", "community"], name="hotline_ticket_cat_comm"),
            models.Index(fields=["business_line"], name="hotline_ticket_business"),
        ]

    def __str__(self) -> str:
        return str(self.case)


class TicketPart(models.Model):
    """A co-handling office's answer to its part of a ticket."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="ticket_parts")
    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("answer"), max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["case", "at", "id"]
        verbose_name = _("co-handling answer")
        verbose_name_plural = _("co-handling answers")
        constraints = [models.UniqueConstraint(fields=["case", "office"], name="hotline_part_once")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.office_id}"


class Open311Key(models.Model):
    """An API key issued by an administrator to one system (Open311 GeoReport v2 ``api_key``). Only a
    digest is stored; the key is shown once when created."""

    name = models.CharField(_("system"), max_length=80)
    prefix = models.CharField(_("prefix"), max_length=8, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
