"""Pages of government information disclosure: filing a request, following it and the 双公示 search
(portal); the disclosure office's inbox, a request's page with its actions, and the annual figures
(workbench). Access through the access functions, input through forms, reads through selectors, writes
through services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.accounts.access import acting_person, is_applicant, signed_in
from yiwang.cases import selectors as kernel
from yiwang.core import ratelimit
from yiwang.core.errors import ServiceError
from yiwang.core.forms import WhichForm, form_refusal
from yiwang.core.paging import BoundedPaginator
from yiwang.web.pages import file_download, require

from . import actions, forms, report, selectors
from . import proactive as proactive_s
from . import services as s
from . import workflow as wf
from .access import (
    access_figures,
    access_file_request,
    access_office,
    access_own_requests,
    access_proactive,
    access_public_register,
    access_report,
    access_request_party,
    access_request_view,
)
from .vocabulary import (
    APPLICANT_TYPES,
    CHANNELS,
    COLUMN_GROUPS,
    FIVE_DISCLOSURES,
    FORMS,
    INTERPRETATION_FORMS,
    KEY_AREAS,
    NORMATIVE_STATUSES,
    PARTY_KINDS,
    PUBLICATION_KINDS,
    REPLY_FIELDS,
    REPLY_TYPES,
    column_label,
    ground_label,
    reply_type_label,
)

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.cases.models import Case

PAGE_SIZE = 20


def _left(case: Case, now: Any = None) -> dict[str, Any]:
    """The colour and words of a request's time left (red overdue, amber 5 days or fewer, green otherwise)."""
    left = kernel.case_time_left(case, now=now)
    if left is None or not case.is_open:
        return {"css": "", "text": "—"}
    days = int(left.total_seconds() // 86400)
    if left.total_seconds() < 0:
        return {"css": "bad", "text": _("overdue by %(d)d days") % {"d": max(1, -days)}}
    return {"css": "warn" if days <= 5 else "ok", "text": _("%(d)d days left") % {"d": days}}


def _event_label(action: str) -> str:
    return wf.WORKFLOW.event_label(action)


# --- portal: filing and following -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require(access_file_request, action="disclosure.file")
def file_request(request: HttpRequest) -> HttpResponse:
    """Apply for government information online; the number to follow it by is shown next."""
    ctx: dict[str, Any] = {
        "offices": selectors.offices(),
        "applicant_types": list(APPLICANT_TYPES.items()),
        "forms": list(FORMS.items()),
        "values": {"applicant_type": "person", "form": "electronic"},
        "errors": {},
        "message": "",
    }
    if request.method == "POST":
        form = forms.RequestForm(request.POST)
        ctx["values"] = {k: form[k].value() or "" for k in form.fields}
        try:
            if not form.is_valid():
                raise form_refusal(form)
            data = form.request_input()
            office = selectors.office_by_code(data.office)
            if office is None:
                message = _("Choose an office from the list.")
                raise ServiceError(message, code="invalid", fields={"office": message})
            # A signed-in applicant files as themselves (the daily filing cap counts the account).
            user = request.user if is_applicant(request.user) else None
            case = s.request_file(
                actor=user, data=data, office=office, channel="online", person=acting_person(user)
            )
            return redirect(
                reverse("disclosure:track") + "?" + urlencode({"number": case.number, "filed": 1})
            )
        except ServiceError as exc:
            body = exc.as_dict()
            ctx["errors"], ctx["message"] = body["fields"], body["message"]
            response = render(request, "disclosure/file.html", ctx, status=exc.status)
            response.headers["X-Pii-Unmasked"] = "1"  # echoes only what the applicant typed in
            return response
    return render(request, "disclosure/file.html", ctx)


@require_GET
@require(access_file_request, action="disclosure.track")
def track(request: HttpRequest) -> HttpResponse:
    """Follow a request by its number and the last 4 digits of the applicant's telephone."""
    f = forms.TrackQueryForm(request.GET).values()
    ctx: dict[str, Any] = {"number": f["number"], "filed": f["filed"], "error": "", "case": None}
    status = 200
    if f["number"] and f["last4"]:
        try:
            case = selectors.request_track(
                str(f["number"]), str(f["last4"]), guessers=ratelimit.guessers(request)
            )
        except selectors.TooManyAttempts as exc:
            ctx["error"] = str(exc.as_dict()["message"])
            return render(request, "disclosure/track.html", ctx, status=429)
        if case is None:
            ctx["error"], status = _("No request matches this number and these 4 digits."), 404
        else:
            reply = selectors.reply_notice(case)
            ctx.update(
                case=case,
                req=case.disclosure,
                last4=f["last4"],
                status=wf.status_label(case.status),
                reply_type=reply_type_label(case.disclosure.reply_type) if reply else "",
                notices=list(selectors.request_notices(case)),
                reply=reply,
                reply_url=(
                    reverse("disclosure:reply_pdf")
                    + "?"
                    + urlencode({"number": case.number, "last4": f["last4"]})
                    if reply
                    else ""
                ),
                events=[
                    {"e": e, "label": _event_label(e.action)}
                    for e in kernel.case_events(case, public_only=True)
                ],
                can_withdraw=_may_withdraw(request, case),
            )
    return render(request, "disclosure/track.html", ctx, status=status)


def _may_withdraw(request: HttpRequest, case: Case) -> bool:
    t = wf.WORKFLOW.get("withdraw")
    return (
        t is not None
        and case.status in t.sources
        and access_own_requests(request.user)
        and access_request_party(request.user, case)
    )


@require_POST
@login_required
@require(access_own_requests, action="disclosure.withdraw")
def withdraw(request: HttpRequest, case_id: int) -> HttpResponse:
    """The applicant, signed in, withdraws their own request (from the tracking page)."""
    case = selectors.request_case(case_id)
    if case is None or not access_request_party(request.user, case):
        raise Http404
    form = forms.WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            raise form_refusal(form)
        s.request_withdraw(actor=signed_in(request), case_id=case.pk, reason=form.cleaned_data["reason"])
        messages.success(request, _("Your request has been withdrawn."))
    except ServiceError as exc:
        messages.error(request, str(exc.as_dict()["message"]))
    return redirect(reverse("disclosure:track") + "?" + urlencode({"number": case.number}))


@require_GET
@require(access_file_request, action="disclosure.reply_pdf")
def reply_pdf(request: HttpRequest) -> HttpResponse:
    """The reply (答复书) as a PDF, by the same number and 4 digits as the tracking page."""
    f = forms.TrackQueryForm(request.GET).values()
    try:
        case = (
            selectors.request_track(str(f["number"]), str(f["last4"]), guessers=ratelimit.guessers(request))
            if f["number"] and f["last4"]
            else None
        )
    except selectors.TooManyAttempts:
        raise Http404 from None  # the tracking page says why
    notice = selectors.reply_notice(case) if case is not None else None
    if case is None or notice is None:
        raise Http404
    response = HttpResponse(selectors.notice_bytes(notice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.number}-reply.pdf"'
    return response


# --- portal: 双公示 -------------------------------------------------------------------------------------


@require_GET
@require(access_public_register, action="disclosure.publications")
def publications(request: HttpRequest) -> HttpResponse:
    """The public 双公示 search with paging, and the same rows as CSV or Excel (personal data masked)."""
    qform = forms.PublicationQueryForm(request.GET)
    v = qform.values()
    rows = selectors.publications_search(qform.query())
    if v["format"] == "csv":
        response = HttpResponse(
            "\ufeff" + selectors.publications_csv(rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="publications.csv"'
        return response
    if v["format"] == "xlsx":
        response = HttpResponse(
            selectors.publications_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="publications.xlsx"'
        return response
    page = BoundedPaginator(rows, PAGE_SIZE).get_page(v["page"])
    kept = {k: ("" if x is None else str(x)) for k, x in v.items() if k not in ("page", "format")}
    kept = {k: x for k, x in kept.items() if x}
    return render(
        request,
        "disclosure/publications.html",
        {
            "page": page,
            "rows": [
                {
                    "p": p,
                    "kind": PUBLICATION_KINDS.get(p.kind, p.kind),
                    "party_kind": PARTY_KINDS.get(p.party_kind, p.party_kind),
                }
                for p in page
            ],
            "f": v,
            "kinds": list(PUBLICATION_KINDS.items()),
            "qs": urlencode(kept),
        },
    )


# --- workbench ------------------------------------------------------------------------------------------


@require_GET
@login_required
@require(access_office, action="disclosure.inbox")
def inbox(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    rows = [
        {"case": c, "status": wf.status_label(c.status), "left": _left(c, now)}
        for c in selectors.office_inbox(request.user)[:500]
    ]
    return render(request, "disclosure/inbox.html", {"rows": rows})


def _content_label(key: str) -> str:
    if key == "ticket":
        return _("Hotline ticket")
    return str(REPLY_FIELDS.get(key, key))


def _auto_id(action: str) -> str:
    """Each action's form has ids of its own (several forms share field names on the page)."""
    return f"id_{action}_%s"


def _request_or_404(request: HttpRequest, case_id: int) -> Case:
    case = selectors.request_case(case_id)
    if case is None or not access_request_view(request.user, case):
        raise Http404
    return case


def _request_context(user: User, case: Case, bound: dict[str, Any]) -> dict[str, Any]:
    req = case.disclosure
    available = actions.available(user, case)
    return {
        "case": case,
        "req": req,
        "status": wf.status_label(case.status),
        "left": _left(case),
        "applicant_type": APPLICANT_TYPES.get(req.applicant_type, req.applicant_type),
        "form_label": FORMS.get(req.form, req.form),
        "channel": CHANNELS.get(case.channel, case.channel),
        "reply_type": reply_type_label(req.reply_type) if req.reply_type else "",
        "reply_content": [
            (_content_label(k), ground_label(v) if k == "ground" else v) for k, v in sorted(req.reply.items())
        ],
        "events": [
            {
                "e": e,
                "label": _event_label(e.action),
                "to": wf.status_label(e.to_status) if e.to_status else "",
            }
            for e in kernel.case_events(case)
        ],
        "notices": list(selectors.request_notices(case)),
        "extensions": list(kernel.case_extension_requests(case)),
        "actions": [
            {
                "a": a,
                "form": bound.get(a.name)
                or a.form(initial={"version": case.version}, auto_id=_auto_id(a.name), label_suffix=""),
            }
            for a in available
        ],
        "needs_approval": sorted(k for k, t in REPLY_TYPES.items() if t.needs_approval),
    }


@require_http_methods(["GET", "POST"])
@login_required
@require(access_office, action="disclosure.request")
def request_page(request: HttpRequest, case_id: int) -> HttpResponse:
    """A request: its details, timeline and notices, and one small form per action its status offers."""
    case = _request_or_404(request, case_id)
    error: dict[str, Any] = {}
    bound: dict[str, Any] = {}
    if request.method == "POST":
        name = WhichForm(request.POST, field="action", choices=actions.ACTIONS).choice()
        try:
            if not name:
                message = _("Unknown action.")
                raise ServiceError(message, code="invalid", fields={"action": message})
            action = actions.ACTIONS[name]
            form = action.form(request.POST, auto_id=_auto_id(name), label_suffix="")
            bound[name] = form
            if not form.is_valid():
                raise form_refusal(form)
            action.run(signed_in(request), case, form.cleaned_data)
            return redirect("disclosure:request", case_id=case.pk)
        except ServiceError as exc:
            error = {**exc.as_dict(), "action": name, "status": exc.status}
            shown = bound.get(name)
            for field, message in error["fields"].items():
                if shown is not None and field in shown.fields and field not in shown.errors:
                    shown.add_error(field, message)  # the service's refusal, shown at its field
        case = _request_or_404(request, case_id)
    ctx = _request_context(signed_in(request), case, bound)
    ctx["error"] = error
    return render(request, "disclosure/request.html", ctx, status=error["status"] if error else 200)


@require_GET
@login_required
@require(access_figures, action="disclosure.figures")
def figures(request: HttpRequest) -> HttpResponse:
    """The figures of the annual report (政府信息公开工作年度报告) for one year."""
    year = forms.FiguresQueryForm(request.GET).values()["year"] or timezone.localdate().year
    d = selectors.annual_figures(int(year))
    by_applicant = [
        {"label": str(label), "n": d["by_applicant"].get(code, 0)} for code, label in APPLICANT_TYPES.items()
    ]
    by_reply = [
        {"label": str(t.label), "n": d["by_reply_type"].get(code, 0)} for code, t in REPLY_TYPES.items()
    ]
    chart = {"labels": [r["label"] for r in by_reply], "values": [r["n"] for r in by_reply]}
    return render(
        request,
        "disclosure/figures.html",
        {
            "d": d,
            "year": year,
            "by_applicant": by_applicant,
            "by_reply": by_reply,
            "chart": chart,
            "report_title": report.report_title(int(year)),
            "tables": [
                {"key": t.key, "title": t.title, "head": t.rows[0], "body": t.rows[1:]}
                for t in report.annual_report(int(year))
            ],
        },
    )


# --- proactive disclosure (portal) ------------------------------------------------------------------------


def _columns_nav(counts: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {"group": str(COLUMN_GROUPS[g]), "key": g, "columns": [
            {"code": c, "label": str(label), "n": counts.get(c, 0)} for c, label in cols.items()
        ]}
        for g, cols in (("five", FIVE_DISCLOSURES), ("key", KEY_AREAS))
    ]  # fmt: skip


@require_GET
@require(access_public_register, action="disclosure.items")
def proactive(request: HttpRequest) -> HttpResponse:
    """The columns of proactive disclosure (主动公开): the five disclosures and the key areas."""
    v = forms.ItemQueryForm(request.GET).values()
    rows = selectors.items_public(column=v["column"], group=v["group"], text=v["text"])
    page = BoundedPaginator(rows, PAGE_SIZE).get_page(v["page"])
    kept = {k: str(x) for k, x in v.items() if k != "page" and x}
    return render(
        request,
        "disclosure/proactive.html",
        {
            "page": page,
            "rows": [{"i": i, "column": column_label(i.column)} for i in page],
            "nav": _columns_nav(selectors.column_counts()),
            "f": v,
            "heading": column_label(v["column"]) if v["column"] else (COLUMN_GROUPS.get(v["group"]) or ""),
            "qs": urlencode(kept),
        },
    )


def _public_item_or_404(item_id: int) -> Any:
    item = selectors.item_public(item_id)
    if item is None:
        raise Http404
    return item


@require_GET
@require(access_public_register, action="disclosure.items")
def proactive_item(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _public_item_or_404(item_id)
    return render(request, "disclosure/proactive_item.html", {"i": item, "column": column_label(item.column)})


@require_GET
@require(access_public_register, action="disclosure.items")
def item_attachment(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _public_item_or_404(item_id)
    if not item.attachment:
        raise Http404
    return file_download(selectors.item_attachment_bytes(item), item.attachment_name)


@require_GET
@require(access_public_register, action="disclosure.normative")
def normative(request: HttpRequest) -> HttpResponse:
    """The register of normative documents (统一查询) and the latest policy interpretations."""
    qform = forms.NormativeQueryForm(request.GET)
    v = qform.values()
    page = Paginator(selectors.normative_search(qform.query()), PAGE_SIZE).get_page(v["page"])
    kept = {k: str(x) for k, x in v.items() if k != "page" and x}
    return render(
        request,
        "disclosure/normative.html",
        {
            "page": page,
            "rows": [{"d": d, "status": NORMATIVE_STATUSES.get(d.status, d.status)} for d in page],
            "f": v,
            "statuses": list(NORMATIVE_STATUSES.items()),
            "interpretations": _interpretation_rows(selectors.interpretations()[:10]),
            "qs": urlencode(kept),
        },
    )


def _interpretation_rows(rows: Any) -> list[dict[str, Any]]:
    return [{"i": i, "form": INTERPRETATION_FORMS.get(i.form, i.form)} for i in rows]


@require_GET
@require(access_public_register, action="disclosure.normative")
def normative_document(request: HttpRequest, document_id: int) -> HttpResponse:
    d = selectors.normative_get(document_id)
    if d is None:
        raise Http404
    return render(
        request,
        "disclosure/normative_document.html",
        {
            "d": d,
            "status": NORMATIVE_STATUSES.get(d.status, d.status),
            "interpretations": _interpretation_rows(selectors.interpretations(document_id=d.pk)),
        },
    )


# --- proactive disclosure (workbench) ---------------------------------------------------------------------


def _refused(form: Any, exc: ServiceError) -> dict[str, Any]:
    """A service's refusal shown at its field of the form that was sent."""
    for field, message in exc.fields.items():
        if field in form.fields and field not in form.errors:
            form.add_error(field, message)
    return {**exc.as_dict(), "status": exc.status}


def _run(form: Any, write: Any) -> dict[str, Any]:
    """Validate ``form`` and run ``write(form)``; the error to show (empty when it worked)."""
    try:
        if not form.is_valid():
            raise form_refusal(form)
        write(form)
    except ServiceError as exc:
        return _refused(form, exc)
    return {}


def _item_rows(items: Any, today: Any) -> list[dict[str, Any]]:
    rows = []
    for i in items:
        days = (i.publish_by - today).days
        css = "" if not i.pending else ("bad" if days < 0 else "warn" if days <= 5 else "ok")
        rows.append({"i": i, "column": column_label(i.column), "css": css})
    return rows


@require_http_methods(["GET", "POST"])
@login_required
@require(access_proactive, action="disclosure.proactive")
def office_items(request: HttpRequest) -> HttpResponse:
    """The office's proactive disclosure: items awaiting publication by the day they must be public (Art. 26),
    the overdue ones marked, and a form for a new item."""
    user = signed_in(request)
    office = selectors.office_of(user)
    if office is None:
        raise Http404
    form = forms.ItemForm(request.POST or None, request.FILES or None, label_suffix="")
    error: dict[str, Any] = {}
    if request.method == "POST":
        made: list[Any] = []
        error = _run(
            form, lambda f: made.append(proactive_s.item_save(actor=user, office=office, data=f.item_input()))
        )
        if not error:
            messages.success(request, _("Item saved."))
            return redirect("disclosure:office_item", item_id=made[0].pk)
    today = timezone.localdate()
    ctx = {
        "rows": _item_rows(selectors.items_of_office(office.pk)[:500], today),
        "overdue": selectors.items_overdue(office_id=office.pk, today=today).count(),
        "form": form,
        "error": error,
    }
    return render(request, "disclosure/office_items.html", ctx, status=error.get("status", 200))


ITEM_ACTIONS = ("change", "publish", "withdraw")


@require_http_methods(["GET", "POST"])
@login_required
@require(access_proactive, action="disclosure.proactive")
def office_item(request: HttpRequest, item_id: int) -> HttpResponse:
    """One item: change it (its clock starts again), publish the pending version, or withdraw it."""
    user = signed_in(request)
    office = selectors.office_of(user)
    item = selectors.item_of_office(office.pk if office else None, item_id)
    if item is None or office is None:
        raise Http404
    initial = {"column": item.column, "title": item.title, "body": item.body, "formed_on": item.formed_on}
    form = forms.ItemForm(initial=initial, label_suffix="")
    withdraw = forms.ItemWithdrawForm(label_suffix="", auto_id="id_withdraw_%s")
    error: dict[str, Any] = {}
    if request.method == "POST":
        name = WhichForm(request.POST, field="action", choices=ITEM_ACTIONS).choice()
        if name == "change":
            form = forms.ItemForm(request.POST, request.FILES or None, label_suffix="")
            error = _run(
                form,
                lambda f: proactive_s.item_save(
                    actor=user, office=office, data=f.item_input(), item_id=item.pk
                ),
            )
        elif name == "withdraw":
            withdraw = forms.ItemWithdrawForm(request.POST, label_suffix="", auto_id="id_withdraw_%s")
            error = _run(
                withdraw,
                lambda f: proactive_s.item_withdraw(
                    actor=user, office=office, item_id=item.pk, reason=f.cleaned_data["reason"]
                ),
            )
        else:
            try:
                if name != "publish":
                    raise ServiceError(
                        _("Unknown action."), code="invalid", fields={"action": _("Unknown action.")}
                    )
                proactive_s.item_publish(actor=user, office=office, item_id=item.pk)
            except ServiceError as exc:
                error = {**exc.as_dict(), "status": exc.status}
        if not error:
            return redirect("disclosure:office_item", item_id=item.pk)
        item = selectors.item_of_office(office.pk, item_id) or item
    ctx = {"i": item, "column": column_label(item.column), "form": form, "withdraw": withdraw, "error": error}
    ctx["rows"] = _item_rows([item], timezone.localdate())
    return render(request, "disclosure/office_item.html", ctx, status=error.get("status", 200))


REGISTER_ACTIONS = ("register", "status", "interpret")


@require_http_methods(["GET", "POST"])
@login_required
@require(access_proactive, action="disclosure.proactive")
def office_register(request: HttpRequest) -> HttpResponse:
    """The office's normative documents: register one (it takes the next number), record an amendment or
    repeal, publish an interpretation."""
    user = signed_in(request)
    office = selectors.office_of(user)
    if office is None:
        raise Http404
    bound = {
        "register": forms.NormativeForm(label_suffix="", auto_id="id_register_%s"),
        "status": forms.NormativeStatusForm(label_suffix="", auto_id="id_status_%s"),
        "interpret": forms.InterpretationForm(label_suffix="", auto_id="id_interpret_%s"),
    }
    error: dict[str, Any] = {}
    if request.method == "POST":
        name = WhichForm(request.POST, field="action", choices=REGISTER_ACTIONS).choice()
        writers = {
            "register": lambda f: proactive_s.normative_register(
                actor=user, office=office, data=f.normative_input()
            ),
            "status": lambda f: proactive_s.normative_status(
                actor=user,
                office=office,
                document_id=f.cleaned_data["document"],
                status=f.cleaned_data["status"],
                on=f.cleaned_data["on"],
                note=f.cleaned_data["note"],
            ),
            "interpret": lambda f: proactive_s.interpretation_publish(
                actor=user, office=office, data=f.interpretation_input()
            ),
        }
        if not name:
            raise Http404
        kinds = {"register": forms.NormativeForm, "status": forms.NormativeStatusForm}
        form_class = kinds.get(name, forms.InterpretationForm)
        bound[name] = form_class(request.POST, label_suffix="", auto_id=f"id_{name}_%s")
        error = _run(bound[name], writers[name])
        if not error:
            messages.success(request, _("Saved."))
            return redirect("disclosure:office_register")
        error["action"] = name
    docs = selectors.normative_search(selectors.NormativeQuery(office=office.code))[:500]
    ctx = {
        "rows": [{"d": d, "status": NORMATIVE_STATUSES.get(d.status, d.status)} for d in docs],
        "forms": bound,
        "error": error,
    }
    return render(request, "disclosure/office_register.html", ctx, status=error.get("status", 200))


@require_GET
@login_required
@require(access_report, action="disclosure.figures")
def annual_report_file(request: HttpRequest, fmt: str) -> HttpResponse:
    """The annual report of a year as PDF or Excel."""
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    year = int(forms.FiguresQueryForm(request.GET).values()["year"] or timezone.localdate().year)
    if fmt == "pdf":
        office = selectors.office_of(signed_in(request))
        organ = office.name if office else (settings.YIWANG_SITE_NAME or _("Yiwang Government Services"))
        return file_download(report.annual_report_pdf(year, organ=organ), f"annual-report-{year}.pdf")
    return file_download(report.annual_report_xlsx(year), f"annual-report-{year}.xlsx")
