"""Credit records (信用+政务服务): subjects kept by their code, records from source systems, import batches, the
published list rules, the derived list entries, credit repairs and the standing each case was treated with.

Records and list entries point at their subject by its key (the credit code, or the resident ID's blind index)
without a database constraint: a subject unknown to the platform is kept by code and linked to its enterprise
or person when they appear (docs/adr/0110-credit-records-and-import.md). Writers are in ``services.py``.
"""

from __future__ import annotations

import builtins

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yiwang.core.fields import EncryptedIdentifierField
from yiwang.core.masking import mask_id

from .vocabulary import CATEGORIES, LISTS, SEVERITIES, SUBJECT_KINDS, WHITE

LIST_CHOICES = [(k, v) for k, v in LISTS.items()]


class Subject(models.Model):
    """An enterprise or a person credit records are about; ``key`` is the credit code or the blind index."""

    key = models.CharField(_("key"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=1, choices=list(SUBJECT_KINDS.items()))
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    id_number = EncryptedIdentifierField(_("resident ID number"), index_field="id_number_index", blank=True)
    id_number_index = models.CharField(max_length=64, blank=True, editable=False)
    name = models.CharField(_("name"), max_length=200, blank=True)
    enterprise = models.ForeignKey(
        "accounts.Enterprise", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        "accounts.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    standing = models.CharField(_("standing"), max_length=5, choices=LIST_CHOICES, default=WHITE)
    standing_changed_at = models.DateTimeField(_("standing changed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("credit subject")
        verbose_name_plural = _("credit subjects")
        indexes = [models.Index(fields=["standing"], name="credit_subject_standing")]

    def __str__(self) -> str:
        return self.code_masked()

    def code_masked(self) -> str:
        return self.credit_code if self.kind == "E" else mask_id(self.id_number)


class ImportBatch(models.Model):
    """One import (a file from the console or the page, or a push from a source system)."""

    class State(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    source = models.CharField(_("source"), max_length=40)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=10, default="file")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.RUNNING)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_bad = models.PositiveIntegerField(_("rows refused"), default=0)
    inserted = models.PositiveIntegerField(_("new records"), default=0)
    updated = models.PositiveIntegerField(_("records replaced"), default=0)
    unchanged = models.PositiveIntegerField(_("records unchanged"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    message = models.CharField(_("message"), max_length=300, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("credit import")
        verbose_name_plural = _("credit imports")

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M}"


class Record(models.Model):
    """One credit record as a source system keeps it; (source, source record id) identifies it."""

    id = models.BigAutoField(primary_key=True)
    source = models.CharField(_("source"), max_length=40)
    source_record_id = models.CharField(_("source record id"), max_length=64)
    subject = models.ForeignKey(
        Subject,
        to_field="key",
        db_column="subject_key",
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="records",
        verbose_name=_("subject"),
    )
    category = models.CharField(_("category"), max_length=24, choices=list(CATEGORIES.items()))
    source_office = models.CharField(_("source office"), max_length=100)
    decision_date = models.DateField(_("decision date"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=list(SEVERITIES.items()), default=1)
    text = models.TextField(_("text"), blank=True)
    digest = models.CharField(max_length=32, editable=False)
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("credit record")
        verbose_name_plural = _("credit records")
        constraints = [
            models.UniqueConstraint(fields=["source", "source_record_id"], name="credit_record_source_id"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="credit_record_validity",
            ),
        ]
        indexes = [
            models.Index(fields=["subject"], name="credit_record_subject"),
            models.Index(fields=["category"], name="credit_record_category"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_record_id}"


class ListRule(models.Model):
    """A published rule: records of these categories, at least this severity, valid today → this list."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    list = models.CharField(_("list"), max_length=5, choices=LIST_CHOICES[:2])
    categories = models.JSONField(_("categories"), default=builtins.list)
    min_severity = models.PositiveSmallIntegerField(
        _("lowest severity"), choices=[*SEVERITIES.items()], default=1
    )
    active = models.BooleanField(_("active"), default=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["list", "code"]
        verbose_name = _("list rule")
        verbose_name_plural = _("list rules")

    def __str__(self) -> str:
        return self.code


class ListEntry(models.Model):
    """Derived: one record putting one subject on a list, by one rule (rebuilt by ``credit_derive``)."""

    id = models.BigAutoField(primary_key=True)
    subject = models.ForeignKey(
        Subject,
        to_field="key",
        db_column="subject_key",
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="entries",
    )
    list = models.CharField(max_length=5, choices=LIST_CHOICES[:2])
    rule_code = models.CharField(max_length=40)
    record = models.ForeignKey(Record, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    category = models.CharField(max_length=24)
    source = models.CharField(max_length=40)
    source_office = models.CharField(max_length=100)
    decision_date = models.DateField()
    since = models.DateField()
    until = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        indexes = [models.Index(fields=["subject"], name="credit_entry_subject")]

    def __str__(self) -> str:
        return f"{self.subject_id} {self.list} {self.rule_code}"


class Repair(models.Model):
    """信用修复: a decision ending a record's black mark early."""

    record = models.OneToOneField(Record, on_delete=models.PROTECT, related_name="repair")
    decision_reference = models.CharField(_("decision reference"), max_length=80)
    decided_on = models.DateField(_("decided on"))
    reason = models.TextField(_("reason"), max_length=1000, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("credit repair")
        verbose_name_plural = _("credit repairs")

    def __str__(self) -> str:
        return self.decision_reference


class CaseStanding(models.Model):
    """The standing a case was treated with at one step, with the reasons that applied then."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="credit_standings")
    step = models.CharField(_("step"), max_length=24)
    standing = models.CharField(_("standing"), max_length=5, choices=LIST_CHOICES)
    reasons = models.JSONField(_("reasons"), default=list)
    internal_target = models.DateField(_("internal target"), null=True, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["case", "at", "id"]
        verbose_name = _("standing applied to a case")
        verbose_name_plural = _("standings applied to cases")
        indexes = [models.Index(fields=["standing", "step"], name="credit_case_standing")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.step} {self.standing}"
