"""Readers of the construction context: the owner's projects, the coordinator's board by risk, a project's
stages, items, critical path, Gantt rows and what-if, the figures; and selectors other contexts use (an
enterprise's projects for a concierge, the investment-project figures for analytics)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from yiwang.accounts.access import has_role, staff_member
from yiwang.accounts.roles import Role
from yiwang.cases.access import cases_visible_q
from yiwang.cases.models import Case
from yiwang.workdays.calendar import get_calendar

from . import workflow as wf
from .models import HistoricYear, Plan, Project, ProjectItem
from .schedule import Topology, forward
from .services import project_durations
from .vocabulary import BUDGET_STAGES, INVESTMENT_KINDS, PROJECT_TYPES, STAGES, type_label

if TYPE_CHECKING:
    from yiwang.accounts.access import Visitor
    from yiwang.accounts.models import Enterprise


def project_get(case_id: int) -> Project | None:
    return (
        Project.objects.select_related("case", "case__applicant_enterprise", "plan_version__plan")
        .filter(case_id=case_id)
        .first()
    )


def plans_active() -> QuerySet[Plan]:
    return Plan.objects.filter(active=True, current__isnull=False).select_related("current").order_by("code")


def plan_get(code: str) -> Plan | None:
    return Plan.objects.filter(code=code).select_related("current").first()


def owner_projects(user: Visitor) -> QuerySet[Project]:
    """The projects of the enterprises and units the applicant acts for."""
    q = cases_visible_q(user, kind=wf.KIND)
    return (
        Project.objects.filter(case__in=_cases(q))
        .select_related("case", "case__applicant_enterprise")
        .order_by("-case__created_at")
    )


def _cases(q: Q) -> Any:
    return Case.objects.filter(q).values("pk")


def enterprise_projects(enterprise: Enterprise) -> QuerySet[Project]:
    """An enterprise's construction projects (for a concierge's board), newest first."""
    return (
        Project.objects.filter(case__applicant_enterprise=enterprise)
        .select_related("case")
        .order_by("-case__created_at")
    )


@dataclass(frozen=True)
class Board:
    rows: list[Project]
    total: int
    at_risk: int


def board(user: Visitor, *, limit: int = 50, offset: int = 0, project_type: str = "") -> Board:
    """Open projects by risk: least slack first (slack ≤ 0 at the top), then the expected finish. The
    coordinator sees every project; an office the projects with one of its items."""
    member = staff_member(user)
    qs = Project.objects.filter(case__is_open=True)
    if not has_role(member, Role.PROJECT_COORDINATOR):
        office = member.office_id if member is not None else None
        qs = qs.filter(items__office_id=office).distinct() if office else qs.none()
    if project_type:
        qs = qs.filter(project_type=project_type)
    total = qs.count()
    at_risk = qs.filter(slack__lte=0).count()
    rows = list(
        qs.select_related("case", "case__applicant_enterprise").order_by(
            "slack", "expected_finish", "case_id"
        )[offset : offset + limit]
    )
    return Board(rows, total, at_risk)


def project_items(project: Project) -> list[ProjectItem]:
    return list(project.items.select_related("application", "office").order_by("position"))


def office_items(project: Project, user: Visitor) -> list[ProjectItem]:
    """The items of ``project`` handled by the user's office (all of them for a coordinator)."""
    items = project_items(project)
    member = staff_member(user)
    if has_role(member, Role.PROJECT_COORDINATOR):
        return items
    return [i for i in items if member is not None and i.office_id and i.office_id == member.office_id]


def stages(project: Project) -> list[dict[str, Any]]:
    """Each stage with its items, whether it has been submitted and whether its gate has passed."""
    items = project_items(project)
    out = []
    for n, label in STAGES.items():
        mine = [i for i in items if i.stage == n]
        active = [i for i in mine if not i.skipped]
        before = [i for i in items if i.stage < n and not i.skipped]
        out.append(
            {
                "number": n,
                "label": str(label),
                "items": mine,
                "submitted": str(n) in project.stage_data or any(i.application_id for i in active),
                "open": all(i.approved for i in before)
                and not any(i.application_id for i in active)
                and bool(active),
                "gate": bool(active) and all(i.approved for i in active),
                "in_budget": n in BUDGET_STAGES,
                "waiting_for": [i.name for i in before if not i.approved],
            }
        )
    return out


def _topology(items: list[ProjectItem]) -> Topology:
    return Topology.of([i for i in items if i.stage in BUDGET_STAGES])


def what_if(project: Project, key: str, more_days: int) -> dict[str, Any] | None:
    """If item ``key`` took ``more_days`` more working days: the expected length, finish date and slack."""
    items = project_items(project)
    budget_items = [i for i in items if i.stage in BUDGET_STAGES]
    if key not in {i.key for i in budget_items if not i.skipped}:
        return None
    cal = get_calendar()
    today = timezone.localdate()
    topo = _topology(items)
    d = project_durations(project, topo, budget_items, cal, today)
    row = d.gov.copy()[None, :]
    now = int(forward(topo, row).max())
    row[0, topo.index(key)] += more_days
    then = int(forward(topo, row).max())
    start = project.started_on or today
    applicant = project.applicant_days
    return {
        "key": key,
        "more_days": more_days,
        "length_now": now,
        "length_then": then,
        "finish_now": cal.add_workdays(start, now + applicant),
        "finish_then": cal.add_workdays(start, then + applicant),
        "slack_then": project.budget_days - then,
        "later_by": then - now,
    }


