"""Pages: the online hall and public progress (portal), reception, inbox, case, approvals, deadlines and
figures (workbench). Every view decides access through the access functions, parses its input with a
form, reads through selectors and writes through services."""

from __future__ import annotations

import json
import secrets
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yiwang.accounts import selectors as people
from yiwang.accounts.access import (
    access_lookup_by_id,
    access_unmask,
    access_workbench,
    ensure,
    enterprises_for,
)
from yiwang.cases import selectors as kernel
from yiwang.cases.access import access_case_party, access_case_view
from yiwang.cases.idempotency import idempotent
from yiwang.cases.services import attachment_content_type, case_note_add
from yiwang.cases.uploads import read_upload
from yiwang.cases.workflow import status_label
from yiwang.catalogue import selectors as catalogue
from yiwang.core import ratelimit
from yiwang.core.errors import ServiceError
from yiwang.core.forms import form_refusal
from yiwang.core.pagecache import anonymous_page
from yiwang.licences import selectors as licence_selectors
from yiwang.web.pages import require

from . import answerforms, forms, selectors
from . import services as svc
from . import workflow as wf
from .access import (
    access_answers_change,
    access_apply_online,
    access_approvals,
    access_assist,
    access_assist_person,
    access_figures,
    access_inbox,
    access_reception,
    assist_role,
)
from .actions import ACTIONS, Action, available_actions
from .answers import display as answer_rows
from .answers import unanswered
from .models import ApplicationMaterial
from .notices import render_notice

if TYPE_CHECKING:
    from yiwang.cases.models import Case


def _case_or_404(case_id: int) -> Any:
    case = selectors.application_get(case_id)
    if case is None:
        raise Http404
    return case


def _error(exc: ServiceError) -> dict[str, Any]:
    return exc.as_dict()


def _form_error(form: Any) -> dict[str, Any]:
    """A form's errors, each named by its field's label in the reader's language (the shared wording)."""
    out = form_refusal(form).as_dict()
    out["message"] = out["message"] or _("Check the form.")
    return out


def _uploads(request: HttpRequest, codes: set[str], prefix: str = "file_") -> list[svc.Upload]:
    """Files posted as ``file_<material code>`` for materials of this application (others are ignored)."""
    out = []
    for key, f in request.FILES.items():
        code = key[len(prefix) :] if key.startswith(prefix) else ""
        if code in codes and isinstance(f, UploadedFile):
            out.append(svc.Upload(code=code, data=read_upload(f), name=f.name or ""))
    return out


def _clock_text(case: Case) -> str:
    return selectors.clock_text(case)


def _events(case: Case, *, public_only: bool) -> list[dict[str, Any]]:
    return selectors.event_rows(case, public_only=public_only)


def _material_choices(app: Any) -> list[tuple[str, str]]:
    return [
        (m.code, m.name) for m in app.materials.all() if m.state != ApplicationMaterial.State.NOT_APPLICABLE
    ]


def _action_form(action: Action, case: Case, data: Any = None) -> Any:
    app = case.application
    extra: dict[str, Any] = {"case": case, "materials": _material_choices(app)}
    if action.form is forms.SuspendForm:
        extra["pause_kinds"] = svc.review_pause_kinds()
    if issubclass(action.form, forms.PromiseFields):
        limit, default = svc.rongque_default(case)
        extra.update(limit=limit, default=default, signed=app.rongque_signed_at is not None)
    return action.form(data, initial={"expected_version": case.version}, auto_id=f"{action.name}-%s", **extra)


def _perform(request: HttpRequest, case: Case, action: Action) -> dict[str, Any]:
    """Run one posted action through its form; the error to show, or {} when it was done."""
    form = _action_form(action, case, request.POST)
    if not form.is_valid():
        return _form_error(form)
    data = dict(form.cleaned_data)
    if isinstance(form, forms.CorrectionForm):
        data["items"] = form.items()
    try:
        action.perform(request.user, case.pk, data)  # type: ignore[arg-type]
    except ServiceError as exc:
        return _error(exc)
    return {}


def _actions_for(request: HttpRequest, case: Case, *, staff: bool) -> list[dict[str, Any]]:
    return [
        {"action": a, "transition": name, "form": _action_form(a, case)}
        for a, name in available_actions(request.user, case, staff=staff)  # type: ignore[arg-type]
    ]


