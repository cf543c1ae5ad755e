"""The append-only, hash-chained audit log.

Writers insert events without any lock (``seq`` and the hashes empty); the sealer links committed
events in order — it gives each its sequence number and a hash over its own fields and the previous
event's hash — so changing, deleting, inserting or reordering sealed rows breaks the chain at a
sequence number that ``audit_verify`` reports, and an event left unsealed too long is reported too
(docs/adr/0006-audit-sealer.md). On PostgreSQL a trigger refuses UPDATE and DELETE (migrations 0002,
0003) except the sealing of an unsealed row and the audited retention purge.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Success")
        DENIED = "denied", _("Denied")
        FAILED = "failed", _("Failed")

    # Set by the sealer (None while the event waits to be linked into the chain).
    seq = models.BigIntegerField(_("sequence"), unique=True, null=True, blank=True)
    at = models.DateTimeField(_("time"), db_index=True)  # stored in UTC, shown in the time zone displayed
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    channel = models.CharField(_("channel"), max_length=10, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    # "hmac-sm3:<key id>" (keyed), or "sm3"/"sha256" for rows sealed before keying.
    algorithm = models.CharField(_("hash algorithm"), max_length=40, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, blank=True)
    sealed_at = models.DateTimeField(_("sealed at"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=["success", "denied", "failed"]), name="audit_outcome_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(seq__isnull=True) | (~models.Q(hash="") & ~models.Q(prev_hash="")),
                name="audit_sealed_has_hashes",
            ),
        ]
        indexes = [models.Index(fields=["id"], name="audit_unsealed", condition=models.Q(seq__isnull=True))]

    def __str__(self) -> str:
        return f"#{self.seq or '…'} {self.action} {self.object_type}:{self.object_id} {self.outcome}"


class AuditChainHead(models.Model):
    """One row: the chain's tip (locked by the sealer only) and its anchor (the first row kept after a
    purge)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")
    anchor_seq = models.BigIntegerField(default=1)
    anchor_prev_hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("audit chain head")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_head_single_row")]

    def __str__(self) -> str:
        return f"head #{self.last_seq}"