def gantt(project: Project) -> dict[str, Any]:
    """Rows for the Gantt chart (and its table): each budget item's earliest start and expected days, as
    working-day offsets and dates from the project's start."""
    cal = get_calendar()
    start = project.started_on or timezone.localdate()
    rows = []
    for i in project_items(project):
        if i.stage not in BUDGET_STAGES or i.skipped:
            continue
        rows.append(
            {
                "key": i.key,
                "name": i.name,
                "stage": i.stage,
                "start": i.early_start,
                "days": i.expected_days,
                "budget": i.budget_days,
                "slack": i.slack,
                "critical": i.critical,
                "status": i.status,
                "from": cal.add_workdays(start, i.early_start).isoformat(),
                "to": cal.add_workdays(start, i.early_start + i.expected_days).isoformat(),
            }
        )
    return {"rows": rows, "budget": project.budget_days, "length": project.expected_days}


# --- figures ------------------------------------------------------------------------------------------


def figures(*, year: int | None = None) -> dict[str, Any]:
    """Projects by type and investment kind, finished within the budget and early, the early-completion
    rate, average government days per stage and per item, the items most often on the critical path. The
    yearly rollup of historic records (``HistoricYear``) counts beside the live projects."""
    live = Project.objects.all()
    history = HistoricYear.objects.all()
    if year is not None:
        live = live.filter(case__received_at__year=year)
        history = history.filter(year=year)
    by_kind: dict[str, dict[str, int]] = {
        k: {"cases": 0, "finished": 0, "early": 0, "within": 0} for k in INVESTMENT_KINDS
    }
    by_type: dict[str, dict[str, int]] = {
        k: {"cases": 0, "finished": 0, "early": 0, "within": 0} for k in PROJECT_TYPES
    }
    rows = live.values("investment_kind", "project_type").annotate(
        cases=Count("pk"),
        finished=Count("pk", filter=Q(permitted_on__isnull=False)),
        early=Count("pk", filter=Q(early=True)),
        within=Count("pk", filter=Q(permitted_on__isnull=False, slack__gte=0)),
    )
    for r in rows:
        for bucket in (by_kind[r["investment_kind"]], by_type[r["project_type"]]):
            for k in ("cases", "finished", "early", "within"):
                bucket[k] += r[k]
    for h in history:
        b = by_kind[h.investment_kind]
        b["cases"] += h.cases
        b["finished"] += h.cases
        b["early"] += h.early
        b["within"] += h.within_budget
        if h.project_type in by_type:
            t = by_type[h.project_type]
            t["cases"] += h.cases
            t["finished"] += h.cases
            t["early"] += h.early
            t["within"] += h.within_budget
    total = {k: sum(b[k] for b in by_kind.values()) for k in ("cases", "finished", "early", "within")}
    total["early_rate"] = _rate(total["early"], total["finished"])  # type: ignore[assignment]
    for b in [*by_kind.values(), *by_type.values()]:
        b["early_rate"] = _rate(b["early"], b["finished"])  # type: ignore[assignment]
    items = ProjectItem.objects.filter(
        project__in=live, skipped=False, decided_on__isnull=False, stage__in=sorted(BUDGET_STAGES)
    )
    per_item = items.values("key", "name").annotate(n=Count("pk")).order_by("key")
    item_days: dict[str, list[int]] = defaultdict(list)
    stage_days: dict[int, list[int]] = defaultdict(list)
    for key, stage, g in items.values_list("key", "stage", "gov_days"):
        item_days[key].append(g)
        stage_days[stage].append(g)
    critical = Counter(
        ProjectItem.objects.filter(project__in=live, critical=True).values_list("name", flat=True)
    )
    return {
        "total": total,
        "by_kind": [{"key": k, "label": str(INVESTMENT_KINDS[k]), **v} for k, v in by_kind.items()],
        "by_type": [{"key": k, "label": type_label(k), **v} for k, v in by_type.items()],
        "per_item": [
            {"key": r["key"], "name": r["name"], "n": r["n"], "avg_days": _avg(item_days[r["key"]])}
            for r in per_item
        ],
        "per_stage": [
            {"stage": n, "label": str(STAGES[n]), "n": len(stage_days[n]), "avg_days": _avg(stage_days[n])}
            for n in sorted(BUDGET_STAGES)
        ],
        "critical": [{"name": name, "n": n} for name, n in critical.most_common(10)],
    }


def _rate(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 2) if whole else 0.0


def _avg(values: list[int]) -> float | None:
    return round(float(np.mean(values)), 1) if values else None


def investment_figures(*, year: int | None = None) -> dict[str, Any]:
    """The investment-project figures for analytics: cases, early and the early rate per investment kind."""
    f = figures(year=year)
    return {"total": f["total"], "by_kind": f["by_kind"]}


def due_soon(days: int = 5) -> QuerySet[Project]:
    today = timezone.localdate()
    return Project.objects.filter(case__is_open=True, expected_finish__lte=today + timedelta(days=days))


def first_stage_open(project: Project) -> int | None:
    for s in stages(project):
        if s["open"]:
            return int(s["number"])
    return None


def today() -> date:
    return timezone.localdate()
