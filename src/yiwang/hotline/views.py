"""Pages of the hotline: the operator's intake, the dispatcher's board, the office inbox, the supervisor's
escalations, the ticket page, the figures (workbench); filing and following a ticket (portal). Access
through the access functions, input through forms, reads through selectors, writes through services."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.accounts.access import signed_in
from yiwang.cases import selectors as kernel
from yiwang.cases.models import Case
from yiwang.core import ratelimit
from yiwang.core.errors import ServiceError
from yiwang.core.forms import form_refusal
from yiwang.web.pages import require

from . import actions, excel, forms, selectors
from . import services as s
from . import workflow as wf
from .access import (
    access_board,
    access_escalations,
    access_figures,
    access_file_online,
    access_inbox,
    access_intake,
    access_ticket,
    access_ticket_view,
)
from .vocabulary import RATINGS, TICKET_TYPES, URGENCIES, rating_label, type_label

if TYPE_CHECKING:
    from yiwang.accounts.models import User


def time_left(case: Case, now: Any = None) -> dict[str, Any]:
    """The colour and words of a ticket's time left (red overdue, amber due soon, green otherwise)."""
    left = kernel.case_time_left(case, now=now)
    if left is None or not case.is_open:
        return {"css": "", "text": "—"}
    hours = int(left.total_seconds() // 3600)
    if left.total_seconds() < 0:
        return {"css": "bad", "text": _("overdue by %(h)d h") % {"h": -hours}}
    css = "warn" if hours < 24 * int(selectors.config("due_soon_days")) else "ok"
    if hours < 48:
        return {"css": css, "text": _("%(h)d h left") % {"h": hours}}
    return {"css": css, "text": _("%(d)d days left") % {"d": hours // 24}}


def _rows(cases: list[Case]) -> list[dict[str, Any]]:
    now = timezone.now()
    return [
        {
            "case": c,
            "status": wf.status_label(c.status),
            "type": type_label(c.ticket.type),
            "left": time_left(c, now),
        }
        for c in cases
    ]


def _form_context() -> dict[str, Any]:
    return {
        "types": list(TICKET_TYPES.items()),
        "urgencies": list(URGENCIES.items()),
        "categories": selectors.categories(),
        "streets": selectors.streets(),
        "communities": selectors.communities(),
    }


# --- operator -----------------------------------------------------------------------------------


def _duplicates(data: s.TicketInput) -> list[Case]:
    category = selectors.category_by_code(data.category)
    community = selectors.communities().filter(code=data.community).first() if data.community else None
    return selectors.duplicate_candidates(
        phone_key=s.phone_key(data.caller_phone),
        category=category,
        community=community,
        lat=data.lat,
        lng=data.lng,
    )


@require_http_methods(["GET", "POST"])
@login_required
@require(access_intake, action="hotline.intake")
def intake(request: HttpRequest) -> HttpResponse:
    """One screen for a call: record it; likely duplicates are shown first and may be merged into."""
    ctx: dict[str, Any] = {**_form_context(), "values": {}, "errors": {}, "duplicates": [], "message": ""}
    status = 200
    if request.method == "POST":
        form = forms.TicketForm(request.POST)
        ctx["values"] = {k: form[k].value() or "" for k in form.fields}
        try:
            if not form.is_valid():
                raise form_refusal(form)
            data = form.ticket_input()
            dups = _duplicates(data)
            if dups and not form.cleaned_data["confirm"]:
                ctx["duplicates"] = _rows(dups)
                shown = render(request, "hotline/intake.html", ctx)
                shown.headers["X-Pii-Unmasked"] = "1"  # echoes only what the operator typed in
                return shown
            case = s.ticket_receive(actor=signed_in(request), data=data)
            into = form.cleaned_data["merge_into"]
            if into:
                s.ticket_merge(
                    actor=signed_in(request), case_id=case.pk, into_id=into, reason=_("duplicate call")
                )
                return redirect("hotline:ticket", case_id=into)
            return redirect("hotline:ticket", case_id=case.pk)
        except ServiceError as exc:
            body = exc.as_dict()
            ctx["errors"], ctx["message"], status = body["fields"], body["message"], 400
    response = render(request, "hotline/intake.html", ctx, status=status)
    if request.method == "POST":
        response.headers["X-Pii-Unmasked"] = "1"  # echoes only what the operator typed in
    return response


# --- boards -----------------------------------------------------------------------------------------


@require_GET
@login_required
@require(access_board, action="hotline.board")
def board(request: HttpRequest) -> HttpResponse:
    b = selectors.dispatcher_board(request.user)
    return render(
        request,
        "hotline/board.html",
        {
            "sections": [
                ("unassigned", _("Waiting to be dispatched"), _rows(b.unassigned)),
                ("returned", _("Returned by offices"), _rows(b.returned)),
                ("due_soon", _("Due soon"), _rows(b.due_soon)),
                ("overdue", _("Overdue"), _rows(b.overdue)),
            ]
        },
    )


@require_GET
@login_required
@require(access_inbox, action="hotline.inbox")
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "hotline/inbox.html", {"rows": _rows(selectors.office_inbox(request.user))})


@require_GET
@login_required
@require(access_intake, action="hotline.callbacks")
def callbacks(request: HttpRequest) -> HttpResponse:
    return render(request, "hotline/callbacks.html", {"rows": _rows(selectors.callbacks_due(request.user))})


@require_GET
@login_required
@require(access_escalations, action="hotline.escalations")
def escalations(request: HttpRequest) -> HttpResponse:
    e = selectors.escalations(request.user)
    return render(
        request,
        "hotline/escalations.html",
        {
            "sections": [
                ("overdue", _("Overdue"), _rows(e["overdue"])),
                ("due_soon", _("Due soon"), _rows(e["due_soon"])),
                ("unsatisfied", _("Callers unsatisfied"), _rows(e["unsatisfied"])),
                ("extensions", _("Extension requests"), _rows(e["extensions"])),
            ]
        },
    )


@require_GET
@login_required
@require(access_ticket, action="hotline.search")
def search(request: HttpRequest) -> HttpResponse:
    f = forms.SearchQueryForm(request.GET).values()
    rows = _rows(selectors.ticket_search(request.user, q=str(f["q"]), status=str(f["status"])))
    return render(
        request, "hotline/search.html", {"rows": rows, "f": f, "statuses": list(wf.STATUS_LABELS.items())}
    )


# --- one ticket -----------------------------------------------------------------------------------


def _ticket_or_404(request: HttpRequest, case_id: int) -> Case:
    case = selectors.ticket_case(case_id)
    if case is None or not access_ticket_view(request.user, case):
        raise Http404
    return case


def _ticket_context(user: User, case: Case) -> dict[str, Any]:
    t = case.ticket
    answer = selectors.main_reply(case)
    return {
        "case": case,
        "t": t,
        "status": wf.status_label(case.status),
        "type": type_label(t.type),
        "rating": rating_label(t.rating) if t.rating else "",
        "left": time_left(case),
        "callers": list(selectors.ticket_callers(case)),
        "parts": list(selectors.ticket_parts(case)),
        "assignments": list(kernel.case_assignment_rows(case, current=True)),
        "events": [
            {
                "e": e,
                "label": wf.transition_label(e.action),
                "to": wf.status_label(e.to_status) if e.to_status else "",
            }
            for e in kernel.case_events(case)
        ],
        "answer": answer,
        "children": list(selectors.merged_children(case)),
        "actions": actions.available(user, case),
        "offices": selectors.offices(),
        "ratings": list(RATINGS.items()),
        "can_reveal": access_intake(user),
        "extensions": list(kernel.case_extension_requests(case)),
    }


@require_http_methods(["GET", "POST"])
@login_required
@require(access_ticket, action="hotline.ticket")
def ticket(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _ticket_or_404(request, case_id)
    error: dict[str, Any] = {}
    if request.method == "POST":
        form = forms.ActionForm(request.POST)
        try:
            if not form.is_valid():
                raise form_refusal(form)
            name = form.cleaned_data["action"]
            if name not in actions.ACTIONS:
                raise ServiceError(_("Unknown action."), fields={"action": _("Unknown action.")})
            params = {**form.cleaned_data, "co_offices": form.co_codes()}
            actions.perform(signed_in(request), case, name, params)
            return redirect("hotline:ticket", case_id=case.pk)
        except ServiceError as exc:
            error = exc.as_dict()
        case = _ticket_or_404(request, case_id)
    ctx = _ticket_context(signed_in(request), case)
    ctx["error"] = error
    return render(request, "hotline/ticket.html", ctx, status=400 if error else 200)


@require_POST
@login_required
@require(access_intake, action="hotline.phone_reveal")
def reveal(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _ticket_or_404(request, case_id)
    phones = s.ticket_phone_reveal(actor=signed_in(request), case=case)
    response = HttpResponse("\n".join(phones), content_type="text/plain; charset=utf-8")
    response.headers["X-Pii-Unmasked"] = "1"
    return response


# --- figures ----------------------------------------------------------------------------------------


def _period(f: dict[str, Any]) -> tuple[date, date]:
    today = timezone.localdate()
    start = f["start"] or date(today.year, 1, 1)
    end = f["end"] or today
    return (start, end) if end >= start else (start, start)


@require_GET
@login_required
@require(access_figures, action="hotline.figures")
def figures(request: HttpRequest) -> HttpResponse:
    f = forms.FiguresQueryForm(request.GET).values()
    start, end = _period(f)
    data = selectors.figures(start=start, end=end, per=str(f["per"] or "month"))
    if f["format"] == "xlsx":
        response = HttpResponse(
            excel.figures_workbook(data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="hotline-{start}-{end}.xlsx"'
        return response
    for key in ("by_type",):
        for r in data[key]:
            r["label"] = type_label(str(r["key"]))
    chart = {
        "labels": [r["period"] for r in data["series"]],
        "received": [r["received"] for r in data["series"]],
        "finished": [r["finished"] for r in data["series"]],
        "names": [str(pgettext("ticket", "Received")), str(_("Finished"))],
    }
    return render(
        request,
        "hotline/figures.html",
        {"d": data, "start": start, "end": end, "per": f["per"] or "month", "chart": chart},
    )


@require_GET
@login_required
@require(access_figures, action="hotline.map")
def ticket_map(request: HttpRequest) -> HttpResponse:
    """Tickets by community on a self-drawn map (SVG, no external tiles)."""
    f = forms.FiguresQueryForm(request.GET).values()
    start, end = _period(f)
    svg = selectors.community_map(start=start, end=end)
    busiest = sorted(svg["points"], key=lambda p: (-p["n"], p["code"]))[:15]
    return render(request, "hotline/map.html", {"svg": svg, "start": start, "end": end, "busiest": busiest})


# --- portal -------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require(access_file_online, action="hotline.file")
def file_online(request: HttpRequest) -> HttpResponse:
    ctx: dict[str, Any] = {**_form_context(), "values": {}, "errors": {}, "message": ""}
    if request.method == "POST":
        form = forms.OnlineTicketForm(request.POST)
        ctx["values"] = {k: form[k].value() or "" for k in form.fields}
        try:
            if not form.is_valid():
                raise form_refusal(form)
            data = form.ticket_input()
            user = request.user if getattr(request.user, "kind", "") == "applicant" else None
            person = getattr(user, "person", None) if user is not None else None
            case = s.ticket_receive(actor=None, data=data, channel=Case.Channel.ONLINE, person=person)
            return redirect(reverse("hotline:follow") + f"?number={case.number}&filed=1")
        except ServiceError as exc:
            body = exc.as_dict()
            ctx["errors"], ctx["message"] = body["fields"], body["message"]
            response = render(request, "hotline/file.html", ctx, status=400)
            response.headers["X-Pii-Unmasked"] = "1"  # echoes only what the citizen typed in
            return response
    return render(request, "hotline/file.html", ctx)


@require_http_methods(["GET", "POST"])
@require(access_file_online, action="hotline.follow")
def follow(request: HttpRequest) -> HttpResponse:
    ctx: dict[str, Any] = {"error": "", "case": None, "ratings": list(RATINGS.items())}
    status = 200
    if request.method == "POST":
        form = forms.RateForm(request.POST)
        try:
            if not form.is_valid():
                raise form_refusal(form)
            d = form.cleaned_data
            s.ticket_rate_online(
                actor=None,
                number=d["number"],
                last4=d["last4"],
                rating=d["rating"],
                guessers=ratelimit.guessers(request),
            )
            return redirect(reverse("hotline:follow") + f"?number={d['number']}&rated=1")
        except ServiceError as exc:
            ctx["error"], status = exc.as_dict()["message"], exc.status
    f = forms.FollowQueryForm(request.GET).values()
    ctx.update(
        number=f["number"], filed=request.GET.get("filed") == "1", rated=request.GET.get("rated") == "1"
    )
    if f["number"] and f["last4"]:
        try:
            case = selectors.ticket_follow(
                str(f["number"]), str(f["last4"]), guessers=ratelimit.guessers(request)
            )
        except ServiceError as exc:
            ctx["error"], status = exc.as_dict()["message"], exc.status
            case = None
        if case is None and not ctx["error"]:
            ctx["error"], status = _("No ticket matches this number and these 4 digits."), 404
        if case is not None:
            ctx.update(
                case=case,
                last4=f["last4"],
                status=wf.status_label(case.status),
                answer=selectors.main_reply(case),
                events=[
                    {"e": e, "label": wf.transition_label(e.action)}
                    for e in kernel.case_events(case, public_only=True)
                ],
                can_rate=case.status == "replied",
            )
    return render(request, "hotline/follow.html", ctx, status=status)
