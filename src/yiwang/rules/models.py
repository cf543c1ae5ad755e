"""Rule sets (versioned documents, immutable once published, with effective dates), and the stored runs of a
batch evaluation with the version and the data snapshot time they used."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleSet(models.Model):
    code = models.CharField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    subject_kind = models.CharField(_("subject kind"), max_length=20)
    owner = models.CharField(_("owned by"), max_length=20, help_text=_("The context that uses the rule set."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class RuleSetVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    document = models.JSONField(_("rules"))
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["rule_set", "-number"]
        verbose_name = _("rule set version")
        verbose_name_plural = _("rule set versions")
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "number"], name="rules_version_unique"),
            models.UniqueConstraint(
                fields=["rule_set"], condition=models.Q(status="draft"), name="rules_one_draft"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "published"]), name="rules_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_set.code} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        stored = getattr(self, "_stored", None)
        if (
            stored
            and stored[0] == self.Status.PUBLISHED
            and stored != (self.status, self.document, self.effective_from)
        ):
            raise ValueError("published rule set versions are immutable")
        super().save(*args, **kwargs)
        self._stored = (self.status, self.document, self.effective_from)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if getattr(self, "_stored", (None,))[0] == self.Status.PUBLISHED:
            raise ValueError("published rule set versions are immutable")
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> Any:  # type: ignore[override]
        obj = super().from_db(db, field_names, values)
        obj._stored = (obj.status, obj.document, obj.effective_from)
        return obj


class EvaluationRun(models.Model):
    """One batch evaluation: which version, on which data (snapshot time), for what purpose, with what result."""

    version = models.ForeignKey(RuleSetVersion, on_delete=models.PROTECT, related_name="runs")
    as_of = models.DateTimeField(_("data as of"))
    purpose = models.CharField(_("purpose"), max_length=200)
    scope = models.JSONField(_("scope"), default=dict, blank=True)
    method = models.CharField(_("method"), max_length=10)  # "sql" | "python"
    sink = models.CharField(_("results stored in"), max_length=60)
    subjects = models.PositiveIntegerField(_("subjects"), default=0)
    eligible = models.PositiveIntegerField(_("eligible"), default=0)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("evaluation run")
        verbose_name_plural = _("evaluation runs")

    def __str__(self) -> str:
        return f"{self.version} @ {self.as_of:%Y-%m-%d %H:%M}"


class EvaluationResult(models.Model):
    """A subject a run found eligible (the default sink; a context may store its own rows instead)."""

    run = models.ForeignKey(EvaluationRun, on_delete=models.CASCADE, related_name="results")
    subject_id = models.BigIntegerField(_("subject"))
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation result")
        verbose_name_plural = _("evaluation results")
        constraints = [models.UniqueConstraint(fields=["run", "subject_id"], name="rules_result_unique")]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.subject_id}"