# --- public ---------------------------------------------------------------------------------


@require_GET
@anonymous_page((), with_query=False)
def progress(request: HttpRequest) -> HttpResponse:
    """Progress without signing in: case number + last 4 characters of the ID number or credit code."""
    query = forms.ProgressQueryForm(request.GET).values()
    number, last4 = str(query["number"]).strip(), str(query["last4"]).strip()
    case = None
    error = ""
    status = 200
    if number and last4:
        try:
            case = selectors.progress_lookup(number, last4, guessers=ratelimit.guessers(request))
        except selectors.TooManyAttempts as exc:
            error, status = str(exc.message), 429
        else:
            if case is None:
                error, status = _("No application matches this number and these 4 characters."), 404
    elif "last4" in request.GET:
        error = _("Enter the case number and the last 4 characters of the ID number or credit code.")
    ctx: dict[str, Any] = {"number": number, "error": error, "case": case}
    if case is not None:
        ctx.update(
            {
                "status": status_label(case.kind, case.status),
                "events": _events(case, public_only=True),
                "clock_text": _clock_text(case),
                "item": case.application.item,
            }
        )
    return render(request, "applications/progress.html", ctx, status=status)


@require_GET
def items(request: HttpRequest) -> HttpResponse:
    """Items that can be applied for online (published)."""
    query = forms.ItemsQueryForm(request.GET).values()
    page = Paginator(selectors.online_items(str(query["q"]).strip()), 30).get_page(query["page"])
    return render(request, "applications/items.html", {"page": page, "q": query["q"]})


@require_http_methods(["GET", "POST"])
@login_required
@require(access_apply_online, action="application.start")
def start(request: HttpRequest, code: str) -> HttpResponse:
    item = selectors.published_item(code)
    if item is None:
        raise Http404
    materials = catalogue.item_materials(catalogue.item_published_version(item))
    ents = list(enterprises_for(request.user))
    persons_may, organisations_may = svc.who_may_apply(item)
    error: dict[str, Any] = {}
    once = secrets.token_urlsafe(16)  # a fresh page is a new start; a re-drawn form keeps its token
    if request.method == "POST":
        form = forms.StartForm(
            request.POST,
            no_visit=item.no_visit,
            enterprises=[(e.pk, e.name) for e in ents],
            conditions=[(m.code, m.name) for m in materials if not m.required],
        )
        once = str(form["once"].value() or "")[:100] or once
        if form.is_valid():
            ent_id = form.cleaned_data["enterprise"]
            enterprise = next((e for e in ents if e.pk == ent_id), None)

            def run() -> tuple[int, Any]:
                case = svc.application_draft_create(
                    actor=request.user,  # type: ignore[arg-type]
                    item=item,
                    enterprise=enterprise,
                    conditions=form.cleaned_data["condition"],
                    delivery_method=form.cleaned_data["delivery_method"],
                    return_hall=form.hall(),
                    delivery_address=form.cleaned_data["delivery_address"],
                )
                return 302, {"case_id": case.pk}

            try:
                # A second press of the same form (a double click) opens the draft the first one made.
                _status, made = idempotent(
                    request=request,
                    scope="applications.start",
                    key=form.cleaned_data["once"],
                    body={"item": item.code},
                    run=run,
                )
            except ServiceError as exc:
                error = _error(exc)
            else:
                return redirect("applications:detail", case_id=made["case_id"])
        else:
            if "enterprise" in form.errors:
                ensure(
                    False,
                    user=request.user,
                    action="application.start",
                    enterprise=request.POST.get("enterprise"),
                )
            error = _form_error(form)
    return render(
        request,
        "applications/start.html",
        {
            "item": item,
            "materials": materials,
            "enterprises": ents,
            "error": error,
            "halls": people.result_halls(),
            "methods": [
                (k, v) for k, v in wf.DELIVERY_METHODS.items() if not (item.no_visit and k == "pickup")
            ],
            "persons_may_apply": persons_may,
            "organisations_may_apply": organisations_may,
            "address_max": svc.ADDRESS_MAX,
            "once": once,
        },
        status=400 if error else 200,
    )


