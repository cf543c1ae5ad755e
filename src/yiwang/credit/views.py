"""Credit pages: record search, a subject's credit page (with credit repair), import history, figures
(workbench); the published rules and the applicant's own standing (portal)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from yiwang.accounts.access import acting_person, ensure, enterprises_for, signed_in
from yiwang.core.errors import ServiceError
from yiwang.core.forms import form_refusal
from yiwang.web.pages import require

from . import forms, selectors
from . import services as s
from .access import access_figures, access_manage, access_own_standing, access_records, access_rules
from .vocabulary import SEVERITIES, category_label


@require_GET
@login_required
@require(access_records, action="credit.records")
def records(request: HttpRequest) -> HttpResponse:
    q = forms.RecordQueryForm(request.GET).values()
    qs = selectors.record_search(
        code=str(q["code"] or ""),
        category=str(q["category"] or ""),
        source=str(q["source"] or ""),
        standing=str(q["standing"] or ""),
    )
    page = Paginator(qs, 50).get_page(q["page"])
    rows = [
        {"r": r, "category": category_label(r.category), "subject": r.subject.code_masked()} for r in page
    ]
    return render(
        request,
        "credit/records.html",
        {
            "page": page,
            "rows": rows,
            "form": forms.RecordQueryForm(request.GET),
            "qs": urlencode({k: v for k, v in q.items() if k != "page" and v}),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
@require(access_records, action="credit.subject")
def subject(request: HttpRequest, subject_id: int) -> HttpResponse:
    sub = selectors.subject_get(subject_id)
    if sub is None:
        raise Http404
    error: dict[str, Any] = {}
    form = forms.RepairForm()
    if request.method == "POST":
        ensure(access_manage(request.user), user=request.user, action="credit.repair", obj=sub)
        form = forms.RepairForm(request.POST)
        if not form.is_valid():
            error = form_refusal(form).as_dict()
        else:
            try:
                s.credit_repair(
                    actor=signed_in(request),
                    record_id=form.cleaned_data["record"],
                    decision_reference=form.cleaned_data["decision_reference"],
                    decided_on=form.cleaned_data["decided_on"],
                    reason=form.cleaned_data["reason"],
                )
            except ServiceError as exc:
                error = exc.as_dict()
            else:
                return redirect("credit:subject", subject_id=sub.pk)
    records = [
        {"r": r, "category": category_label(r.category), "severity": SEVERITIES.get(r.severity, "")}
        for r in selectors.subject_records(sub)[:200]
    ]
    return render(
        request,
        "credit/subject.html",
        {
            "subject": sub,
            "code": sub.code_masked(),
            "standing": selectors.standing_for_key(sub.key),
            "records": records,
            "error": error,
            "form": form,
            "can_repair": access_manage(request.user),
            "black_categories": selectors.black_categories(),
        },
        status=400 if error else 200,
    )


@require_GET
@login_required
@require(access_records, action="credit.imports")
def imports(request: HttpRequest) -> HttpResponse:
    q = forms.PageQueryForm(request.GET).values()
    page = Paginator(selectors.imports(), 50).get_page(q["page"])
    return render(request, "credit/imports.html", {"page": page})


@require_GET
@login_required
@require(access_records, action="credit.import")
def import_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.import_get(batch_id)
    if batch is None:
        raise Http404
    return render(request, "credit/import.html", {"b": batch})


@require_GET
@login_required
@require(access_figures, action="credit.figures")
def figures(request: HttpRequest) -> HttpResponse:
    d = selectors.figures()
    chart = {
        "labels": [r["label"] for r in d["by_category"]],
        "values": [r["n"] for r in d["by_category"]],
    }
    return render(request, "credit/figures.html", {"d": d, "chart": chart})


@require_GET
@require(access_rules, action="credit.rules")
def rules(request: HttpRequest) -> HttpResponse:
    rows = [{"rule": r, "categories": [category_label(c) for c in r.categories]} for r in selectors.rules()]
    return render(request, "credit/rules.html", {"rows": rows, "severities": SEVERITIES})


@require_GET
@login_required
@require(access_own_standing, action="credit.mine")
def mine(request: HttpRequest) -> HttpResponse:
    own = selectors.own_standings(acting_person(request.user), enterprises_for(request.user))
    return render(request, "credit/mine.html", {"own": own})
