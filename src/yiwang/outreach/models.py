"""The resident register, the benefits people already hold, screenings and the visit tasks they produce."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yiwang.core.fields import EncryptedIdentifierField


class Resident(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Living here")
        MOVED = "moved", _("Moved away")
        DECEASED = "deceased", _("Deceased")

    name = models.CharField(_("name"), max_length=60)
    id_number = EncryptedIdentifierField(_("resident ID number"), index_field="id_number_index")
    id_number_index = models.CharField(max_length=64, unique=True, editable=False)
    id_masked = models.CharField(_("resident ID (masked)"), max_length=18)
    sex = models.CharField(_("sex"), max_length=1)
    birth_date = models.DateField(_("date of birth"))
    hukou = models.CharField(_("household registration (district code)"), max_length=6)
    street = models.ForeignKey("accounts.Street", on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey("accounts.Community", on_delete=models.PROTECT, related_name="+")
    disability = models.CharField(_("disability grade"), max_length=1, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    person = models.ForeignKey(
        "accounts.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        indexes = [models.Index(fields=["street", "birth_date"], name="outreach_res_street_birth")]

    def __str__(self) -> str:
        return f"{self.name} ({self.id_masked})"


class ResidentBenefit(models.Model):
    """A benefit or card a resident already holds (敬老优待证, 高龄津贴 …)."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="benefits")
    benefit = models.CharField(_("benefit"), max_length=20)
    since = models.DateField(_("since"))

    class Meta:
        verbose_name = _("benefit held")
        verbose_name_plural = _("benefits held")
        constraints = [
            models.UniqueConstraint(fields=["resident", "benefit"], name="outreach_benefit_unique")
        ]

    def __str__(self) -> str:
        return f"{self.resident_id} · {self.benefit}"


class Screening(models.Model):
    purpose = models.CharField(_("purpose"), max_length=200)
    streets = models.JSONField(_("streets"), default=list)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    figures = models.JSONField(_("figures"), default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")

    def __str__(self) -> str:
        return f"{self.purpose} ({self.started_at:%Y-%m-%d})"


class Visit(models.Model):
    """One person on an outreach list: a visit task for the grid worker of their community."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("To visit")
        APPLIED = "applied", _("Applied on their behalf")
        DECLINED = "declined", _("Declined")
        RETRY = "retry", _("Not at home, retry")
        MOVED = "moved", _("Moved away")
        DECEASED = "deceased", _("Deceased")

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="visits")
    run = models.ForeignKey("rules.EvaluationRun", on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="visits")
    benefit = models.CharField(_("benefit"), max_length=20)
    street = models.ForeignKey("accounts.Street", on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey("accounts.Community", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    attempts = models.PositiveSmallIntegerField(_("visits made"), default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)
    visited_at = models.DateTimeField(_("visited at"), null=True, blank=True)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["community", "id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [models.Index(fields=["community", "outcome"], name="outreach_visit_comm")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    outcome__in=["pending", "applied", "declined", "retry", "moved", "deceased"]
                ),
                name="outreach_outcome_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.resident_id} · {self.benefit} · {self.outcome}"