@require_GET
@login_required
@require(access_apply_online, action="application.mine")
def mine(request: HttpRequest) -> HttpResponse:
    cases = list(selectors.applicant_applications(request.user)[:100])
    timeline = kernel.party_timeline(request.user, limit=30)
    assisted = selectors.assistance_labels([c.pk for c in cases])
    return render(
        request,
        "applications/mine.html",
        {
            "cases": [(c, status_label(c.kind, c.status), assisted.get(c.pk, "")) for c in cases],
            "timeline": [
                (
                    e,
                    status_label(e.case.kind, e.to_status) if e.to_status else "",
                    selectors.event_label(e.action),
                )
                for e in timeline
            ],
        },
    )


APPLICANT_ACTIONS = frozenset({"submit", "answer_correction", "supply_materials", "withdraw"})


@require_http_methods(["GET", "POST"])
@login_required
@require(access_apply_online, action="application.detail")
def detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case_or_404(case_id)
    ensure(access_case_party(request.user, case), user=request.user, action="application.detail", obj=case)
    error: dict[str, Any] = {}
    answers_form = None
    if request.method == "POST":
        name = request.POST.get("action", "")
        if name == "save":
            error, answers_form = _save_draft(request, case)
        elif name == "use_licence":
            error = _use_licence(request, case)
        elif name in APPLICANT_ACTIONS:
            error = _perform(request, case, ACTIONS[name])
        else:
            error = {"code": "unknown_action", "message": _("Unknown action."), "fields": {}}
        if not error:
            return redirect("applications:detail", case_id=case.pk)
        case = _case_or_404(case_id)
    app = case.application
    answerable = case.status in ANSWERABLE and bool(app.item_version.form)
    if answerable and answers_form is None:
        answers_form = answerforms.for_application(app)
    return render(
        request,
        "applications/detail.html",
        {
            "case": case,
            "app": app,
            "status": status_label(case.kind, case.status),
            "error": error,
            "materials": list(app.materials.all()),
            "attachments": list(kernel.case_attachments(case)),
            "events": _events(case, public_only=True),
            "notices": list(kernel.case_notices(case)),
            "clock_text": _clock_text(case),
            "halls": people.result_halls(),
            "methods": [
                (k, v) for k, v in wf.DELIVERY_METHODS.items() if not (app.no_visit and k == "pickup")
            ],
            "can_withdraw": case.status in wf.TRANSITIONS["withdraw"].sources,
            "licence_offers": svc.licence_offers(case, app),
            "can_change": case.status == "draft" or case.status in wf.PRE_ACCEPT,
            "submit_form": _action_form(ACTIONS["submit"], case) if case.status == "draft" else None,
            "rongque_missing": selectors.rongque_missing(app) if case.status == "draft" else [],
            "result_notices": selectors.result_notices(case),
            "reason": wf.REFUSAL_REASONS.get(app.decision_reason, ""),
            "address_max": svc.ADDRESS_MAX,
            "assistance": selectors.assistance(case),
            "answers_form": answers_form if answerable else None,
            "answers": [] if answerable else answer_rows(app.item_version.form, app.answers),
        },
        status=409 if error else 200,
    )


# The applicant may change the application form's answers until the office accepts.
ANSWERABLE = frozenset({"draft", "correction"})


def _save_draft(request: HttpRequest, case: Case) -> tuple[dict[str, Any], Any]:
    """Save the draft's choices, files and answers; the error (if any) and the answers form as posted. Nothing
    is saved on an error, so chosen files are not either: the message says so (a browser cannot keep them)."""
    error, bound = _save_draft_once(request, case)
    if error and request.FILES and error.get("message"):
        again = _("The chosen files were not saved: choose them again.")
        error = {**error, "message": f"{error['message']} {again}"}
    return error, bound


def _save_draft_once(request: HttpRequest, case: Case) -> tuple[dict[str, Any], Any]:
    app = case.application
    draft = case.status == "draft"
    form = forms.DraftSaveForm(
        request.POST,
        no_visit=app.no_visit,
        conditions=[(m.code, m.name) for m in app.materials.all() if not m.required],
    )
    bound = None
    answers = None
    if case.status in ANSWERABLE and app.item_version.form and answerforms.posted(request.POST):
        bound = answerforms.for_application(app, request.POST)
        if not bound.is_valid():
            return bound.refusal(), bound
        answers = bound.answers()
    if not form.is_valid():
        return _form_error(form), bound
    try:
        svc.application_draft_update(
            actor=request.user,  # type: ignore[arg-type]
            case_id=case.pk,
            conditions=form.cleaned_data["condition"] if draft else None,
            delivery_method=(form.cleaned_data["delivery_method"] or None) if draft else None,
            delivery_address=form.cleaned_data["delivery_address"] if draft else None,
            return_hall=form.hall(),
            uploads=_uploads(request, {m.code for m in app.materials.all()}),
            answers=answers,
        )
    except ServiceError as exc:
        return _error(exc), bound
    return {}, None


