"""Pages of the calculator: the portal calculator (an enterprise's own facts, or a typed profile) and a
policy's page; the workbench list with figures, the rule editor (save, test on sample enterprises, publish)
and the qualifying list with its notification."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.accounts.access import ensure, signed_in
from yiwang.accounts.selectors import enterprise_by_credit_code
from yiwang.core.errors import ServiceError
from yiwang.core.forms import WhichForm
from yiwang.rules import selectors as rules
from yiwang.rules import services as rules_engine
from yiwang.web.pages import require

from . import selectors
from . import services as s
from .access import (
    access_calculator,
    access_enterprise_calculator,
    access_policy_edit,
    access_policy_figures,
)
from .facts import KIND
from .forms import OPS, ChoiceQueryForm, ProfileForm, RuleForm, TestForm, amount_of, rows_of


def _enterprise_choice(request: HttpRequest) -> Any:
    mine = list(selectors.my_enterprises(request.user)) if request.user.is_authenticated else []
    q = ChoiceQueryForm(request.GET).values()
    chosen = next((e for e in mine if e.pk == q["enterprise"]), mine[0] if mine and not q["manual"] else None)
    return mine, chosen, bool(q["manual"])


@require_GET
@require(access_calculator, action="policies.calculator")
def calculator(request: HttpRequest) -> HttpResponse:
    """What an enterprise qualifies for: amounts, deadlines, apply links, near misses with "why not"."""
    today = timezone.localdate()
    mine, chosen, manual = _enterprise_choice(request)
    form = ProfileForm(request.GET or None)
    calc = None
    if chosen is not None:
        ensure(
            access_enterprise_calculator(request.user, chosen),
            user=request.user,
            action="policies.calculator",
        )
        calc = selectors.calculate(selectors.enterprise_facts(chosen, today), on=today)
    elif manual and form.is_valid():
        calc = selectors.calculate(form.facts(), on=today)
    if calc is not None:
        s.visit_count(calc)
    ctx = {
        "mine": mine,
        "chosen": chosen,
        "form": form,
        "calc": calc,
        "specs": rules.fact_specs(KIND),
        "today": today,
    }
    return render(request, "policies/calculator.html", ctx)


@require_GET
@require(access_calculator, action="policies.detail")
def detail(request: HttpRequest, code: str) -> HttpResponse:
    policy = selectors.policy_get(code)
    version = rules.version_in_force(policy.rule_set, timezone.localdate()) if policy else None
    if policy is None or version is None:
        raise Http404
    doc = rules.document_of(version)
    return render(request, "policies/detail.html", {"policy": policy, "version": version, "doc": doc})


@require_GET
@login_required
@require(access_policy_figures, action="policies.manage")
def manage(request: HttpRequest) -> HttpResponse:
    rows = selectors.figures()
    return render(
        request,
        "policies/manage.html",
        {
            "rows": rows,
            "visits": selectors.calculator_visits(),
            "matches": sum(r["matches"] for r in rows),
            "may_edit": access_policy_edit(request.user),
        },
    )


def _editor_context(policy: Any, *, form: RuleForm | None = None) -> dict[str, Any]:
    draft = rules.draft_of(policy.rule_set)
    current = rules.version_in_force(policy.rule_set, timezone.localdate())
    base = draft or current
    document = base.document if base else {"conditions": []}
    rows = form.rows if form else rows_of(document)
    return {
        "policy": policy,
        "draft": draft,
        "current": current,
        "versions": rules.versions(policy.rule_set),
        "rows": rows + [{"id": "", "label": "", "left": "", "op": ">=", "value": "", "display": ""}] * 2,
        "amount": form.amount if form else amount_of(document),
        "facts": list(rules.fact_specs(KIND).values()),
        "ops": OPS,
        "errors": {},
        "tests": [],
        "message": "",
    }


@require_http_methods(["GET", "POST"])
@login_required
@require(access_policy_edit, action="policies.edit")
def edit(request: HttpRequest, code: str) -> HttpResponse:
    """The rule editor: save the draft (errors named by condition), test it on sample enterprises, publish."""
    policy = selectors.policy_get(code)
    if policy is None:
        raise Http404
    if request.method == "GET":
        return render(request, "policies/edit.html", _editor_context(policy))
    action = WhichForm(request.POST, field="action", choices=("save", "test", "publish")).choice()
    form = RuleForm(request.POST)
    ctx = _editor_context(policy, form=form)
    status = 200
    try:
        if action == "publish":
            notice = s.rules_publish(
                actor=signed_in(request), policy=policy, effective_from=form.effective_from
            )
            return redirect(reverse("policies:notice", args=[notice.pk]))
        document = form.document()
        errors: dict[str, str] = {}
        try:
            rules_engine.validate(document, KIND)
        except ServiceError as e:
            errors.update(e.fields)
        errors.update(form.errors)  # a formula that does not parse: its own message, not "unknown fact"
        if errors:
            raise ServiceError(_("The rule set has errors."), fields=errors)
        if action == "test":
            doc = rules_engine.validate(document, KIND)
            today = timezone.localdate()
            samples = TestForm(request.POST)
            for credit in samples.codes():
                ent = enterprise_by_credit_code(credit)
                if ent is None:
                    ctx["tests"].append({"name": credit, "outcome": None})
                    continue
                facts = selectors.enterprise_facts(ent, today)
                ctx["tests"].append({"name": ent.name, "outcome": rules.explain(doc, KIND, facts)})
            ctx["message"] = _("Tested; nothing was saved.")
            ctx["samples"] = samples.raw()
        else:
            s.rules_save(
                actor=signed_in(request),
                policy=policy,
                document=document,
                effective_from=form.effective_from,
                note=form.note,
            )
            ctx = _editor_context(policy)
            ctx["message"] = _("Draft saved. Test it, then publish.")
    except ServiceError as e:
        ctx["errors"] = e.fields or {"document": e.message}
        ctx["message"] = str(e.message)
        status = 422
    return render(request, "policies/edit.html", ctx, status=status)


@require_GET
@login_required
@require(access_policy_edit, action="policies.notice")
def notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    n = selectors.notice_get(notice_id)
    if n is None:
        raise Http404
    return render(request, "policies/notice.html", {"notice": n, "rows": selectors.qualifying(n)})


@require_POST
@login_required
@require(access_policy_edit, action="policies.notify")
def notify(request: HttpRequest, notice_id: int) -> HttpResponse:
    n = selectors.notice_get(notice_id)
    if n is None:
        raise Http404
    try:
        s.qualifying_notify(actor=signed_in(request), notice=n)
    except ServiceError as e:
        return render(
            request,
            "policies/notice.html",
            {"notice": n, "rows": selectors.qualifying(n), "message": e.message},
            status=e.status,
        )
    return redirect(reverse("policies:notice", args=[n.pk]))
