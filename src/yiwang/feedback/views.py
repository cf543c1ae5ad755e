"""Pages of feedback: rating a service (the QR page, the portal), the window's rating pad and the clerk's
console, the 12345 forwarding form, reviews with their checks, rectifications and appeals, the complaints
post's log and the six ones' reports. Access through the access functions, input through forms, reads
through selectors, writes through services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.accounts.access import signed_in
from yiwang.cases import selectors as kernel
from yiwang.cases.access import case_capacities
from yiwang.core.errors import ServiceError
from yiwang.core.forms import WhichForm, form_refusal
from yiwang.halls import selectors as halls
from yiwang.web.pages import require

from . import forms, reports, selectors
from . import services as s
from . import workflow as wf
from .access import (
    access_appeals,
    access_case_page,
    access_complaints,
    access_console,
    access_forward,
    access_my_reviews,
    access_pad,
    access_post,
    access_rate,
    access_rectifications,
    access_reports,
    access_review_view,
    access_reviews,
)
from .models import Review
from .reviewables import label_of, resolve, reviewable
from .vocabulary import BAD_TAGS, GOOD_TAGS, LEVELS

if TYPE_CHECKING:
    from yiwang.accounts.models import User


def _choices() -> dict[str, Any]:
    return {
        "levels": [(k, str(v)) for k, v in LEVELS.items()],
        "bad_tags": [(k, str(v)) for k, v in BAD_TAGS.items()],
        "good_tags": [(k, str(v)) for k, v in GOOD_TAGS.items()],
    }


# --- rating a service (portal, mobile page from the QR) --------------------------------------------------


@require_http_methods(["GET", "POST"])
@require(access_rate, action="feedback.rate")
def rate(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    lookup = forms.LookupForm(source)
    d = lookup.cleaned_data if lookup.is_valid() else {"service": "", "number": "", "code": "", "via": ""}
    ctx: dict[str, Any] = {
        "number": d.get("number", ""),
        "code": d.get("code", ""),
        "service": d.get("service", ""),
        **_choices(),
    }
    ctx["channel"] = "mobile" if d.get("via") == "qr" else "portal"
    found = resolve(
        d.get("service", ""),
        d.get("number", "") or (d.get("code", "") if d.get("service") == "hall_visit" else ""),
    )
    if (d.get("number") or d.get("code")) and found is None:
        ctx["error"] = _("No service found for this number.")
    if found is not None:
        service, subject_id = found
        ctx["service"] = service
        ctx["service_label"] = label_of(service)
        r = reviewable(service)
        served = r.load(subject_id) if r is not None else None
        ctx["served"] = served
        ctx["existing"] = selectors.review_for(service, subject_id)
        if request.method == "POST":
            form = forms.ReviewForm(request.POST)
            try:
                if not form.is_valid():
                    raise form_refusal(form)
                if ctx["existing"] is not None:
                    s.review_change(
                        actor=request.user,
                        review_id=ctx["existing"].pk,
                        data=form.review(),
                        code=d.get("code", ""),
                    )
                else:
                    s.review_give(
                        actor=request.user,
                        service=service,
                        subject_id=subject_id,
                        data=form.review(),
                        channel=ctx["channel"],
                        code=d.get("code", ""),
                    )
                return render(request, "feedback/thanks.html", {"served": served})
            except ServiceError as exc:
                ctx["error"] = str(exc.as_dict()["message"])
                ctx["form"] = form
                return render(request, "feedback/rate.html", ctx, status=getattr(exc, "status", 422))
    return render(request, "feedback/rate.html", ctx)


@require_GET
@login_required
@require(access_my_reviews, action="feedback.mine")
def mine(request: HttpRequest) -> HttpResponse:
    rows = [selectors.review_row(r) for r in selectors.my_reviews(request.user)]
    return render(request, "feedback/mine.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@require(access_rate, action="feedback.rectification_rate")
def rectification_rate(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.rectification_case(case_id)
    if case is None:
        raise Http404
    ctx: dict[str, Any] = {"case": case, "rect": case.rectification, "levels": _choices()["levels"]}
    lookup = forms.LookupForm(request.POST if request.method == "POST" else request.GET)
    ctx["code"] = lookup.cleaned_data["code"] if lookup.is_valid() else ""
    if request.method == "POST":
        form = forms.RateRectificationForm(request.POST)
        try:
            if not form.is_valid():
                raise form_refusal(form)
            s.rectification_rate(
                actor=request.user,
                case_id=case.pk,
                rating=form.cleaned_data["rating"],
                code=form.cleaned_data["code"],
            )
            return render(request, "feedback/thanks.html", {"rectification": True})
        except ServiceError as exc:
            ctx["error"] = str(exc.as_dict()["message"])
            return render(
                request, "feedback/rectification_rate.html", ctx, status=getattr(exc, "status", 422)
            )
    return render(request, "feedback/rectification_rate.html", ctx)


# --- the window's rating pad and the clerk's console ------------------------------------------------------


def _window(request: HttpRequest, window_id: int) -> Any:
    window = halls.window_get(window_id)
    if window is None or not access_pad(request.user, window):
        raise Http404
    return window


@require_GET
@login_required
@require(access_console, action="feedback.console")
def console(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    assert user.hall is not None
    windows = halls.hall_windows(user.hall, active_only=True)
    served = halls.clerk_served(user.pk, timezone.localdate())
    rows = [{"ticket": t, "reviewed": selectors.review_for("hall_visit", t.pk) is not None} for t in served]
    return render(
        request,
        "feedback/console.html",
        {
            "windows": [{"w": w, "pending": selectors.pad_waiting(w)} for w in windows],
            "rows": rows,
        },
    )


@require_POST
@login_required
@require(access_console, action="feedback.pad_request")
def console_ask(request: HttpRequest, window_id: int) -> HttpResponse:
    window = _window(request, window_id)
    form = forms.PadAskForm(request.POST)
    try:
        if not form.is_valid():
            raise form_refusal(form)
        number = form.cleaned_data["number"]
        if number:
            found = resolve("", number)
            if found is None:
                raise ServiceError(_("No service found for this number."), code="not_found")
            service, subject = found
        else:
            service, subject = form.cleaned_data["service"], form.cleaned_data["subject"]
        s.pad_request(actor=signed_in(request), window=window, service=service, subject_id=subject)
    except ServiceError as exc:
        messages.error(request, str(exc.as_dict()["message"]))
    return redirect("feedback:console")


@require_POST
@login_required
@require(access_console, action="feedback.pad_cancel")
def console_cancel(request: HttpRequest, window_id: int) -> HttpResponse:
    s.pad_cancel(actor=signed_in(request), window=_window(request, window_id))
    return redirect("feedback:console")


@require_GET
@login_required
@require(access_console, action="feedback.pad")
def pad(request: HttpRequest, window_id: int) -> HttpResponse:
    window = _window(request, window_id)
    return render(
        request,
        "feedback/pad.html",
        {"window": window, "waiting": selectors.pad_waiting(window), **_choices()},
    )


@require_GET
@login_required
@require(access_console, action="feedback.pad")
def pad_state(request: HttpRequest, window_id: int) -> HttpResponse:
    window = _window(request, window_id)
    return render(
        request,
        "feedback/_pad_state.html",
        {"window": window, "waiting": selectors.pad_waiting(window), **_choices()},
    )


@require_POST
@login_required
@require(access_console, action="feedback.pad_rate")
def pad_rate(request: HttpRequest, window_id: int) -> HttpResponse:
    window = _window(request, window_id)
    waiting = selectors.pad_waiting(window)
    ctx: dict[str, Any] = {"window": window, **_choices()}
    if waiting is None:
        return render(request, "feedback/_pad_state.html", {**ctx, "waiting": None})
    form = forms.ReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise form_refusal(form)
        s.review_give(
            actor=signed_in(request),
            service=waiting.service,
            subject_id=waiting.subject_id,
            data=form.review(),
            channel=Review.Channel.WINDOW,
            pad_id=waiting.pk,
        )
    except ServiceError as exc:
        return render(
            request,
            "feedback/_pad_state.html",
            {**ctx, "waiting": waiting, "error": exc.as_dict()["message"]},
            status=200,
        )
    return render(request, "feedback/_pad_state.html", {**ctx, "waiting": None, "thanks": True})


# --- 12345 forwarding ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@require(access_forward, action="feedback.forward")
def forward(request: HttpRequest) -> HttpResponse:
    ctx: dict[str, Any] = {
        "services": [
            ("application.acceptance", label_of("application.acceptance")),
            ("application.result", label_of("application.result")),
            ("hotline", label_of("hotline")),
            ("hall_visit", label_of("hall_visit")),
        ],
        **_choices(),
    }
    if request.method == "POST":
        form = forms.ForwardForm(request.POST)
        try:
            if not form.is_valid():
                raise form_refusal(form)
            d = form.cleaned_data
            found = resolve(d["service"], d["code"] if d["service"] == "hall_visit" else d["number"])
            if found is None:
                raise ServiceError(
                    _("No service found for this number."),
                    code="not_found",
                    fields={"number": _("Not found.")},
                )
            review = s.review_give(
                actor=signed_in(request),
                service=found[0],
                subject_id=found[1],
                data=form.review(),
                channel=Review.Channel.HOTLINE,
                code=d["code"],
            )
            ctx["done"] = review
        except ServiceError as exc:
            ctx["error"] = str(exc.as_dict()["message"])
            return render(request, "feedback/forward.html", ctx, status=getattr(exc, "status", 422))
    return render(request, "feedback/forward.html", ctx)


# --- reviews, rectifications and appeals (workbench) -------------------------------------------------------


@require_GET
@login_required
@require(access_reviews, action="feedback.reviews")
def reviews(request: HttpRequest) -> HttpResponse:
    bad = bool(forms.ReviewsQueryForm(request.GET).values()["bad"])
    qs = selectors.reviews_bad_visible(request.user) if bad else selectors.reviews_visible(request.user)
    rows = [selectors.review_row(r) for r in qs[:200]]
    return render(request, "feedback/reviews.html", {"rows": rows, "bad": bad})


@require_GET
@login_required
@require(access_reviews, action="feedback.review")
def review(request: HttpRequest, review_id: int) -> HttpResponse:
    r = selectors.review_get(review_id)
    if r is None or not access_review_view(request.user, r):
        raise Http404
    rect = selectors.rectification_of_review(r)
    return render(
        request,
        "feedback/review.html",
        {"row": selectors.review_row(r), "r": r, "checks": selectors.review_checks(r), "rect": rect},
    )


@require_GET
@login_required
@require(access_rectifications, action="feedback.rectifications")
def rectifications(request: HttpRequest) -> HttpResponse:
    q = forms.RectificationsQueryForm(request.GET).values()
    appeals = bool(q["appeals"])
    rows = [
        {"case": c, "status": wf.status_label(wf.RECTIFICATION, c.status), "review": c.rectification.review}
        for c in selectors.rectifications(request.user, status=q["status"] or "", appeals=appeals)
    ]
    return render(request, "feedback/rectifications.html", {"rows": rows, "appeals": appeals})


@require_GET
@login_required
@require(access_appeals, action="feedback.appeals")
def appeals(request: HttpRequest) -> HttpResponse:
    rows = [
        {"case": c, "status": wf.status_label(wf.RECTIFICATION, c.status), "review": c.rectification.review}
        for c in selectors.rectifications(request.user, appeals=True)
    ]
    return render(request, "feedback/rectifications.html", {"rows": rows, "appeals": True})


def _rect_page(request: HttpRequest, case_id: int) -> Any:
    case = selectors.rectification_case(case_id)
    if case is None or not access_case_page(request.user, case):
        raise Http404
    return case


RECT_ACTIONS = ("callback", "rectify", "appeal", "decide", "close")


@require_http_methods(["GET", "POST"])
@login_required
@require(access_rectifications, action="feedback.rectification")
def rectification(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _rect_page(request, case_id)
    error = ""
    if request.method == "POST":
        action = WhichForm(request.POST, field="action", choices=RECT_ACTIONS).choice()
        user = signed_in(request)
        try:
            if not action:
                raise ServiceError(_("Unknown action."), code="unknown_action")
            _rect_action(user, case.pk, action, request.POST)
            return redirect("feedback:rectification", case_id=case.pk)
        except ServiceError as exc:
            error = str(exc.as_dict()["message"])
        case = _rect_page(request, case_id)
    r = case.rectification
    caps = case_capacities(request.user, case)
    wf_ = wf.RECT_WORKFLOW
    can = {t.name for t in wf_.allowed_from(case.status) if set(caps) & t.actors}
    return render(
        request,
        "feedback/rectification.html",
        {
            "case": case,
            "rect": r,
            "row": selectors.review_row(r.review),
            "checks": selectors.review_checks(r.review),
            "status": wf.status_label(wf.RECTIFICATION, case.status),
            "can": can,
            "error": error,
            "events": kernel.case_events(case),
        },
        status=422 if error else 200,
    )


def _rect_action(user: User, case_id: int, action: str, data: Any) -> None:
    if action == "callback":
        f = forms.CallbackForm(data)
        if not f.is_valid():
            raise form_refusal(f)
        s.rectification_callback(
            actor=user,
            case_id=case_id,
            note=f.cleaned_data["note"],
            expected_version=f.cleaned_data["version"],
        )
    elif action == "rectify":
        f2 = forms.RectifyForm(data)
        if not f2.is_valid():
            raise form_refusal(f2)
        s.rectification_rectify(
            actor=user,
            case_id=case_id,
            findings=f2.cleaned_data["findings"],
            actions=f2.cleaned_data["actions"],
            expected_version=f2.cleaned_data["version"],
        )
    elif action == "appeal":
        f3 = forms.AppealForm(data)
        if not f3.is_valid():
            raise form_refusal(f3)
        s.rectification_appeal(
            actor=user,
            case_id=case_id,
            kind=f3.cleaned_data["kind"],
            reason=f3.cleaned_data["reason"],
            expected_version=f3.cleaned_data["version"],
        )
    elif action == "decide":
        f4 = forms.DecideForm(data)
        if not f4.is_valid():
            raise form_refusal(f4)
        s.appeal_decide(
            actor=user,
            case_id=case_id,
            uphold=f4.cleaned_data["decision"] == "uphold",
            reason=f4.cleaned_data["reason"],
            expected_version=f4.cleaned_data["version"],
        )
    else:
        s.rectification_close(actor=user, case_id=case_id)


# --- the complaints post ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@require(access_complaints, action="feedback.complaints")
def complaints(request: HttpRequest) -> HttpResponse:
    ctx: dict[str, Any] = {
        "vias": [(k, str(v)) for k, v in forms.Complaint.Via.choices],
        "post": access_post(request.user),
    }
    status = 200
    if request.method == "POST":
        form = forms.ComplaintForm(request.POST)
        try:
            if not form.is_valid():
                raise form_refusal(form)
            case = s.complaint_log(actor=signed_in(request), data=form.complaint())
            return redirect("feedback:complaint", case_id=case.pk)
        except ServiceError as exc:
            ctx["error"] = str(exc.as_dict()["message"])
            status = getattr(exc, "status", 422)
    ctx["rows"] = [
        {"case": c, "status": wf.status_label(wf.COMPLAINT, c.status)}
        for c in selectors.complaints(request.user)
    ]
    return render(request, "feedback/complaints.html", ctx, status=status)


COMPLAINT_ACTIONS = {"handle", "transfer", "reply"}


@require_http_methods(["GET", "POST"])
@login_required
@require(access_complaints, action="feedback.complaint")
def complaint(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.complaint_case(case_id)
    if case is None or not access_case_page(request.user, case):
        raise Http404
    error = ""
    if request.method == "POST":
        action = WhichForm(request.POST, field="action", choices=("handle", "transfer", "reply")).choice()
        user = signed_in(request)
        try:
            if action == "handle":
                s.complaint_handle(actor=user, case_id=case.pk)
            elif action == "transfer":
                tf = forms.TransferForm(request.POST)
                if not tf.is_valid():
                    raise form_refusal(tf)
                s.complaint_transfer(
                    actor=user,
                    case_id=case.pk,
                    office=tf.cleaned_data["office"],
                    reason=tf.cleaned_data["reason"],
                )
            elif action == "reply":
                rf = forms.ReplyForm(request.POST)
                if not rf.is_valid():
                    raise form_refusal(rf)
                s.complaint_reply(actor=user, case_id=case.pk, reply=rf.cleaned_data["reply"])
            else:
                raise ServiceError(_("Unknown action."), code="unknown_action")
            return redirect("feedback:complaint", case_id=case.pk)
        except ServiceError as exc:
            error = str(exc.as_dict()["message"])
        fresh = selectors.complaint_case(case_id)
        assert fresh is not None
        case = fresh
    caps = case_capacities(request.user, case)
    can = {t.name for t in wf.COMPLAINT_WORKFLOW.allowed_from(case.status) if set(caps) & t.actors}
    return render(
        request,
        "feedback/complaint.html",
        {
            "case": case,
            "c": case.complaint,
            "status": wf.status_label(wf.COMPLAINT, case.status),
            "can": can,
            "error": error,
            "events": kernel.case_events(case),
        },
        status=422 if error else 200,
    )


# --- the six ones' reports -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@require(access_reports, action="feedback.reports")
def report_list(request: HttpRequest) -> HttpResponse:
    ctx: dict[str, Any] = {
        "post": access_post(request.user),
        "periods": [(p, _period_label(p)) for p in reports.PERIODS],
    }
    status = 200
    if request.method == "POST":
        form = forms.IssueForm(request.POST)
        try:
            if not access_post(request.user):
                raise s.NotYours(_("Only the complaints post issues reports."))
            if not form.is_valid():
                raise form_refusal(form)
            rep = reports.report_issue(
                actor=signed_in(request), period=form.cleaned_data["period"], day=form.cleaned_data["day"]
            )
            return redirect("feedback:report", report_id=rep.pk)
        except ServiceError as exc:
            ctx["error"] = str(exc.as_dict()["message"])
            status = getattr(exc, "status", 422)
    ctx["rows"] = [{"r": r, "period": _period_label(r.period)} for r in selectors.issued_reports()[:100]]
    return render(request, "feedback/reports.html", ctx, status=status)


def _period_label(p: str) -> str:
    return str(dict(forms.IssuedReportPeriods).get(p, p))


@require_GET
@login_required
@require(access_reports, action="feedback.report")
def report(request: HttpRequest, report_id: int) -> HttpResponse:
    rep = selectors.issued_report(report_id)
    if rep is None:
        raise Http404
    f = rep.figures
    return render(
        request,
        "feedback/report.html",
        {
            "rep": rep,
            "title": reports.title_of(rep.period, rep.start, rep.end),
            "summary": reports.summary_rows(f),
            "tags": reports.tag_rows(f),
            "offices": reports.office_rows(f),
            "cases": reports.case_rows(f),
            "complaints": reports.complaint_rows(f),
            "chart": {
                "labels": [str(LEVELS[int(n)]) for n in f["reviews"]["levels"]],
                "values": list(f["reviews"]["levels"].values()),
                "name": _("Reviews by level"),
            },
        },
    )


@require_GET
@login_required
@require(access_reports, action="feedback.report_file")
def report_file(request: HttpRequest, report_id: int, fmt: str) -> HttpResponse:
    rep = selectors.issued_report(report_id)
    if rep is None or fmt not in ("pdf", "xlsx"):
        raise Http404
    if fmt == "pdf":
        response = HttpResponse(bytes(rep.pdf), content_type="application/pdf")
    else:
        response = HttpResponse(
            bytes(rep.xlsx), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="report-{rep.period}-{rep.start:%Y%m%d}.{fmt}"'
    return response