@require_GET
@login_required
def notice_pdf(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = selectors.notice_get(notice_id)
    if notice is None:
        raise Http404
    case = _case_or_404(notice.case_id)
    ensure(access_case_view(request.user, case), user=request.user, action="application.notice", obj=case)
    notice.case = case
    response = HttpResponse(render_notice(notice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.number or case.pk}-{notice.kind}.pdf"'
    return response


@require_GET
@login_required
def attachment(request: HttpRequest, attachment_id: int) -> HttpResponse:
    att = selectors.attachment_get(attachment_id)
    if att is None:
        raise Http404
    ensure(
        access_case_view(request.user, att.case),
        user=request.user,
        action="application.attachment",
        obj=att.case,
    )
    # An applicant's file is served as a download in a sandbox: whatever it holds, it runs nothing in
    # this origin (Content-Security-Policy: sandbox) and is never sniffed into another type.
    response = HttpResponse(selectors.attachment_bytes(att), content_type=attachment_content_type(att))
    response["Content-Disposition"] = f'attachment; filename="{att.pk}.{att.file_type}"'
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- workbench --------------------------------------------------------------------------------


RECEPTION_ITEMS = 1000  # the reception picker's options (a district's catalogue is a few hundred items)


def _reception_label(item: Any) -> str:
    dept = item.department.short_name or item.department.name
    return " · ".join([item.display_name, dept, *(["通办"] if item.tongban != "none" else [])])


@require_http_methods(["GET", "POST"])
@login_required
@require(access_reception, action="application.reception")
def reception(request: HttpRequest) -> HttpResponse:
    """One window: find the applicant, pick any item the hall may accept, tick materials, scan uploads.
    Opened from a served queue ticket (``?ticket=``), the case received is linked to that ticket."""
    user: Any = request.user
    hall = user.hall
    # The picker's options: the hall's items, narrowed by ``item_q`` (without JavaScript), and the item
    # chosen whatever ``item_q`` says, so that the choice stays.
    item_q = str(forms.ReceptionQueryForm(request.GET).values()["item_q"]).strip()
    hall_items = list(selectors.reception_items(hall, item_q)[:RECEPTION_ITEMS])
    chosen = selectors.reception_item(hall, str(request.GET.get("item", ""))[:40])
    if chosen is not None and chosen not in hall_items:
        hall_items.insert(0, chosen)
    picker = forms.ReceptionQueryForm(request.GET)
    picker.set_items((it.code, _reception_label(it)) for it in hall_items)
    query = picker.values()
    q = str(query["q"]).strip()
    person = people.person_get(query["person"]) if query["person"] else None
    enterprise = people.enterprise_by_credit_code(str(query["credit_code"]))
    item = selectors.reception_item(hall, str(query["item"])) if query["item"] else None
    ticket = selectors.reception_ticket(hall, query["ticket"])
    error: dict[str, Any] = {}
    version = catalogue.item_published_version(item) if item else None
    answers_form = answerforms.for_version(version, person=person, enterprise=enterprise) if version else None
    materials = catalogue.item_materials(version) if version else []
    offers = (
        svc.reception_licence_offers(version, person=person, enterprise=enterprise)
        if version is not None and (person or enterprise)
        else {}
    )
    if request.method == "POST" and item is not None and (person or enterprise):
        form = forms.ReceiveForm(
            request.POST,
            no_visit=item.no_visit,
            materials=[(m.code, m.name) for m in materials if m.applicant_brings],
            licences={code: [(v.pk, v.identifier) for v in found] for code, found in offers.items()},
        )
        answers_form = answerforms.for_version(version, request.POST, person=person, enterprise=enterprise)
        if not form.is_valid():
            error = _form_error(form)
        elif not answers_form.is_valid():
            error = answers_form.refusal()
        else:
            try:
                case = svc.application_receive_with_licences(
                    licence_uses=form.licence_uses(),
                    actor=user,
                    item=item,
                    person=person,
                    enterprise=enterprise,
                    agent=person if enterprise else None,
                    conditions=form.cleaned_data["condition"],
                    provided=form.cleaned_data["provided"],
                    uploads=_uploads(request, {m.code for m in materials}),
                    delivery_method=form.cleaned_data["delivery_method"],
                    return_hall=form.hall(),
                    delivery_address=form.cleaned_data["delivery_address"],
                    ticket=ticket,
                    answers=answers_form.answers() if answers_form else None,
                )
            except ServiceError as exc:
                error = _error(exc)
            else:
                return redirect("applications:case", case_id=case.pk)
    elif request.method == "POST":
        error = {"message": _("Choose the applicant and the item first."), "fields": {}}
    return render(
        request,
        "applications/reception.html",
        {
            "hall": hall,
            "q": q,
            "results": people.person_search(q, by_id=access_lookup_by_id(request.user)) if q else [],
            "person": person,
            "enterprise": enterprise,
            "credit_code": query["credit_code"],
            "item": item,
            "item_q": item_q,
            "picker": picker,
            "materials": materials,
            "licence_offers": offers,
            "ticket": ticket,
            "error": error,
            "halls": people.result_halls(),
            "methods": [
                (k, v)
                for k, v in wf.DELIVERY_METHODS.items()
                if not (item is not None and item.no_visit and k == "pickup")
            ],
            "level_match": bool(item and hall.kind in item.levels),
            "applicant_refused": svc.applicant_refusal(item, enterprise=enterprise) if item else "",
            "address_max": svc.ADDRESS_MAX,
            "credit": selectors.applicant_standing(person=person, enterprise=enterprise),
            "answers_form": answers_form,
        },
        status=400 if error else 200,
    )


@require_GET
@login_required
@require(access_inbox, action="application.inbox")
def inbox(request: HttpRequest) -> HttpResponse:
    query = forms.InboxQueryForm(request.GET).values()
    f = selectors.InboxFilters(
        status=str(query["status"]),
        item=str(query["item"]),
        when=str(query["when"]),
        q=str(query["q"]),
        show=str(query["show"]),
    )
    page = Paginator(selectors.inbox(request.user, f), 50).get_page(query["page"])
    today = timezone.localdate()
    rows = [(c, status_label(c.kind, c.status), *selectors.time_left(c, today)) for c in page]
    return render(
        request,
        "applications/inbox.html",
        {"page": page, "rows": rows, "f": f, "statuses": selectors.inbox_statuses()},
    )


@require_http_methods(["GET", "POST"])
@login_required
@require(access_workbench, action="application.case")
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case_or_404(case_id)
    ensure(access_case_view(request.user, case), user=request.user, action="application.case", obj=case)
    error: dict[str, Any] = {}
    bound = None
    if request.method == "POST":
        name = request.POST.get("action", "")
        if name == "note":
            error = _note(request, case)
        elif name == "answers":
            error, bound = _change_answers(request, case)
        elif name == "upload":
            error = _upload(request, case)
        elif name == "use_licence":
            error = _use_licence(request, case)
        elif name in ACTIONS:
            error = _perform(request, case, ACTIONS[name])
        else:
            error = {"code": "unknown_action", "message": _("Unknown action."), "fields": {}}
        if not error:
            return redirect("applications:case", case_id=case.pk)
        case = _case_or_404(case_id)
    app = case.application
    return render(
        request,
        "applications/case.html",
        {
            "case": case,
            "app": app,
            "answers": answer_rows(app.item_version.form, app.answers),
            "answers_form": _answers_edit_form(request, case, bound),
            "answers_missing": unanswered(app.item_version.form, app.answers),
            "status": status_label(case.kind, case.status),
            "error": error,
            "materials": list(app.materials.all()),
            "attachments": list(kernel.case_attachments(case)),
            "events": _events(case, public_only=False),
            "notices": list(kernel.case_notices(case)),
            "notes": list(selectors.case_notes(case)),
            "clock_text": _clock_text(case),
            "actions": _actions_for(request, case, staff=True),
            "pending": svc.pending_request(case),
            "can_unmask": access_unmask(request.user),
            "time_left": selectors.time_left(case),
            "delivery": wf.DELIVERY_METHODS.get(app.delivery_method),
            "assignments": list(kernel.case_assignment_rows(case)),
            "upload_form": forms.UploadForm(materials=_material_choices(app)),
            "note_form": forms.NoteForm(),
            "licence_offers": svc.licence_offers(case, app),
            "can_change": case.status in wf.PRE_ACCEPT,
            "credit": selectors.case_credit(case),
            "assistance": selectors.assistance(case),
        },
        status=409 if error else 200,
    )


def _answers_edit_form(request: HttpRequest, case: Case, bound: Any) -> Any:
    """The application form for the front office to complete before accepting (none once accepted)."""
    if not case.application.item_version.form or not access_answers_change(request.user, case):
        return None
    return bound or answerforms.for_application(case.application, None)


def _change_answers(request: HttpRequest, case: Case) -> tuple[dict[str, Any], Any]:
    bound = answerforms.for_application(case.application, request.POST)
    if not bound.is_valid():
        return bound.refusal(), bound
    try:
        svc.application_draft_update(
            actor=request.user,  # type: ignore[arg-type]
            case_id=case.pk,
            answers=bound.answers(),
        )
    except ServiceError as exc:
        return _error(exc), bound
    return {}, None


def _use_licence(request: HttpRequest, case: Case) -> dict[str, Any]:
    form = forms.UseLicenceForm(request.POST)
    if not form.is_valid():
        return _form_error(form)
    try:
        svc.application_use_licence(
            actor=request.user,  # type: ignore[arg-type]
            case_id=case.pk,
            material_code=form.cleaned_data["material"],
            licence_version_id=form.cleaned_data["licence"],
        )
    except ServiceError as exc:
        return _error(exc)
    return {}


def _note(request: HttpRequest, case: Case) -> dict[str, Any]:
    form = forms.NoteForm(request.POST)
    if not form.is_valid():
        return _form_error(form)
    try:
        case_note_add(actor=request.user, case=case, text=form.cleaned_data["text"])  # type: ignore[arg-type]
    except ServiceError as exc:
        return _error(exc)
    return {}


def _upload(request: HttpRequest, case: Case) -> dict[str, Any]:
    form = forms.UploadForm(request.POST, request.FILES, materials=_material_choices(case.application))
    if not form.is_valid():
        return _form_error(form)
    f = form.cleaned_data["file"]
    try:
        svc.application_draft_update(
            actor=request.user,  # type: ignore[arg-type]
            case_id=case.pk,
            uploads=[svc.Upload(code=form.cleaned_data["material"], data=read_upload(f), name=f.name or "")],
        )
    except ServiceError as exc:
        return _error(exc)
    return {}


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
            "overdue": [
                (c, status_label(c.kind, c.status), *selectors.time_left(c, today)) for c in overdue[:200]
            ],
            "soon": [(c, status_label(c.kind, c.status), *selectors.time_left(c, today)) for c in soon[:200]],
        },
    )


