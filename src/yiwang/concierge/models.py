"""The key-enterprise concierge (重点企业全程跟办, docs/adr/0113-key-enterprise-concierge.md): the portfolio of
key enterprises, each with its concierge and the transfers between concierges, the follow-up notes on the enterprises' cases and the coordination requests
sent to the owning offices (问题分级处置, levels 1/2/3, each with a response due date).

The cases themselves are the kernel's (``cases.Case`` of any kind whose applicant is the enterprise): the board
reads them, it keeps no copy. Writers are in ``services.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

REASONS = {"existing": _("existing key enterprise"), "attracting": _("being attracted (拟引入)")}
LEVELS = {
    1: _("level 1: handled by the concierge"),
    2: _("level 2: handled by the department"),
    3: _("level 3: escalated to the bureau's leaders"),
}


class KeyEnterprise(models.Model):
    enterprise = models.OneToOneField(
        "accounts.Enterprise",
        on_delete=models.PROTECT,
        related_name="key_enterprise",
        verbose_name=_("enterprise"),
    )
    reason = models.CharField(_("reason"), max_length=12, choices=list(REASONS.items()))
    concierge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="portfolio",
        verbose_name=_("concierge"),
    )
    since = models.DateField(_("in the portfolio since"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["enterprise__name"]
        verbose_name = _("key enterprise")
        verbose_name_plural = _("key enterprises")

    def __str__(self) -> str:
        return str(self.enterprise)


class Transfer(models.Model):
    key_enterprise = models.ForeignKey(KeyEnterprise, on_delete=models.CASCADE, related_name="transfers")
    from_concierge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    to_concierge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["key_enterprise", "at", "id"]
        verbose_name = _("portfolio transfer")
        verbose_name_plural = _("portfolio transfers")

    def __str__(self) -> str:
        return f"{self.key_enterprise_id}: {self.from_concierge_id} → {self.to_concierge_id}"


class FollowUpNote(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="concierge_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"), max_length=2000)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["case", "at", "id"]
        verbose_name = _("follow-up note")
        verbose_name_plural = _("follow-up notes")

    def __str__(self) -> str:
        return self.text[:40]


class CoordinationRequest(models.Model):
    """A concierge asks the owning office to act on a case; the level sets who handles it and the response due."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="coordination_requests")
    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"), choices=list(LEVELS.items()))
    text = models.TextField(_("request"), max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("sent at"), auto_now_add=True)
    due_date = models.DateField(_("response due"))
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    answer = models.TextField(_("answer"), max_length=2000, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("coordination request")
        verbose_name_plural = _("coordination requests")

    def __str__(self) -> str:
        return f"{self.case_id} L{self.level}"
