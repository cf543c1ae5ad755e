"""Pages: the online hall and public progress (portal), reception, inbox, case, approvals, deadlines and
figures (workbench). Every view checks access through the access functions; services do the writing."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yiwang.accounts import selectors as people
from yiwang.accounts.access import access_unmask, access_workbench, ensure, enterprises_for
from yiwang.accounts.models import Enterprise, Hall, Person
from yiwang.cases import selectors as kernel
from yiwang.cases.access import access_case_act, access_case_party, access_case_view
from yiwang.cases.models import CaseAttachment, CaseNotice
from yiwang.cases.services import attachment_content_type, case_note_add
from yiwang.cases.statuses import STATUS_LABELS, status_label
from yiwang.catalogue import selectors as catalogue
from yiwang.core.errors import ServiceError
from yiwang.core.pages import require

from . import selectors
from . import services as svc
from . import workflow as wf
from .access import access_apply_online, access_approvals, access_figures, access_inbox, access_reception
from .forms import ReceptionQueryForm
from .models import ApplicationMaterial


def _case_or_404(case_id: int) -> Any:
    case = selectors.application_get(case_id)
    if case is None:
        raise Http404
    return case


def _error(exc: ServiceError) -> dict[str, Any]:
    return exc.as_dict()


def _uploads(request: HttpRequest, prefix: str = "file_") -> list[svc.Upload]:
    out = []
    for key in request.FILES:
        if key.startswith(prefix):
            f = request.FILES.get(key)
            if f is None:
                continue
            out.append(svc.Upload(code=key[len(prefix) :], data=f.read(), name=f.name or ""))
    return out


def _clock_text(case: Any) -> str:
    if case.clock_id is None:
        return ""
    from yiwang.workdays.selectors import clock_explain, pause_labels
    from yiwang.workdays.text import clock_sentence

    try:
        return clock_sentence(clock_explain(case.clock), pause_labels())
    except Exception:
        return ""


def _events(case: Any, *, public_only: bool) -> list[dict[str, Any]]:
    rows = []
    for e in kernel.case_events(case, public_only=public_only):
        label = (
            wf.transition_label(e.action)
            if e.action in wf.TRANSITIONS
            else {
                "receive": _("Received at a window"),
                "draft_create": _("Draft started"),
                "upload": _("Materials uploaded"),
                "attachment_add": _("File added"),
            }.get(e.action, e.action)
        )
        rows.append(
            {
                "at": e.at,
                "label": label,
                "status": status_label(e.to_status) if e.to_status else "",
                "by": "" if public_only else e.actor_label,
                "reason": "" if public_only else e.reason,
            }
        )
    return rows


# --- public ---------------------------------------------------------------------------------


@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    """Progress without signing in: case number + last 4 characters of the ID number or credit code."""
    number = request.GET.get("number", "").strip()
    last4 = request.GET.get("last4", "").strip()
    case = None
    error = ""
    status = 200
    if number and last4:
        try:
            case = selectors.progress_lookup(number, last4)
        except selectors.TooManyAttempts as exc:
            error, status = str(exc.message), 429
        else:
            if case is None:
                error, status = _("No application matches this number and these 4 characters."), 404
    elif request.GET.get("last4") is not None:
        error = _("Enter the case number and the last 4 characters of the ID number or credit code.")
    ctx: dict[str, Any] = {"number": number, "error": error, "case": case}
    if case is not None:
        ctx.update(
            {
                "status": status_label(case.status),
                "events": _events(case, public_only=True),
                "clock_text": _clock_text(case),
                "item": case.application.item,
            }
        )
    return render(request, "applications/progress.html", ctx, status=status)


@require_GET
def items(request: HttpRequest) -> HttpResponse:
    """Items that can be applied for online (published)."""
    q = request.GET.get("q", "").strip()
    qs = catalogue.published_items().select_related("department").order_by("code")
    if q:
        qs = qs.filter(name__contains=q)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "applications/items.html", {"page": page, "q": q})


@require_http_methods(["GET", "POST"])
@login_required
@require(access_apply_online, action="application.start")
def start(request: HttpRequest, code: str) -> HttpResponse:
    item = catalogue.item_get(code) if code else None
    if item is None or item.status != "published":
        raise Http404
    version = catalogue.item_published_version(item)
    materials = catalogue.item_materials(version)
    ents = list(enterprises_for(request.user))
    error: dict[str, Any] = {}
    if request.method == "POST":
        ent_id = request.POST.get("enterprise") or ""
        enterprise = next((e for e in ents if str(e.pk) == ent_id), None)
        if ent_id and enterprise is None:
            ensure(False, user=request.user, action="application.start", enterprise=ent_id)
        hall = Hall.objects.filter(pk=request.POST.get("return_hall") or 0).first()
        try:
            case = svc.application_draft_create(
                actor=request.user,
                item=item,
                enterprise=enterprise,
                conditions=request.POST.getlist("condition"),
                delivery_method=request.POST.get("delivery_method", ""),
                return_hall=hall,
                delivery_address=request.POST.get("delivery_address", ""),
            )
        except ServiceError as exc:
            error = _error(exc)
        else:
            return redirect("applications:detail", case_id=case.pk)
    return render(
        request,
        "applications/start.html",
        {
            "item": item,
            "materials": materials,
            "enterprises": ents,
            "error": error,
            "halls": Hall.objects.filter(kind__in=["district", "street"]).order_by("code"),
            "methods": [
                (k, v) for k, v in wf.DELIVERY_METHODS.items() if not (item.no_visit and k == "pickup")
            ],
        },
        status=400 if error else 200,
    )


@require_GET
@login_required
@require(access_apply_online, action="application.mine")
def mine(request: HttpRequest) -> HttpResponse:
    cases = selectors.applicant_applications(request.user)[:100]
    timeline = kernel.party_timeline(request.user, limit=30)
    return render(
        request,
        "applications/mine.html",
        {
            "cases": [(c, status_label(c.status)) for c in cases],
            "timeline": [
                (e, status_label(e.to_status) if e.to_status else "", wf.transition_label(e.action))
                for e in timeline
            ],
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
@require(access_apply_online, action="application.detail")
def detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case_or_404(case_id)
    ensure(access_case_party(request.user, case), user=request.user, action="application.detail", obj=case)
    error: dict[str, Any] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "save":
                hall = Hall.objects.filter(pk=request.POST.get("return_hall") or 0).first()
                svc.application_draft_update(
                    actor=request.user,
                    case_id=case.pk,
                    conditions=request.POST.getlist("condition") if case.status == "draft" else None,
                    delivery_method=request.POST.get("delivery_method") if case.status == "draft" else None,
                    delivery_address=request.POST.get("delivery_address") if case.status == "draft" else None,
                    return_hall=hall,
                    uploads=_uploads(request),
                )
            elif action in {"submit", "answer_correction", "supply_materials", "withdraw"}:
                svc.application_act(actor=request.user, case_id=case.pk, action=action, params=request.POST)
            else:
                raise ServiceError(_("Unknown action."), code="unknown_action")
        except ServiceError as exc:
            error = _error(exc)
        else:
            return redirect("applications:detail", case_id=case.pk)
        case = _case_or_404(case_id)
    app = case.application
    return render(
        request,
        "applications/detail.html",
        {
            "case": case,
            "app": app,
            "status": status_label(case.status),
            "error": error,
            "materials": list(app.materials.all()),
            "attachments": list(kernel.case_attachments(case)),
            "events": _events(case, public_only=True),
            "notices": list(kernel.case_notices(case)),
            "clock_text": _clock_text(case),
            "halls": Hall.objects.filter(kind__in=["district", "street"]).order_by("code"),
            "methods": [
                (k, v) for k, v in wf.DELIVERY_METHODS.items() if not (app.no_visit and k == "pickup")
            ],
            "can_withdraw": case.status in wf.TRANSITIONS["withdraw"].sources,
        },
        status=409 if error else 200,
    )


def _may_view_file(user: Any, case: Any) -> bool:
    return access_case_view(user, case)


@require_GET
@login_required
def notice_pdf(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = CaseNotice.objects.select_related("case").filter(pk=notice_id).first()
    if notice is None or notice.case.kind != wf.KIND:
        raise Http404
    case = _case_or_404(notice.case_id)
    ensure(_may_view_file(request.user, case), user=request.user, action="application.notice", obj=case)
    from .notices import render_notice

    notice.case = case
    response = HttpResponse(render_notice(notice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.number or case.pk}-{notice.kind}.pdf"'
    return response


@require_GET
@login_required
def attachment(request: HttpRequest, attachment_id: int) -> HttpResponse:
    att = CaseAttachment.objects.select_related("case").filter(pk=attachment_id).first()
    if att is None or att.case.kind != wf.KIND:
        raise Http404
    ensure(
        _may_view_file(request.user, att.case),
        user=request.user,
        action="application.attachment",
        obj=att.case,
    )
    with default_storage.open(str(att.file.name), "rb") as fh:
        data = fh.read()
    response = HttpResponse(data, content_type=attachment_content_type(att))
    response["Content-Disposition"] = f'inline; filename="{att.pk}.{att.file_type}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- workbench --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@require(access_reception, action="application.reception")
def reception(request: HttpRequest) -> HttpResponse:
    """One window: find the applicant, pick any item the hall may accept, tick materials, scan uploads."""
    user: Any = request.user
    hall = user.hall
    query = ReceptionQueryForm(request.GET).values()
    q = str(query["q"])
    person = Person.objects.filter(pk=query["person"] or 0).first()
    enterprise = (
        Enterprise.objects.filter(credit_code=str(query["credit_code"]).upper()).first()
        if query["credit_code"]
        else None
    )
    item_code = str(query["item"])
    item_q = str(query["item_q"])
    hall_items = catalogue.items_for_hall(hall).select_related("department").order_by("code")
    if item_q:
        hall_items = hall_items.filter(name__contains=item_q)
    item = hall_items.filter(code=item_code).first() if item_code else None
    error: dict[str, Any] = {}
    if request.method == "POST" and item is not None and (person or enterprise):
        hall_choice = Hall.objects.filter(pk=request.POST.get("return_hall") or 0).first()
        try:
            case = svc.application_receive(
                actor=user,
                item=item,
                person=person,
                enterprise=enterprise,
                agent=person if enterprise else None,
                conditions=request.POST.getlist("condition"),
                provided=request.POST.getlist("provided"),
                uploads=_uploads(request),
                delivery_method=request.POST.get("delivery_method", ""),
                return_hall=hall_choice,
                delivery_address=request.POST.get("delivery_address", ""),
            )
        except ServiceError as exc:
            error = _error(exc)
        else:
            return redirect("applications:case", case_id=case.pk)
    elif request.method == "POST":
        error = {"message": _("Choose the applicant and the item first."), "fields": {}}
    materials = catalogue.item_materials(catalogue.item_published_version(item)) if item else []
    return render(
        request,
        "applications/reception.html",
        {
            "hall": hall,
            "q": q,
            "results": people.person_search(q) if q else [],
            "person": person,
            "enterprise": enterprise,
            "credit_code": query["credit_code"],
            "item": item,
            "item_q": item_q,
            "items": hall_items[:60],
            "materials": materials,
            "error": error,
            "halls": Hall.objects.filter(kind__in=["district", "street"]).order_by("code"),
            "methods": [
                (k, v)
                for k, v in wf.DELIVERY_METHODS.items()
                if not (item is not None and item.no_visit and k == "pickup")
            ],
            "level_match": bool(item and hall.kind in item.levels),
        },
        status=400 if error else 200,
    )


@require_GET
@login_required
@require(access_inbox, action="application.inbox")
def inbox(request: HttpRequest) -> HttpResponse:
    f = selectors.InboxFilters(
        status=request.GET.get("status", ""),
        item=request.GET.get("item", ""),
        when=request.GET.get("when", ""),
        q=request.GET.get("q", ""),
    )
    page = Paginator(selectors.inbox(request.user, f), 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [(c, status_label(c.status), *selectors.time_left(c, today)) for c in page]
    return render(
        request,
        "applications/inbox.html",
        {
            "page": page,
            "rows": rows,
            "f": f,
            "statuses": [(k, v) for k, v in STATUS_LABELS.items() if k in wf.STATUSES and k != "draft"],
        },
    )


def _staff_actions(user: Any, case: Any) -> list[str]:
    names = []
    for t in wf.WORKFLOW.allowed_from(case.status):
        if any(access_case_act(user, case, r) for r in t.actors if r != wf.APPLICANT):
            names.append(t.name)
    return names


@require_http_methods(["GET", "POST"])
@login_required
@require(access_workbench, action="application.case")
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case_or_404(case_id)
    ensure(access_case_view(request.user, case), user=request.user, action="application.case", obj=case)
    error: dict[str, Any] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "note":
                case_note_add(actor=request.user, case=case, text=request.POST.get("text", ""))
            elif action == "upload":
                svc.application_draft_update(actor=request.user, case_id=case.pk, uploads=_uploads(request))
            else:
                params: dict[str, Any] = dict(request.POST.items())
                params["items"] = {
                    code: request.POST.get(f"problem_{code}", "") for code in request.POST.getlist("correct")
                }
                svc.application_act(actor=request.user, case_id=case.pk, action=action, params=params)
        except ServiceError as exc:
            error = _error(exc)
        else:
            return redirect("applications:case", case_id=case.pk)
        case = _case_or_404(case_id)
    app = case.application
    allowed = _staff_actions(request.user, case)
    pending = app.case.approval_requests.filter(state="pending").select_related("requested_by").first()
    if pending and not access_case_act(request.user, case, wf.SUPERVISOR):
        allowed = [
            a
            for a in allowed
            if a
            not in {
                "approve_not_accept",
                "send_back_not_accept",
                "approve_rejection",
                "send_back_rejection",
                "approve_extension",
                "refuse_extension",
            }
        ]
    return render(
        request,
        "applications/case.html",
        {
            "case": case,
            "app": app,
            "status": status_label(case.status),
            "error": error,
            "materials": list(app.materials.all()),
            "attachments": list(kernel.case_attachments(case)),
            "events": _events(case, public_only=False),
            "notices": list(kernel.case_notices(case)),
            "notes": list(case.notes.select_related("author")),
            "clock_text": _clock_text(case),
            "allowed": allowed,
            "pending": pending,
            "reasons": list(wf.REFUSAL_REASONS.items()),
            "pause_kinds": list(wf.PAUSE_KINDS.items()),
            "can_unmask": access_unmask(request.user),
            "time_left": selectors.time_left(case),
            "delivery": wf.DELIVERY_METHODS.get(app.delivery_method),
            "to_correct": [
                m for m in app.materials.all() if m.state != ApplicationMaterial.State.NOT_APPLICABLE
            ],
        },
        status=409 if error else 200,
    )


@require_GET
@login_required
@require(access_approvals, action="application.approvals")
def approvals(request: HttpRequest) -> HttpResponse:
    queue = selectors.approvals_queue(request.user)
    return render(
        request,
        "applications/approvals.html",
        {
            "queue": [(r, wf.REFUSAL_REASONS.get(r.reason_code, "")) for r in queue[:200]],
            "rates": selectors.refusal_rates(request.user),
        },
    )


@require_GET
@login_required
@require(access_inbox, action="application.deadlines")
def deadlines(request: HttpRequest) -> HttpResponse:
    overdue, soon = selectors.deadlines(request.user)
    today = timezone.localdate()
    return render(
        request,
        "applications/deadlines.html",
        {
            "overdue": [(c, status_label(c.status), *selectors.time_left(c, today)) for c in overdue[:200]],
            "soon": [(c, status_label(c.status), *selectors.time_left(c, today)) for c in soon[:200]],
        },
    )


def _months(request: HttpRequest) -> tuple[date, date]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 2000), 2100)
    return date(year, 1, 1), date(year, 12, 1)


@require_GET
@login_required
@require(access_figures, action="application.figures")
def figures(request: HttpRequest) -> HttpResponse:
    start_m, end_m = _months(request)
    dimension = request.GET.get("by", "department")
    if dimension not in {"item", "department", "hall", "clerk"}:
        dimension = "department"
    data = selectors.figures(start=start_m, end=end_m, dimension=dimension)
    chart = {
        "labels": [r["label"] or r["key"] for r in data["by"][:20]],
        "received": [r["received"] for r in data["by"][:20]],
        "decided": [r["decided"] for r in data["by"][:20]],
        "months": [r["period"].strftime("%Y-%m") for r in data["months"]],
        "month_received": [r["received"] for r in data["months"]],
        "month_early": [r["early"] for r in data["months"]],
        "reasons": [{"name": r["label"] or r["key"], "value": r["n"]} for r in data["reasons"]],
        "timeliness": [data["totals"]["early"], data["totals"]["on_time"], data["totals"]["late"]],
        "names": {
            "received": _("Received"),
            "decided": _("Decided"),
            "early": _("Early"),
            "on_time": _("On time"),
            "late": _("Late"),
        },
    }
    return render(
        request,
        "applications/figures.html",
        {
            "data": data,
            "year": start_m.year,
            "by": dimension,
            "chart_json": json.dumps(chart, ensure_ascii=False),
            "dimensions": [
                ("department", _("Department")),
                ("item", _("Item")),
                ("hall", _("Hall")),
                ("clerk", _("Clerk")),
            ],
        },
    )
