"""Concierge pages: the board, a key enterprise's page (notes, coordination requests, escalation), the figures
(workbench); the agent's concierge (portal)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from yiwang.accounts.access import ensure, enterprises_for, signed_in
from yiwang.core.errors import ServiceError
from yiwang.core.forms import form_refusal
from yiwang.web.pages import require

from . import forms, selectors
from . import services as s
from .access import access_board, access_figures, access_key_enterprise, access_my_concierge
from .models import LEVELS


@require_GET
@login_required
@require(access_board, action="concierge.board")
def board(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "concierge/board.html",
        {"portfolio": list(selectors.portfolio(request.user)), "rows": selectors.board(request.user)},
    )


def _act(request: HttpRequest) -> dict[str, Any]:
    form = forms.ActionForm(request.POST)
    if not form.is_valid():
        return form_refusal(form).as_dict()
    d = form.cleaned_data
    user = signed_in(request)
    try:
        if d["action"] == "note":
            s.concierge_note(actor=user, case_id=d["case"] or 0, text=d["text"])
        elif d["action"] == "coordinate":
            s.concierge_coordinate(actor=user, case_id=d["case"] or 0, level=d["level"] or 0, text=d["text"])
        else:
            s.concierge_escalate(actor=user, request_id=d["request"] or 0)
    except ServiceError as exc:
        return exc.as_dict()
    return {}


@require_http_methods(["GET", "POST"])
@login_required
@require(access_board, action="concierge.enterprise")
def enterprise(request: HttpRequest, key_id: int) -> HttpResponse:
    key = selectors.key_enterprise_get(key_id)
    if key is None:
        raise Http404
    ensure(
        access_key_enterprise(request.user, key), user=request.user, action="concierge.enterprise", obj=key
    )
    error: dict[str, Any] = {}
    if request.method == "POST":
        error = _act(request)
        if not error:
            return redirect("concierge:enterprise", key_id=key.pk)
    rows = selectors.board(request.user, key=key)
    for r in rows:
        r["note_list"] = list(selectors.case_notes(r["case"].pk)) if r["notes"] else []
    return render(
        request,
        "concierge/enterprise.html",
        {
            "key": key,
            "rows": rows,
            "requests": list(selectors.requests_of(key)),
            "transfers": list(selectors.transfers_of(key)),
            "levels": list(LEVELS.items()),
            "error": error,
        },
        status=400 if error else 200,
    )


@require_GET
@login_required
@require(access_figures, action="concierge.figures")
def figures(request: HttpRequest) -> HttpResponse:
    return render(request, "concierge/figures.html", {"d": selectors.figures()})


@require_GET
@login_required
@require(access_my_concierge, action="concierge.mine")
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request, "concierge/mine.html", {"rows": selectors.my_concierges(enterprises_for(request.user))}
    )