@require_GET
@login_required
@require(access_figures, action="application.figures")
def figures(request: HttpRequest) -> HttpResponse:
    query = forms.FiguresQueryForm(request.GET).values()
    year = int(query["year"] or timezone.localdate().year)
    dimension = str(query["by"] or "department")
    data = selectors.figures(start=date(year, 1, 1), end=date(year, 12, 1), dimension=dimension)
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
            "year": year,
            "by": dimension,
            "chart_json": json.dumps(chart, ensure_ascii=False),
            "licence_reuse": licence_selectors.reuse_figures(year),
            "dimensions": [
                ("department", _("Department")),
                ("item", _("Item")),
                ("hall", _("Hall")),
                ("clerk", _("Clerk")),
            ],
        },
    )


# --- assisted service (帮办代办) ----------------------------------------------------------------------


def _assist_find(request: HttpRequest) -> tuple[Any, dict[str, Any]]:
    """The resident by the whole ID number typed: (person, error)."""
    form = forms.AssistFindForm(request.POST)
    if not form.is_valid():
        return None, _form_error(form)
    person = people.person_by_resident_id(form.cleaned_data["id_number"])
    if person is None:
        message = _("No resident is registered with this ID number: register them first.")
        return None, {"code": "not_found", "message": message, "fields": {"id_number": message}}
    if not access_assist_person(request.user, person):
        message = _(
            "This resident is not registered in your community: a grid worker assists only the residents of "
            "their own community."
        )
        return None, {"code": "not_in_community", "message": message, "fields": {"id_number": message}}
    return person, {}


