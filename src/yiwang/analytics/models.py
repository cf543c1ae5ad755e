"""The published scoring formulas of the assessment and the third-party evaluation results
(docs/adr/0122-assessment-formula-and-index.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ScoringFormula(models.Model):
    """One published version of the assessment formula: weights per component (summing to 1), immutable."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    weights = models.JSONField(_("weights"))
    note = models.CharField(_("change note"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        verbose_name = _("scoring formula")
        verbose_name_plural = _("scoring formulas")

    def __str__(self) -> str:
        return f"v{self.version}"


class ThirdPartyScore(models.Model):
    """A third-party satisfaction survey's score for one hall, month and dimension (imported from Excel)."""

    month = models.DateField(_("month"))  # the first day
    hall = models.ForeignKey("accounts.Hall", on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(_("dimension"), max_length=40)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    surveyor = models.CharField(_("surveyor"), max_length=80, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["-month", "hall", "dimension"]
        verbose_name = _("third-party evaluation score")
        verbose_name_plural = _("third-party evaluation scores")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "hall", "dimension"], name="thirdparty_one_per_dimension"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=100), name="thirdparty_score_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.hall_id} {self.dimension} {self.score}"
