"""Enterprise facts the calculator reads (profile and, until the credit context provides it, the tax credit
rating), the policy catalogue and its figures."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EnterpriseProfile(models.Model):
    """Registration and last year's figures of an enterprise, as declared or imported (each may be unknown)."""

    enterprise = models.OneToOneField(
        "accounts.Enterprise", on_delete=models.CASCADE, related_name="policy_profile"
    )
    industry_code = models.CharField(_("industry code (GB/T 4754)"), max_length=5, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    registered_capital = models.DecimalField(
        _("registered capital (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    revenue = models.DecimalField(
        _("revenue last year (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    rd_spend = models.DecimalField(
        _("R&D spend last year (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    high_tech = models.BooleanField(_("national high-tech enterprise"), null=True, blank=True)
    specialised = models.BooleanField(_("specialised and innovative (专精特新)"), null=True, blank=True)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("enterprise profile")
        verbose_name_plural = _("enterprise profiles")

    def __str__(self) -> str:
        return str(self.enterprise_id)


class TaxCreditRating(models.Model):
    """纳税信用等级 A/B/M/C/D per year — a fact table of our own until the credit context offers one."""

    enterprise = models.ForeignKey(
        "accounts.Enterprise", on_delete=models.CASCADE, related_name="tax_ratings"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    rating = models.CharField(pgettext_lazy("tax credit", "rating"), max_length=1)

    class Meta:
        verbose_name = _("tax credit rating")
        verbose_name_plural = _("tax credit ratings")
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="policies_rating_unique")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year} {self.rating}"


class Policy(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    category = models.CharField(_("category"), max_length=20)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="policies")
    source_document = models.CharField(_("legal source document"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    rule_set = models.OneToOneField("rules.RuleSet", on_delete=models.PROTECT, related_name="policy")
    item = models.ForeignKey(
        "catalogue.Item", on_delete=models.SET_NULL, null=True, blank=True, related_name="policies"
    )
    opens_on = models.DateField(_("application opens"))
    closes_on = models.DateField(_("application closes"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="policy_window"
            ),
            models.CheckConstraint(condition=~models.Q(source_document=""), name="policy_has_source"),
        ]

    def __str__(self) -> str:
        return self.name


class PolicyStat(models.Model):
    """Per policy and day: calculator visits that showed it, and matches (visits that found the enterprise
    eligible)."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="stats")
    day = models.DateField(_("day"))
    visits = models.PositiveIntegerField(_("visits"), default=0)
    matches = models.PositiveIntegerField(_("matches"), default=0)

    class Meta:
        verbose_name = _("policy figure")
        verbose_name_plural = _("policy figures")
        constraints = [models.UniqueConstraint(fields=["policy", "day"], name="policies_stat_unique")]

    def __str__(self) -> str:
        return f"{self.policy_id} {self.day}"


class CalculatorVisit(models.Model):
    day = models.DateField(_("day"), unique=True)
    visits = models.PositiveIntegerField(_("visits"), default=0)

    class Meta:
        verbose_name = _("calculator visits")
        verbose_name_plural = _("calculator visits")

    def __str__(self) -> str:
        return f"{self.day}: {self.visits}"


class PolicyNotice(models.Model):
    """Qualifying enterprises listed for the department when a rule-set version was published."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="notices")
    run = models.OneToOneField("rules.EvaluationRun", on_delete=models.PROTECT, related_name="+")
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    notified = models.PositiveIntegerField(_("enterprises notified"), default=0)

    class Meta:
        verbose_name = _("qualifying list")
        verbose_name_plural = _("qualifying lists")

    def __str__(self) -> str:
        return f"{self.policy_id} · run {self.run_id}"
