"""The construction API (mounted at /api/construction): one typed operation per action, thin over the
services; reads through the selectors."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from yiwang.accounts.access import ensure, enterprises_for, signed_in
from yiwang.core.errors import NotFound, ServiceError
from yiwang.web.api import AUTH, ERRORS, WRITE_ERRORS, Id, Year

from . import selectors
from . import services as s
from . import workflow as wf
from .access import (
    access_board,
    access_figures,
    access_owner_portal,
    access_plan_edit,
    access_project_own,
    access_project_staff,
)
from .models import Project
from .plans import parse_investment
from .schemas import (
    ConstructionBoardOut,
    ConstructionFiguresOut,
    ConstructionPlanOut,
    ConstructionPlanVersionIn,
    ConstructionProjectIn,
    ConstructionProjectOut,
    ConstructionStageIn,
    ConstructionWhatIfOut,
)

router = Router(tags=["construction"])
StageNo = Annotated[int, Field(ge=1, le=4, description="the stage, 1 to 4")]


def project_out(p: Project) -> dict[str, Any]:
    case = p.case
    return {
        "id": case.pk,
        "number": case.number,
        "title": case.title,
        "status": case.status,
        "status_label": wf.status_label(case.status),
        "version": case.version,
        "owner": case.applicant_enterprise.name if case.applicant_enterprise else "",
        "project_type": p.project_type,
        "investment_kind": p.investment_kind,
        "nature": p.nature,
        "investment": str(p.investment),
        "location": p.location,
        "plan": p.plan_version.plan.code,
        "plan_version": p.plan_version.number,
        "budget_days": p.budget_days,
        "base_budget_days": p.base_budget_days,
        "rules_applied": p.rules_applied,
        "stage": p.stage,
        "started_on": p.started_on,
        "gov_days": p.gov_days,
        "applicant_days": p.applicant_days,
        "expected_days": p.expected_days,
        "slack": p.slack,
        "expected_finish": p.expected_finish,
        "permitted_on": p.permitted_on,
        "items": [
            {
                "key": i.key,
                "name": i.name,
                "item_code": i.item_code,
                "stage": i.stage,
                "budget_days": i.budget_days,
                "skipped": i.skipped,
                "skip_reason": i.skip_reason,
                "application": i.application.number if i.application else None,
                "office": i.office.code if i.office else None,
                "status": i.status,
                "submitted_on": i.submitted_on,
                "decided_on": i.decided_on,
                "approved": i.approved,
                "gov_days": i.gov_days,
                "correction_days": i.correction_days,
                "early_start": i.early_start,
                "slack": i.slack,
                "critical": i.critical,
            }
            for i in selectors.project_items(p)
        ],
    }


def _load(request: HttpRequest, case_id: int) -> Project:
    p = selectors.project_get(case_id)
    if p is None:
        raise NotFound(_("No such project."))
    ok = access_project_own(request.user, p.case) or access_project_staff(request.user, p.case)
    ensure(ok, user=request.user, action="construction.api_project", obj=p.case)
    return p


@router.get("/plans", response={200: list[ConstructionPlanOut], **ERRORS}, auth=AUTH)
def plans(request: HttpRequest) -> Any:
    """The approval plans offered for new projects, each with its current version's definition."""
    signed_in(request)
    return [
        {
            "code": p.code,
            "name": p.name,
            "project_type": p.project_type,
            "version": p.current.number,
            "definition": p.current.definition,
        }
        for p in selectors.plans_active()
        if p.current is not None
    ]


@router.post("/plans/{code}/versions", response={201: ConstructionPlanOut, **WRITE_ERRORS}, auth=AUTH)
def plan_version(request: HttpRequest, code: str, payload: ConstructionPlanVersionIn) -> Any:
    """A system administrator saves a new version of a plan (checked: cycles, budgets, catalogue items)."""
    ensure(access_plan_edit(request.user), user=request.user, action="construction.plan_version")
    plan = selectors.plan_get(code[:40])
    if plan is None:
        raise NotFound(_("No such plan."))
    v = s.plan_version_save(
        actor=signed_in(request), plan=plan, definition=payload.definition, note=payload.note
    )
    return Status(
        201,
        {
            "code": plan.code,
            "name": plan.name,
            "project_type": plan.project_type,
            "version": v.number,
            "definition": v.definition,
        },
    )


