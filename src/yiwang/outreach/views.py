"""Outreach pages (workbench): the grid worker's visit list and visit page (eligibility explained, audited
with its purpose; the outcome), the screenings (on demand), the figures, and the register import."""

from __future__ import annotations

from typing import Any

from django import forms as djforms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yiwang.accounts.access import ensure, signed_in
from yiwang.core.errors import ServiceError
from yiwang.core.forms import field_errors
from yiwang.web.pages import require

from . import selectors
from . import services as s
from .access import access_figures, access_register, access_screening, access_visit, access_visits
from .forms import ImportForm, OutcomeForm, ScreeningForm, VisitsQueryForm


def _age(birth: Any) -> int:
    today = timezone.localdate()
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


@require_GET
@login_required
@require(access_visits, action="outreach.visits")
def visits(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    which = VisitsQueryForm(request.GET).outcome()
    rows = [
        {"visit": v, "age": _age(v.resident.birth_date), "benefit": selectors.benefit_label(v.benefit)}
        for v in selectors.visits_for(user, outcome=which)[:500]
    ]
    return render(request, "outreach/visits.html", {"rows": rows, "show": which})


@require_http_methods(["GET", "POST"])
@login_required
@require(access_visits, action="outreach.visit")
def visit(request: HttpRequest, visit_id: int) -> HttpResponse:
    user = signed_in(request)
    v = selectors.visit_get(visit_id)
    if v is None:
        raise Http404
    ensure(access_visit(user, v), user=user, action="outreach.visit", visit=visit_id)
    form = OutcomeForm(request.POST or None)
    status, message = 200, ""
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ServiceError(
                    _("Choose an outcome."),
                    fields=field_errors(form),
                )
            s.visit_record(
                actor=user,
                visit_id=v.pk,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
            return redirect(reverse("outreach:visit", args=[v.pk]))
        except ServiceError as e:
            status, message = e.status, str(e.message)
    explained = s.eligibility_view(actor=user, visit=v, purpose=_("home visit"))
    ctx = {
        "v": v,
        "age": _age(v.resident.birth_date),
        "benefit": selectors.benefit_label(v.benefit),
        "explained": explained,
        "form": form,
        "message": message,
        "open": v.outcome in ("pending", "retry"),
    }
    return render(request, "outreach/visit.html", ctx, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@require(access_screening, action="outreach.screening")
def screenings(request: HttpRequest) -> HttpResponse:
    form = ScreeningForm(request.POST or None)
    message, status = "", 200
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ServiceError(
                    _("State the purpose of the screening."), fields={"purpose": _("Required.")}
                )
            s.screening_request(actor=signed_in(request), purpose=form.cleaned_data["purpose"])
            message = _("The screening has been queued; it appears here when it has run.")
        except ServiceError as e:
            message, status = str(e.message), e.status
    ctx = {
        "screenings": selectors.screenings()[:50],
        "form": form,
        "message": message,
        "labels": selectors.benefit_label,
    }
    return render(request, "outreach/screenings.html", ctx, status=status)


@require_GET
@login_required
@require(access_figures, action="outreach.figures")
def figures(request: HttpRequest) -> HttpResponse:
    rows = selectors.figures()
    return render(
        request, "outreach/figures.html", {"rows": rows, "streets": selectors.figures_by_street(rows)}
    )


@require_http_methods(["GET", "POST"])
@login_required
@require(access_register, action="outreach.import")
def register_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    ctx: dict[str, Any] = {"form": form, "problems": [], "imported": None, "message": ""}
    status = 200
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ServiceError(" ".join(str(m) for e in form.errors.values() for m in e))
            ctx["imported"] = s.residents_import(actor=signed_in(request), rows=form.rows())
        except djforms.ValidationError as e:
            ctx["message"], status = " ".join(e.messages), 422
        except ServiceError as e:
            ctx["message"], status = str(e.message), e.status
            ctx["problems"] = str(e.fields.get("rows", "")).splitlines()
    return render(request, "outreach/import.html", ctx, status=status)