def _assist_apply(
    request: HttpRequest, person: Any, item: Any, materials: list[Any], answers_form: Any
) -> tuple[Any, dict]:
    form = forms.AssistForm(
        request.POST,
        request.FILES,
        no_visit=item.no_visit,
        materials=[(m.code, m.name) for m in materials if m.applicant_brings],
    )
    if not form.is_valid():
        return None, _form_error(form)
    if not answers_form.is_valid():
        return None, answers_form.refusal()
    data = form.cleaned_data
    f = data["consent_file"]
    consent = svc.Consent(
        method=data["consent_method"],
        given_on=data["consent_date"],
        callback=data["consent_callback"],
        file_data=read_upload(f) if f else b"",
        file_name=(f.name or "") if f else "",
    )
    try:
        case = svc.application_assist(
            actor=request.user,  # type: ignore[arg-type]
            person=person,
            item=item,
            consent=consent,
            conditions=data["condition"],
            provided=data["provided"],
            uploads=_uploads(request, {m.code for m in materials}),
            delivery_method=data["delivery_method"],
            return_hall=form.hall(),
            delivery_address=data["delivery_address"],
            answers=answers_form.answers() if answers_form else None,
        )
    except ServiceError as exc:
        return None, _error(exc)
    return case, {}


@require_http_methods(["GET", "POST"])
@login_required
@require(access_assist, action="application.assist")
def assist(request: HttpRequest) -> HttpResponse:
    """帮办代办: find the resident by their whole ID number, choose the item, record the consent, tick and scan
    the materials, submit. The resident is shown back by name and masked ID only."""
    user: Any = request.user
    query = forms.AssistQueryForm(request.GET).values()
    person = people.person_get(query["person"]) if query["person"] else None
    if person is not None and not access_assist_person(user, person):
        raise Http404
    item_q = str(query["item_q"]).strip()
    item = selectors.assist_item(user, str(query["item"])) if query["item"] else None
    version = catalogue.item_published_version(item) if item else None
    materials = list(catalogue.item_materials(version)) if version else []
    answers_form = answerforms.for_version(version, person=person) if version and person else None
    error: dict[str, Any] = {}
    step = request.POST.get("step", "")
    if request.method == "POST" and step == "find":
        found, error = _assist_find(request)
        if found is not None:
            return redirect(f"{request.path}?person={found.pk}")
    elif request.method == "POST" and step == "apply" and person is not None and item is not None:
        answers_form = answerforms.for_version(version, request.POST, person=person)
        case, error = _assist_apply(request, person, item, materials, answers_form)
        if case is not None:
            return redirect("applications:case", case_id=case.pk)
    elif request.method == "POST":
        error = {
            "code": "invalid",
            "message": _("Find the resident and choose the item first."),
            "fields": {},
        }
    return render(
        request,
        "applications/assist.html",
        {
            "role": assist_role(user),
            "person": person,
            "item": item,
            "item_q": item_q,
            "items": selectors.assist_items(user, item_q)[:60] if person is not None else [],
            "materials": materials,
            "methods": [
                (k, v)
                for k, v in wf.DELIVERY_METHODS.items()
                if not (item is not None and item.no_visit and k == "pickup")
            ],
            "consent_methods": forms.CONSENT_METHODS,
            "halls": people.result_halls(),
            "today": timezone.localdate(),
            "max_age": svc.CONSENT_MAX_AGE_DAYS,
            "address_max": svc.ADDRESS_MAX,
            "error": error,
            "posted": request.POST if error else {},
            "answers_form": answers_form,
        },
        status=400 if error else 200,
    )


@require_GET
@login_required
@require(access_assist, action="application.assisted")
def assisted(request: HttpRequest) -> HttpResponse:
    """我帮办的: the applications the staff member made for residents, with status and time left."""
    query = forms.ItemsQueryForm(request.GET).values()
    page = Paginator(selectors.assisted_by(request.user), 50).get_page(query["page"])
    today = timezone.localdate()
    rows = [(c, status_label(c.kind, c.status), *selectors.time_left(c, today)) for c in page]
    return render(request, "applications/assisted.html", {"page": page, "rows": rows})
