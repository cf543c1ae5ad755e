"""Pages of construction-project approval: the owner's projects, one form per stage (portal); the
coordinator's board by risk, a project with its Gantt chart and what-if, the figures (workbench). Access
through the access functions, input through forms, reads through selectors, writes through services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.accounts.access import ensure, enterprises_for, has_role, signed_in
from yiwang.accounts.roles import Role
from yiwang.applications import workflow as app_wf
from yiwang.core.errors import ServiceError
from yiwang.core.forms import form_refusal
from yiwang.web.pages import require

from . import forms, selectors
from . import services as s
from . import workflow as wf
from .access import (
    access_board,
    access_figures,
    access_owner_portal,
    access_project_own,
    access_project_staff,
)
from .vocabulary import PROJECT_TYPES, nature_label, type_label

if TYPE_CHECKING:
    from .models import Project


def _project(request: HttpRequest, case_id: int, check: Any, action: str) -> Project:
    p = selectors.project_get(case_id)
    if p is None:
        raise Http404
    ensure(check(request.user, p.case), user=request.user, action=action, obj=p.case)
    return p


def _item_rows(items: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "item": i,
            "status": app_wf.WORKFLOW.status_label(i.status) if i.status else "",
            "css": "ok"
            if i.approved
            else ("bad" if i.approved is False or (i.slack <= 0 and i.critical) else ""),
        }
        for i in items
    ]


def _project_context(p: Project) -> dict[str, Any]:
    stages = selectors.stages(p)
    for st in stages:
        st["rows"] = _item_rows(st["items"])
    return {
        "p": p,
        "case": p.case,
        "status": wf.status_label(p.case.status),
        "type": type_label(p.project_type),
        "nature": nature_label(p.nature),
        "stages": stages,
        "gantt": selectors.gantt(p),
    }


# --- portal -----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@require(access_owner_portal, action="construction.mine")
def mine(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    enterprises = [(e.pk, e.name) for e in enterprises_for(user)]
    ctx: dict[str, Any] = {
        "projects": selectors.owner_projects(user),
        "values": {},
        "errors": {},
        "message": "",
    }
    ctx["enterprises"], ctx["types"], ctx["natures"] = (
        enterprises,
        list(PROJECT_TYPES.items()),
        list(forms.NATURES.items()),
    )
    ctx["plans"] = selectors.plans_active()
    if request.method == "POST":
        form = forms.ProjectForm(request.POST, enterprises=enterprises)
        ctx["values"] = {k: form[k].value() or "" for k in form.fields}
        try:
            if not form.is_valid():
                raise form_refusal(form)
            owner = next(e for e in enterprises_for(user) if e.pk == form.cleaned_data["enterprise"])
            case = s.project_register(actor=user, enterprise=owner, data=form.project_input())
            return redirect("construction:project", case_id=case.pk)
        except ServiceError as exc:
            body = exc.as_dict()
            ctx["errors"], ctx["message"] = body["fields"], body["message"]
            return render(
                request, "construction/mine.html", ctx, status=exc.status if exc.status != 422 else 400
            )
    return render(request, "construction/mine.html", ctx)


@require_GET
@login_required
@require(access_owner_portal, action="construction.project")
def project(request: HttpRequest, case_id: int) -> HttpResponse:
    p = _project(request, case_id, access_project_own, "construction.project")
    ctx = _project_context(p)
    ctx["submitted"] = forms.SubmittedQueryForm(request.GET).values()["submitted"]
    return render(request, "construction/project.html", ctx)


@require_POST
@login_required
@require(access_owner_portal, action="construction.submit_stage")
def submit_stage(request: HttpRequest, case_id: int, stage: int) -> HttpResponse:
    p = _project(request, case_id, access_project_own, "construction.submit_stage")
    form = forms.StageForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise form_refusal(form)
        s.project_submit_stage(
            actor=signed_in(request),
            case_id=p.pk,
            data=form.stage_input(stage),
            expected_version=form.cleaned_data.get("version"),
        )
        return redirect(reverse("construction:project", kwargs={"case_id": p.pk}) + f"?submitted={stage}")
    except ServiceError as exc:
        ctx = _project_context(selectors.project_get(p.pk) or p)
        body = exc.as_dict()
        ctx.update(errors=body["fields"], message=body["message"], failed_stage=stage, values=request.POST)
        return render(
            request, "construction/project.html", ctx, status=exc.status if exc.status != 422 else 400
        )


# --- workbench --------------------------------------------------------------------------------------


@require_GET
@login_required
@require(access_board, action="construction.board")
def board(request: HttpRequest) -> HttpResponse:
    q = forms.BoardQueryForm(request.GET).values()
    page = int(q["page"] or 1)
    b = selectors.board(request.user, limit=50, offset=(page - 1) * 50, project_type=q["project_type"] or "")
    rows = [
        {
            "p": p,
            "type": type_label(p.project_type),
            "css": "bad" if p.slack <= 0 else ("warn" if p.slack <= 5 else "ok"),
        }
        for p in b.rows
    ]
    return render(
        request,
        "construction/board.html",
        {
            "rows": rows,
            "total": b.total,
            "at_risk": b.at_risk,
            "page": page,
            "more": page * 50 < b.total,
            "types": list(PROJECT_TYPES.items()),
            "project_type": q["project_type"] or "",
        },
    )


@require_GET
@login_required
@require(access_board, action="construction.staff_project")
def staff_project(request: HttpRequest, case_id: int) -> HttpResponse:
    p = _project(request, case_id, access_project_staff, "construction.staff_project")
    ctx = _project_context(p)
    mine = (
        set()
        if has_role(request.user, Role.PROJECT_COORDINATOR)
        else {i.pk for i in selectors.office_items(p, request.user)}
    )
    for st in ctx["stages"]:
        for row in st["rows"]:
            row["mine"] = row["item"].pk in mine
    q = forms.WhatIfForm(request.GET).values()
    ctx["whatif"] = selectors.what_if(p, q["item"], int(q["days"])) if q["item"] and q["days"] else None
    ctx["chart"] = {
        **ctx["gantt"],
        "labels": {
            "budget": _("Budget"),
            "slack": _("slack"),
            "critical": _("critical path"),
            "days": _("working days"),
        },
    }
    return render(request, "construction/staff_project.html", ctx)


@require_GET
@login_required
@require(access_figures, action="construction.figures")
def figures(request: HttpRequest) -> HttpResponse:
    q = forms.FiguresQueryForm(request.GET).values()
    d = selectors.figures(year=q["year"])
    chart = {
        "labels": [r["label"] for r in d["by_kind"]],
        "early": [r["early"] for r in d["by_kind"]],
        "other": [r["finished"] - r["early"] for r in d["by_kind"]],
        "names": [_("Finished early"), _("Finished, not early")],
    }
    return render(request, "construction/figures.html", {"d": d, "year": q["year"], "chart": chart})
