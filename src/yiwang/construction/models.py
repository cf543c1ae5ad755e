"""Construction projects (深圳90) on the case kernel: approval plans as versioned data, the project (a
``Case`` of kind ``construction`` with this one-to-one row) and its items, each owning a real item
application (a child ``Case`` of kind ``application``). Writers: ``services.py``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .vocabulary import INVESTMENT_KINDS, NATURES, PROJECT_TYPES


class Plan(models.Model):
    """An approval plan template per project type; its content lives in versions (the current one is used
    for new projects; projects keep the version they were drawn from)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    project_type = models.CharField(
        _("project type"), max_length=20, choices=[(k, v) for k, v in PROJECT_TYPES.items()]
    )
    current = models.ForeignKey(
        "PlanVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current version"),
    )
    active = models.BooleanField(_("offered for new projects"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("approval plan")
        verbose_name_plural = _("approval plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(project_type__in=list(PROJECT_TYPES)), name="construction_plan_type_valid"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PlanVersion(models.Model):
    """One immutable version of a plan: its definition (``plans.py`` says what it holds), checked on save."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions", verbose_name=_("plan"))
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)
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
        ordering = ["plan", "-number"]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="construction_plan_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} v{self.number}"


class Project(models.Model):
    """A construction project: the owner is the case's principal party (an enterprise or a government unit,
    both ``Enterprise`` rows); the plan drawn for it, its budget and the rule that applied; the project
    clock's figures, denormalised after every recomputation for the coordinator's board."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="project"
    )
    plan_version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="projects")
    project_type = models.CharField(
        _("project type"), max_length=20, choices=[(k, v) for k, v in PROJECT_TYPES.items()]
    )
    investment_kind = models.CharField(
        _("investment kind"), max_length=12, choices=[(k, v) for k, v in INVESTMENT_KINDS.items()]
    )
    nature = models.CharField(
        _("nature of works"), max_length=12, choices=[(k, v) for k, v in NATURES.items()]
    )
    investment = models.DecimalField(_("investment (yuan)"), max_digits=16, decimal_places=2)
    location = models.CharField(_("location"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    budget_days = models.PositiveSmallIntegerField(_("working-day budget"))
    base_budget_days = models.PositiveSmallIntegerField(_("plan's budget before rules"))
    rules_applied = models.JSONField(_("rules that applied"), default=list, blank=True)
    # The shared data of the one form per stage (一张表单), by stage number.
    stage_data = models.JSONField(_("stage forms"), default=dict, blank=True)
    stage = models.PositiveSmallIntegerField(_("current stage"), default=1)
    started_on = models.DateField(_("clock started on"), null=True, blank=True)
    # The project clock (recomputed): government days used and expected, the applicant's days apart.
    gov_days = models.PositiveIntegerField(_("government working days used"), default=0)
    applicant_days = models.PositiveIntegerField(
        _("applicant's working days (corrections, waiting)"), default=0
    )
    expected_days = models.PositiveIntegerField(_("expected government working days"), default=0)
    slack = models.IntegerField(_("slack (working days)"), default=0)
    expected_finish = models.DateField(_("expected finish"), null=True, blank=True)
    permitted_on = models.DateField(_("construction permit on"), null=True, blank=True)
    early = models.BooleanField(_("finished early"), null=True, blank=True)
    recomputed_at = models.DateTimeField(_("recomputed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("construction project")
        verbose_name_plural = _("construction projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(project_type__in=list(PROJECT_TYPES)), name="construction_project_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(investment_kind__in=list(INVESTMENT_KINDS)),
                name="construction_investment_kind_valid",
            ),
            models.CheckConstraint(condition=Q(nature__in=list(NATURES)), name="construction_nature_valid"),
            models.CheckConstraint(condition=Q(investment__gte=0), name="construction_investment_positive"),
            models.CheckConstraint(condition=Q(stage__gte=1, stage__lte=4), name="construction_stage_valid"),
        ]
        indexes = [
            # The coordinator's board: open projects by risk (least slack first).
            models.Index(fields=["slack", "expected_finish", "case"], name="construction_board"),
        ]

    def __str__(self) -> str:
        return str(self.case)


class ProjectItem(models.Model):
    """One approval item of a project's plan; once its stage is submitted, the item application it owns."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(_("key"), max_length=40)
    position = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(_("name"), max_length=200)
    item_code = models.CharField(_("catalogue item"), max_length=32)
    stage = models.PositiveSmallIntegerField(_("stage"))
    budget_days = models.PositiveSmallIntegerField(_("budget (working days)"))
    after = models.JSONField(_("after"), default=list, blank=True)
    skipped = models.BooleanField(_("skipped"), default=False)
    skip_reason = models.CharField(_("why skipped"), max_length=300, blank=True)
    application = models.OneToOneField(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project_item",
        verbose_name=_("item application"),
    )
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=24, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    approved = models.BooleanField(_("approved"), null=True, blank=True)
    correction_days = models.PositiveSmallIntegerField(
        _("correction working days (the applicant's)"), default=0
    )
    in_correction_since = models.DateField(_("in correction since"), null=True, blank=True)
    # Recomputed: government days (actual or expected), earliest start and slack, on the critical path.
    gov_days = models.PositiveSmallIntegerField(_("government working days"), default=0)
    expected_days = models.PositiveSmallIntegerField(_("expected working days"), default=0)
    early_start = models.PositiveSmallIntegerField(default=0)
    slack = models.IntegerField(_("slack"), default=0)
    critical = models.BooleanField(_("on the critical path"), default=False)

    class Meta:
        ordering = ["project", "position"]
        verbose_name = _("project item")
        verbose_name_plural = _("project items")
        constraints = [models.UniqueConstraint(fields=["project", "key"], name="construction_item_unique")]
        indexes = [models.Index(fields=["office", "project"], name="construction_item_office")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.key}"


class HistoricYear(models.Model):
    """A yearly rollup of project records from before the platform (the district's 深圳90 ledger): the
    figures read them beside the live projects, so the 2019 totals need no 4,543 case trees."""

    year = models.PositiveSmallIntegerField(_("year"))
    investment_kind = models.CharField(
        _("investment kind"), max_length=12, choices=[(k, v) for k, v in INVESTMENT_KINDS.items()]
    )
    project_type = models.CharField(_("project type"), max_length=20, blank=True)
    cases = models.PositiveIntegerField(_("cases"))
    early = models.PositiveIntegerField(_("finished early"))
    within_budget = models.PositiveIntegerField(_("finished within budget"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["year", "investment_kind", "project_type"]
        verbose_name = _("historic year")
        verbose_name_plural = _("historic years")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "investment_kind", "project_type"], name="construction_history_unique"
            ),
            models.CheckConstraint(
                condition=Q(early__lte=models.F("cases")), name="construction_history_early"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.investment_kind} {self.cases}"