@router.post("/projects", response={201: ConstructionProjectOut, **WRITE_ERRORS}, auth=AUTH)
def register(request: HttpRequest, payload: ConstructionProjectIn) -> Any:
    """The owner registers a project: the plan for its type is drawn (skipped items and budget shown with
    the rule that applied)."""
    ensure(access_owner_portal(request.user), user=request.user, action="construction.register")
    user = signed_in(request)
    try:
        amount = parse_investment(payload.investment)
    except ValueError:
        raise ServiceError(
            _("The investment amount must be a number of yuan, e.g. 38000000."),
            fields={"investment": _("Not a number.")},
        ) from None
    owner = enterprises_for(user).filter(pk=payload.enterprise).first()
    if owner is None:
        raise ServiceError(_("You do not act for this owner."), fields={"enterprise": _("Not yours.")})
    data = s.ProjectInput(
        title=payload.title,
        project_type=payload.project_type,
        investment=amount,
        nature=payload.nature,
        location=payload.location,
        description=payload.description,
    )
    if payload.nature not in ("new", "extension", "renovation"):
        raise ServiceError(
            _("Choose the nature of works."), fields={"nature": _("new, extension or renovation.")}
        )
    case = s.project_register(actor=user, enterprise=owner, data=data)
    p = selectors.project_get(case.pk)
    assert p is not None
    return Status(201, project_out(p))


class ConstructionListQuery(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)
    project_type: str = Field("", max_length=20)


@router.get("/projects/mine", response={200: list[ConstructionProjectOut], **ERRORS}, auth=AUTH)
def mine(request: HttpRequest) -> Any:
    """The projects of the owners the applicant acts for, newest first (at most 100)."""
    ensure(access_owner_portal(request.user), user=request.user, action="construction.mine")
    return [project_out(p) for p in selectors.owner_projects(signed_in(request))[:100]]


@router.get("/board", response={200: ConstructionBoardOut, **ERRORS}, auth=AUTH)
def board(request: HttpRequest, q: Query[ConstructionListQuery]) -> Any:
    """The coordinator's board: open projects by risk, least slack first (an office: its own projects)."""
    ensure(access_board(request.user), user=request.user, action="construction.board")
    b = selectors.board(request.user, limit=q.limit, offset=q.offset, project_type=q.project_type)
    return {
        "total": b.total,
        "at_risk": b.at_risk,
        "rows": [
            {
                "id": p.pk,
                "number": p.case.number,
                "title": p.case.title,
                "project_type": p.project_type,
                "stage": p.stage,
                "budget_days": p.budget_days,
                "expected_days": p.expected_days,
                "slack": p.slack,
                "expected_finish": p.expected_finish,
            }
            for p in b.rows
        ],
    }


@router.get("/projects/{case_id}", response={200: ConstructionProjectOut, **ERRORS}, auth=AUTH)
def get_project(request: HttpRequest, case_id: Id) -> Any:
    """One project with its items, their applications, statuses, days and slack."""
    return project_out(_load(request, case_id))


@router.post(
    "/projects/{case_id}/stages/{stage}", response={200: ConstructionProjectOut, **WRITE_ERRORS}, auth=AUTH
)
def submit_stage(request: HttpRequest, case_id: Id, stage: StageNo, payload: ConstructionStageIn) -> Any:
    """The owner submits a stage's one form: the stage's item applications are filed at once."""
    p = _load(request, case_id)
    try:
        dossier = base64.b64decode(payload.dossier_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ServiceError(
            _("The dossier is not valid base64."), fields={"dossier_base64": _("Not base64.")}
        ) from None
    fields = {k: getattr(payload, k) for k in ("contact", "contact_phone", "scale", "designer", "notes")}
    s.project_submit_stage(
        actor=signed_in(request),
        case_id=p.pk,
        data=s.StageInput(stage=stage, fields=fields, dossier=dossier, dossier_name=payload.dossier_name),
        expected_version=payload.version,
    )
    fresh = selectors.project_get(p.pk)
    assert fresh is not None
    return project_out(fresh)


class ConstructionWhatIfQuery(Schema):
    item: str = Field(..., min_length=1, max_length=40)
    days: int = Field(..., ge=1, le=200)


@router.get("/projects/{case_id}/what-if", response={200: ConstructionWhatIfOut, **ERRORS}, auth=AUTH)
def what_if(request: HttpRequest, case_id: Id, q: Query[ConstructionWhatIfQuery]) -> Any:
    """If this item takes ``days`` more working days, when does the project finish?"""
    p = _load(request, case_id)
    out = selectors.what_if(p, q.item, q.days)
    if out is None:
        raise ServiceError(
            _("This item is not in the project's budget."), fields={"item": _("Unknown item.")}
        )
    return out


@router.get("/figures", response={200: ConstructionFiguresOut, **ERRORS}, auth=AUTH)
def figures(request: HttpRequest, year: Year | None = None) -> Any:
    """Projects by type and investment kind, within budget and early, averages, the critical items."""
    ensure(access_figures(request.user), user=request.user, action="construction.figures")
    return selectors.figures(year=year)
