"""Licences pages: public verification (anyone), the holder's wallet (portal) and the issuing desk
(workbench). Access through ``access.py``; the services write; selectors read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.accounts.access import signed_in
from yiwang.audit.services import audit_denied
from yiwang.core.errors import ServiceError
from yiwang.web.pages import require

from . import selectors, services, verification
from . import workflow as wf
from .access import (
    access_issue_for,
    access_issuing_desk,
    access_licence_event,
    access_licence_holder,
    access_licence_staff_view,
    access_wallet,
)
from .forms import ChangeForm, LicenceFieldsForm, RenewForm, ShareForm, StatusForm, VerifyForm
from .pdf import licence_pdf, qr_svg, sample_pdf, verification_url

if TYPE_CHECKING:
    from yiwang.accounts.access import Visitor


def _anyone(user: Visitor) -> bool:
    return True


def _form_errors(form: Any, exc: ServiceError) -> None:
    for name, message in exc.fields.items():
        target = name if name in form.fields else (f"f_{name}" if f"f_{name}" in form.fields else None)
        form.add_error(target, message)
    if exc.message and not exc.fields:
        form.add_error(None, exc.message)


# --- public ------------------------------------------------------------------------------------------


@require_GET
@require(_anyone, action="licence.verify")
def verify(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET)
    values = form.values()
    verdict = None
    if values["payload"] or values["identifier"]:
        verdict = verification.verify(payload=values["payload"], identifier=values["identifier"])
    return render(
        request,
        "licences/verify.html",
        {
            "form": form,
            "verdict": verdict,
            "ltype": verdict.licence.type if verdict and verdict.licence else None,
        },
    )


@require_GET
@require(_anyone, action="licence.shared")
def shared(request: HttpRequest, token: str) -> HttpResponse:
    link = selectors.share_link_get(token)
    if link is None:
        return render(request, "licences/shared_gone.html", status=404)
    version = selectors.licence_current_version(link.licence)
    assert version is not None
    verdict = verification.verify(payload=version.payload)
    return render(
        request,
        "licences/verify.html",
        {"form": None, "verdict": verdict, "ltype": link.licence.type, "shared_until": link.expires_at},
    )


@require_GET
@require(_anyone, action="licence.type_sample")
def type_sample(request: HttpRequest, code: str) -> HttpResponse:
    ltype = selectors.licence_type_get(code)
    if ltype is None:
        raise Http404
    response = HttpResponse(sample_pdf(ltype), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sample-{ltype.code}.pdf"'
    return response


# --- the holder's wallet -------------------------------------------------------------------------------


def _hidden(request: HttpRequest, licence: Any, action: str) -> Http404:
    """Somebody else's licence does not exist for the reader (404); the refusal is audited."""
    if licence is not None:
        audit_denied(actor=request.user, action=action, obj=licence)
    return Http404()


def _holder_licence(request: HttpRequest, licence_id: int) -> Any:
    licence = selectors.licence_get(licence_id)
    if licence is None or not access_licence_holder(request.user, licence):
        raise _hidden(request, licence, "licence.view")
    return licence


@require_GET
@login_required
@require(access_wallet, action="licence.wallet")
def wallet(request: HttpRequest) -> HttpResponse:
    rows = []
    for licence in selectors.wallet(request.user):
        rows.append({"licence": licence, "version": selectors.licence_current_version(licence)})
    return render(request, "licences/wallet.html", {"rows": rows})


@require_GET
@login_required
@require(access_wallet, action="licence.view")
def detail(request: HttpRequest, licence_id: int) -> HttpResponse:
    licence = _holder_licence(request, licence_id)
    version = selectors.licence_current_version(licence)
    assert version is not None
    url = verification_url(version.payload)
    return render(
        request,
        "licences/detail.html",
        {
            "licence": licence,
            "version": version,
            "field_rows": [
                (f.get("label", f["key"]), version.fields.get(f["key"], "")) for f in licence.type.fields
            ],
            "qr": qr_svg(url),
            "verify_url": url,
            "events": selectors.licence_events(licence),
            "links": selectors.share_links(licence),
            "share_form": ShareForm(),
            "status_label": wf.STATUSES[licence.status],
        },
    )


@require_GET
@login_required
def licence_pdf_view(request: HttpRequest, licence_id: int) -> HttpResponse:
    licence = selectors.licence_get(licence_id)
    allowed = licence is not None and (
        access_licence_holder(request.user, licence) or access_licence_staff_view(request.user, licence)
    )
    if licence is None or not allowed:
        raise _hidden(request, licence, "licence.pdf")
    version = selectors.licence_current_version(licence)
    assert version is not None
    response = HttpResponse(licence_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="licence-{licence.pk}-v{version.version:03d}.pdf"'
    )
    return response


