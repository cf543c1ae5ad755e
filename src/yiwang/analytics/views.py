"""Pages of analytics: the dashboards, the department ranking with its published formula, the staff view,
the government-service index and the third-party evaluation. Every chart comes with its table and every
page with an Excel export."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.accounts.access import ensure, signed_in
from yiwang.core.errors import ServiceError
from yiwang.core.forms import form_refusal
from yiwang.core.sheets import workbook
from yiwang.web.pages import require

from . import forms, scoring, selectors, services, tables
from .access import access_dashboard, access_manage, access_staff_scores

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(name: str, sheets: list[tuple[str, list[list[Any]]]]) -> HttpResponse:
    response = HttpResponse(workbook(sheets), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _period(request: HttpRequest) -> tuple[date, date]:
    form = forms.PeriodForm(request.GET)
    today = timezone.localdate()
    start, end = today - timedelta(days=29), today
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    if end < start or (end - start).days > 366:
        start, end = end - timedelta(days=29), end
    return start, end


def _month(request: HttpRequest) -> date:
    form = forms.MonthForm(request.GET)
    if form.is_valid() and form.cleaned_data["month"]:
        return form.cleaned_data["month"].replace(day=1)
    return timezone.localdate().replace(day=1)


def _chart(cid: str, kind: str, rows: list[list[Any]], name: str, col: int = 1) -> dict[str, Any]:
    return {
        "id": cid,
        "type": kind,
        "name": name,
        "labels": [str(r[0]) for r in rows[1:]],
        "values": [r[col] for r in rows[1:]],
    }


@require_GET
@login_required
@require(access_dashboard, action="analytics.dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    start, end = _period(request)
    d = selectors.dashboard(start, end)
    tabs = tables.dashboard_tables(d)
    if request.GET.get("format") == "xlsx":
        return _xlsx(f"dashboard-{start:%Y%m%d}-{end:%Y%m%d}", [(t, rows) for _k, t, rows in tabs])
    by = {k: rows for k, _t, rows in tabs}
    charts = [
        _chart("by_day", "line", by["by_day"], _("Applications received")),
        _chart("by_hour", "bar", by["by_hour"], _("Applications received")),
        _chart("hot_items", "bar", by["hot_items"], _("Applications received")),
        _chart("sat_office", "bar", by["sat_office"], _("Good rate %"), col=3),
    ]
    return render(
        request,
        "analytics/dashboard.html",
        {
            "start": start,
            "end": end,
            "sections": [{"key": k, "title": t, "rows": rows} for k, t, rows in tabs],
            "charts": {"charts": charts},
            "chart_ids": {c["id"] for c in charts},
        },
    )


@require_GET
@login_required
@require(access_dashboard, action="analytics.assessment")
def assessment(request: HttpRequest) -> HttpResponse:
    month = _month(request)
    r = selectors.department_ranking(month)
    table = tables.ranking_table(r)
    if request.GET.get("format") == "xlsx":
        return _xlsx(f"assessment-{month:%Y%m}", [(_("Department ranking"), table)])
    return render(
        request,
        "analytics/assessment.html",
        {
            "month": month,
            "r": r,
            "table": table,
            "weights": [(str(label), r["weights"].get(k, 0)) for k, label in scoring.COMPONENTS.items()],
            "formulas": selectors.formulas(),
            "manage": access_manage(request.user),
            "components": list(scoring.COMPONENTS.items()),
            "charts": {
                "charts": [
                    _chart("ranking", "bar", [[0, 0]] + [[row[1], row[-1]] for row in table[1:]], _("Score"))
                ]
            },
        },
    )


@require_POST
@login_required
@require(access_manage, action="analytics.formula_publish")
def formula(request: HttpRequest) -> HttpResponse:
    form = forms.FormulaForm(request.POST)
    try:
        if not form.is_valid():
            raise form_refusal(form)
        services.formula_publish(
            actor=signed_in(request), weights=form.weights(), note=form.cleaned_data["note"]
        )
    except ServiceError as exc:
        month = _month(request)
        r = selectors.department_ranking(month)
        return render(
            request,
            "analytics/assessment.html",
            {
                "month": month,
                "r": r,
                "table": tables.ranking_table(r),
                "formulas": selectors.formulas(),
                "manage": True,
                "weights": [(str(label), r["weights"].get(k, 0)) for k, label in scoring.COMPONENTS.items()],
                "components": list(scoring.COMPONENTS.items()),
                "charts": {"charts": []},
                "error": exc.as_dict()["message"],
            },
            status=422,
        )
    return redirect("analytics:assessment")


@require_GET
@login_required
@require(access_staff_scores, action="analytics.staff")
def staff(request: HttpRequest) -> HttpResponse:
    month = _month(request)
    r = selectors.staff_scores(request.user, month)
    table = tables.staff_table(r)
    if request.GET.get("format") == "xlsx":
        return _xlsx(f"staff-{month:%Y%m}", [(_("Staff scores"), table)])
    return render(
        request,
        "analytics/staff.html",
        {
            "month": month,
            "r": r,
            "table": table,
            "weights": [(str(label), r["weights"].get(k, 0)) for k, label in scoring.COMPONENTS.items()],
        },
    )


@require_GET
@login_required
@require(access_dashboard, action="analytics.index")
def index(request: HttpRequest) -> HttpResponse:
    month = _month(request)
    months: list[date] = []
    m = month
    for _i in range(6):
        months.insert(0, m)
        m = (m - timedelta(days=1)).replace(day=1)
    ix = selectors.service_index(months)
    table, comps = tables.index_table(ix), tables.index_components_table(ix)
    if request.GET.get("format") == "xlsx":
        return _xlsx(
            f"index-{month:%Y%m}", [(_("Government-service index"), table), (_("District components"), comps)]
        )
    chart = {
        "id": "index",
        "type": "line",
        "name": pgettext("scope", "District"),
        "labels": table[0][1:],
        "values": table[1][1:],
    }
    return render(
        request,
        "analytics/index.html",
        {
            "month": month,
            "table": table,
            "comps": comps,
            "charts": {"charts": [chart]},
            "weights": [(str(scoring.INDEX_COMPONENTS[k]), v) for k, v in ix["weights"].items()],
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
@require(access_dashboard, action="analytics.thirdparty")
def thirdparty(request: HttpRequest) -> HttpResponse:
    month = _month(request)
    ctx: dict[str, Any] = {"month": month, "manage": access_manage(request.user)}
    status = 200
    if request.method == "POST":
        ensure(access_manage(request.user), user=request.user, action="analytics.thirdparty_import")
        form = forms.ImportForm(request.POST, request.FILES)
        try:
            if not form.is_valid():
                raise form_refusal(form)
            ctx["imported"] = services.thirdparty_import(
                actor=signed_in(request), data=form.cleaned_data["file"].read()
            )
        except ServiceError as exc:
            ctx["error"] = exc.as_dict()["message"]
            status = 422
    dims = selectors.thirdparty_dimensions(month)
    rows = selectors.thirdparty(month)
    head = [_("Hall"), *dims, _("Survey average"), _("Platform: reviews"), _("Platform: good rate %")]
    table = [head] + [
        [
            r["hall"],
            *[r["scores"].get(d, "—") for d in dims],
            r["survey_avg"] if r["survey_avg"] is not None else "—",
            r["own"].get("reviews", 0),
            r["own_rate"] if r["own_rate"] is not None else "—",
        ]
        for r in rows
    ]
    if request.GET.get("format") == "xlsx":
        return _xlsx(f"thirdparty-{month:%Y%m}", [(_("Third-party evaluation"), table)])
    ctx["table"] = table
    return render(request, "analytics/thirdparty.html", ctx, status=status)
