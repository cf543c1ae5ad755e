"""The demo district's construction projects (深圳90, docs/adr/0133-construction-demo.md).

- The default approval plans (``services.plans_install_defaults``).
- The 2019 ledger as a yearly rollup (``HistoricYear``): 4,543 cases, 1,847 government and 2,696 social
  investment, 3,193 finished early (70.28%), as the district reported them; the figures read it beside the
  live projects, so the year needs no 4,543 case trees.
- A few hundred projects of every type in every stage, imported in bulk as the district's project ledger
  (the kernel's case, owner party, lead and co-handling assignments; the project and its items with their
  dates, a plan drawn by ``plans.plan_instantiate`` from the current versions), then recomputed by the
  array computation (``services.projects_recompute_all``). Their item applications were handled in the old
  system, so they carry no child cases.
- Two projects of the demo agent's enterprise walked through the real services: stage 1 submitted (its
  three item applications filed and routed), and one with stage 1 approved and stage 2 under way.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from yiwang.accounts.models import Enterprise, User
from yiwang.applications import services as apps
from yiwang.audit.services import audit_record
from yiwang.cases.models import Case, CaseAssignment, CaseParty
from yiwang.cases.states import state_key
from yiwang.catalogue import selectors as catalogue
from yiwang.construction import services as cs
from yiwang.construction import workflow as wf
from yiwang.construction.models import HistoricYear, Plan, Project, ProjectItem
from yiwang.construction.plans import plan_instantiate
from yiwang.workdays.calendar import get_calendar

if TYPE_CHECKING:
    from yiwang.demo.context import DemoContext

HISTORY_2019 = [("government", 1847, 1298), ("social", 2696, 1895)]  # early split in proportion: 3,193 in all
LEDGER = 240
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PLACES = [
    "龙城街道",
    "龙岗街道",
    "坂田街道",
    "布吉街道",
    "平湖街道",
    "横岗街道",
    "宝龙街道",
    "园山街道",
    "吉华街道",
]
WORKS = {
    "gov_building": ["学校新建工程", "社区健康服务中心", "文体中心改造", "保障性住房", "人才公寓"],
    "gov_municipal": ["道路改造工程", "排水管网工程", "河道综合整治", "公园提升工程", "人行天桥"],
    "social": ["产业园厂房", "研发中心", "商业综合体", "物流仓储中心", "数据中心"],
}


def _history() -> int:
    n = 0
    for kind, cases, early in HISTORY_2019:
        _row, made = HistoricYear.objects.get_or_create(
            year=2019,
            investment_kind=kind,
            project_type="",
            defaults={"cases": cases, "early": early, "within_budget": early, "source": "2019年深圳90台账"},
        )
        n += made
    return n


def _offices() -> dict[str, Any]:
    return {i.code: i.office for i in catalogue.published_items().select_related("office")}


def _ledger(ctx: DemoContext, rng: random.Random) -> int:
    """A few hundred projects of every type in every stage, as the ledger imports them."""
    if Project.objects.filter(case__number__startswith="JSL").exists():
        return 0
    plans = {p.project_type: p for p in Plan.objects.filter(active=True).select_related("current")}
    owners = list(Enterprise.objects.order_by("pk")[:40])
    offices = _offices()
    if (
        len(plans) < 3
        or not owners
        or not all(
            i["item"] in offices
            for p in plans.values()
            for i in p.current.definition["items"]  # type: ignore[union-attr]
        )
    ):
        return 0
    cal = get_calendar()
    today = ctx.today
    now = timezone.now()
    types = sorted(plans)
    cases: list[Case] = []
    specs: list[tuple[Any, ...]] = []
    for n in range(LEDGER):
        t = types[n % len(types)]
        reached = n // len(types) % 5  # 0 registered … 4 completion under way
        nature = rng.choice(["new", "new", "extension", "renovation"])
        investment = Decimal(rng.choice([8, 20, 35, 45, 60, 120, 300, 800])) * 1_000_000
        inst = plan_instantiate(plans[t].current.definition, investment=investment, nature=nature)  # type: ignore[union-attr]
        first = next(i for i in inst.active)
        title = f"{rng.choice(PLACES)}{rng.choice(WORKS[t])}"
        status = "registered"
        cases.append(
            Case(
                number=f"JSL{today.year}{n + 1:05d}",
                kind=wf.KIND,
                status=status,
                state_id=state_key(wf.KIND, status),
                is_open=True,
                title=title,
                channel=Case.Channel.ONLINE,
                applicant_enterprise=owners[n % len(owners)],
                owning_office=offices[first.item_code],
                received_at=now,
            )
        )
        specs.append((t, reached, nature, investment, inst))
    projects, items, parties, assignments = [], [], [], []
    for case, (t, reached, nature, investment, inst) in zip(cases, specs, strict=True):
        start = cal.add_workdays(today - timedelta(days=40 * reached + rng.randrange(5, 30)), 0)
        started = start if reached else None
        project = Project(
            case=case,
            plan_version=plans[t].current,
            project_type=t,
            investment_kind="social" if t == "social" else "government",
            nature=nature,
            investment=investment,
            location=case.title[:4] + "某地块",
            budget_days=inst.budget_days,
            base_budget_days=inst.base_budget_days,
            rules_applied=[
                {"code": r["code"], "text": r.get("text", ""), "saves_days": r.get("saves_days", 0)}
                for r in inst.applied
            ],
            started_on=started,
        )
        projects.append(project)
        parties.append(CaseParty(case=case, role="owner", enterprise=case.applicant_enterprise, since=now))
        assignments.append(
            CaseAssignment(case=case, role=CaseAssignment.LEAD, office=case.owning_office, since=now)
        )
        mine = []
        co: set[int] = set()
        gate: date | None = start if reached else None
        for pos, i in enumerate(inst.items, start=1):
            mine.append(
                ProjectItem(
                    project=project, key=i.key, position=pos, name=i.name, item_code=i.item_code, stage=i.stage,
                    budget_days=i.days, after=list(i.after), skipped=i.skipped, skip_reason=i.skip_text,
                )
            )  # fmt: skip
        for st in range(1, reached + 1):
            if gate is None:
                break
            submitted = gate if st == 1 else min(today, cal.add_workdays(gate, rng.choice([0, 1, 2])))
            stage_items = [x for x in mine if x.stage == st and not x.skipped]
            for x in stage_items:
                x.office = offices[x.item_code]
                co.add(x.office.pk)
                x.submitted_on = submitted
                spend = max(1, round(x.budget_days * rng.uniform(0.3, 1.2)))
                corr = rng.choice([0, 0, 0, 2, 4])
                done = cal.add_workdays(submitted, spend + corr)
                if done <= today and (st < reached or rng.random() < 0.5):
                    x.decided_on, x.approved, x.status, x.correction_days = done, True, "closed", corr
                elif rng.random() < 0.2:
                    x.status, x.in_correction_since = "correction", min(today, cal.add_workdays(submitted, 1))
                else:
                    x.status = rng.choice(["pre_review", "under_review", "under_review"])
            decided = [x.decided_on for x in stage_items]
            gate = max(d for d in decided if d) if stage_items and all(decided) else None
        in_budget = [x for x in mine if x.stage <= 3 and not x.skipped]
        if in_budget and all(x.approved for x in in_budget):
            project.permitted_on = max(x.decided_on for x in in_budget if x.decided_on)
            case.status, case.state_id = "permitted", state_key(wf.KIND, "permitted")
        elif any(x.submitted_on for x in mine):
            case.status, case.state_id = "in_approval", state_key(wf.KIND, "in_approval")
        else:
            case.status, case.state_id, project.started_on = (
                "registered",
                state_key(wf.KIND, "registered"),
                None,
            )
        project.stage = max([x.stage for x in mine if x.submitted_on], default=1)
        project.stage_data = {
            str(st): {"contact": "项目联系人"} for st in {x.stage for x in mine if x.submitted_on}
        }
        items += mine
        assignments += [
            CaseAssignment(case=case, role=CaseAssignment.CO_HANDLING, office_id=o, since=now) for o in co
        ]
    Case.objects.bulk_create(cases)
    for project in projects:
        project.case_id = project.case.pk
    Project.objects.bulk_create(projects)
    for x in items:
        x.project_id = x.project.pk
    ProjectItem.objects.bulk_create(items)
    CaseParty.objects.bulk_create(parties)
    CaseAssignment.objects.bulk_create(assignments)
    cs.projects_recompute_all(today=today)
    audit_record(actor=None, action="construction.ledger_import", data={"projects": len(projects)})
    return len(projects)


def _live(ctx: DemoContext) -> int:
    """Two projects of the demo agent's enterprise through the real services."""
    agent = User.objects.filter(username="agent").first()
    if agent is None or Project.objects.filter(case__number__startswith="JS2").exists():
        return 0
    ent = Enterprise.objects.filter(agents__person__user=agent).order_by("pk").first()
    if ent is None:
        return 0
    opening = datetime.combine(
        ctx.today - timedelta(days=21), time(10, 0), tzinfo=timezone.get_current_timezone()
    )
    n = 0
    with ctx.as_of(opening):
        school = cs.project_register(
            actor=agent,
            enterprise=ent,
            data=cs.ProjectInput(
                "龙城街道九年一贯制学校新建工程", "gov_building", Decimal("180000000"), "new", "龙城街道"
            ),
        )
        road = cs.project_register(
            actor=agent,
            enterprise=ent,
            data=cs.ProjectInput(
                "布吉街道市政道路改造工程", "gov_municipal", Decimal("32000000"), "renovation", "布吉街道"
            ),
        )
        n += 2
        for case in (school, road):
            cs.project_submit_stage(
                actor=agent,
                case_id=case.pk,
                data=cs.StageInput(
                    stage=1,
                    fields={"contact": "李四", "contact_phone": "13800000000", "scale": "示范"},
                    dossier=PDF,
                ),
            )
    # the road's stage 1 approved by its offices a week later; stage 2 filed the day after
    with ctx.as_of(opening + timedelta(days=7)):
        for pi in ProjectItem.objects.filter(project_id=road.pk, application__isnull=False).select_related(
            "application"
        ):
            reviewer = User.objects.filter(
                kind="staff", office=pi.office, role_grants__role="reviewer"
            ).first()
            if reviewer is None:
                return n
            child = pi.application
            assert child is not None
            for step in (
                apps.application_start_pre_review,
                apps.application_accept,
                apps.application_start_review,
                apps.application_approve,
            ):
                step(actor=reviewer, case_id=child.pk)
                cs.project_item_sync(
                    child_id=child.pk, action=step.__name__, status=Case.objects.get(pk=child.pk).status
                )
    with ctx.as_of(opening + timedelta(days=8)):
        cs.project_submit_stage(
            actor=agent,
            case_id=road.pk,
            data=cs.StageInput(
                stage=2,
                fields={"contact": "李四", "contact_phone": "13800000000", "scale": "示范"},
                dossier=PDF,
            ),
        )
    for case in (school, road):
        cs.project_recompute(project=Project.objects.get(pk=case.pk), today=ctx.today)
    return n


def load(ctx: DemoContext) -> None:
    if not catalogue.published_items().filter(code="LG12001-00-00").exists():
        ctx.out("construction: skipped, no catalogue (load the catalogue demo first)")
        return
    # In the order things happened (the audit trail runs forward in time): the plans were set up with the
    # district, the two live projects were registered three weeks ago, the ledger is imported today.
    with ctx.as_of(ctx.opening + timedelta(hours=4)):
        ctx.count("approval plans", cs.plans_install_defaults())
    ctx.count("construction projects (live)", _live(ctx))
    ctx.count("historic years (2019 ledger)", _history())
    ctx.count("construction projects (ledger)", _ledger(ctx, random.Random(90)))