@require_POST
@login_required
@require(access_wallet, action="licence.share")
def share(request: HttpRequest, licence_id: int) -> HttpResponse:
    licence = _holder_licence(request, licence_id)
    form = ShareForm(request.POST)
    if form.is_valid():
        link = services.share_link_create(
            actor=signed_in(request), licence_id=licence.pk, days=form.cleaned_data["days"]
        )
        messages.success(
            request,
            _("Share this link: %(url)s (valid until %(day)s).")
            % {
                "url": request.build_absolute_uri(reverse("licences:shared", args=[link.token])),
                "day": timezone.localtime(link.expires_at).strftime("%Y-%m-%d %H:%M"),
            },
        )
    else:
        messages.error(request, _("Enter a number of days from 1 to 30."))
    return redirect("licences:detail", licence_id=licence.pk)


# --- the issuing desk ------------------------------------------------------------------------------------


@require_GET
@login_required
@require(access_issuing_desk, action="licence.desk")
def desk(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    pending = [
        {"issuance": i, "overdue": i.due_date is not None and i.due_date < today}
        for i in selectors.issuances_for(request.user)[:200]
    ]
    return render(
        request,
        "licences/desk.html",
        {
            "pending": pending,
            "overdue": sum(1 for p in pending if p["overdue"]),
            "licences": selectors.office_licences(request.user)[:100],
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
@require(access_issuing_desk, action="licence.issue")
def issue(request: HttpRequest, issuance_id: int) -> HttpResponse:
    issuance = selectors.issuance_get(issuance_id)
    if issuance is None or not access_issue_for(request.user, issuance.office):
        raise Http404
    initial = {f"f_{k}": v for k, v in services.issuance_case_fields(issuance).items()}
    form = LicenceFieldsForm(request.POST or None, ltype=issuance.type, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            licence = services.licence_issue(
                actor=signed_in(request),
                issuance_id=issuance.pk,
                fields=form.licence_fields(),
                valid_from=form.cleaned_data.get("valid_from"),
                valid_to=form.cleaned_data.get("valid_to"),
            )
        except ServiceError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Licence issued."))
            return redirect("licences:manage", licence_id=licence.pk)
    return render(
        request,
        "licences/issue.html",
        {"issuance": issuance, "form": form, "overdue": selectors.issuance_overdue(issuance)},
        status=422 if request.method == "POST" else 200,
    )


def _staff_licence(request: HttpRequest, licence_id: int) -> Any:
    licence = selectors.licence_get(licence_id)
    if licence is None or not access_licence_staff_view(request.user, licence):
        raise Http404
    return licence


def _manage_post(request: HttpRequest, licence: Any) -> tuple[bool, dict[str, Any]]:
    action = request.POST.get("action", "")
    forms_: dict[str, Any] = {}
    try:
        if action == "change":
            form: Any = ChangeForm(request.POST)
            fields = LicenceFieldsForm(request.POST, ltype=licence.type, validity=False)
            forms_ = {"change_form": form, "fields_form": fields}
            if form.is_valid() and fields.is_valid():
                services.licence_change(
                    actor=signed_in(request),
                    licence_id=licence.pk,
                    fields=fields.licence_fields(),
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                )
                return True, {}
        elif action == "renew":
            form = RenewForm(request.POST)
            forms_ = {"renew_form": form}
            if form.is_valid():
                services.licence_renew(
                    actor=signed_in(request),
                    licence_id=licence.pk,
                    valid_to=form.cleaned_data.get("valid_to"),
                    reason=form.cleaned_data.get("reason") or "",
                    expected_version=form.cleaned_data["version"],
                )
                return True, {}
        elif action == "status":
            form = StatusForm(request.POST)
            forms_ = {"status_form": form}
            if form.is_valid():
                services.licence_status_change(
                    actor=signed_in(request),
                    licence_id=licence.pk,
                    event=form.cleaned_data["event"],
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                )
                return True, {}
        else:
            messages.error(request, _("Choose an action."))
    except PermissionDenied:
        raise
    except ServiceError as exc:
        messages.error(request, str(exc.as_dict()["message"]))
    return False, forms_


@require_http_methods(["GET", "POST"])
@login_required
@require(access_issuing_desk, action="licence.manage")
def manage(request: HttpRequest, licence_id: int) -> HttpResponse:
    licence = _staff_licence(request, licence_id)
    forms_: dict[str, Any] = {}
    if request.method == "POST":
        done, forms_ = _manage_post(request, licence)
        if done:
            messages.success(request, _("Saved."))
            return redirect("licences:manage", licence_id=licence.pk)
    version = selectors.licence_current_version(licence)
    assert version is not None
    initial_fields = {f"f_{k}": v for k, v in version.fields.items()}
    context = {
        "licence": licence,
        "version": version,
        "versions": selectors.licence_versions(licence),
        "events": selectors.licence_events(licence),
        "status_label": wf.STATUSES[licence.status],
        "change_form": ChangeForm(initial={"version": licence.version}),
        "fields_form": LicenceFieldsForm(ltype=licence.type, initial=initial_fields, validity=False),
        "renew_form": RenewForm(initial={"version": licence.version}),
        "status_form": StatusForm(initial={"version": licence.version}),
        "can": {
            e: access_licence_event(request.user, licence, e) and wf.allowed(e, licence.status)
            for e in wf.EVENTS
        },
        **forms_,
    }
    return render(request, "licences/manage.html", context, status=422 if forms_ else 200)
