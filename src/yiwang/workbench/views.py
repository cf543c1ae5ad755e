"""Pages of the staff workbench: the home page and the applicants (find, register, show a masked value)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.accounts import selectors as people
from yiwang.accounts import services as people_services
from yiwang.accounts.access import (
    access_lookup_by_id,
    access_register_party,
    access_unmask,
    access_view_party,
    access_workbench,
    roles_of,
    signed_in,
)
from yiwang.applications import selectors as applications
from yiwang.applications.access import access_approvals, access_inbox
from yiwang.core.errors import ServiceError
from yiwang.core.forms import form_refusal
from yiwang.core.validators import is_resident_id
from yiwang.web.pages import require

from . import forms


@require_GET
@login_required
@require(access_workbench, action="workbench.home")
def home(request: HttpRequest) -> HttpResponse:
    counts: list[tuple[str, str, int, str]] = []
    if access_inbox(request.user):
        inbox = reverse("applications:inbox")
        n = applications.staff_counts(request.user)
        counts += [
            ("todo", pgettext("workbench count", "To do"), n["todo"], inbox),
            ("due_soon", pgettext("workbench count", "Due soon"), n["due_soon"], f"{inbox}?when=due_soon"),
            ("overdue", pgettext("workbench count", "Overdue"), n["overdue"], f"{inbox}?when=overdue"),
        ]
    if access_approvals(request.user):
        pending = applications.approvals_queue(request.user).count()
        counts.append(
            (
                "approvals",
                pgettext("workbench count", "Waiting for approval"),
                pending,
                reverse("applications:approvals"),
            )
        )
    return render(request, "workbench/home.html", {"roles": sorted(roles_of(request.user)), "counts": counts})


@require_http_methods(["GET", "POST"])
@login_required
@require(access_view_party, action="workbench.people")
def people_page(request: HttpRequest) -> HttpResponse:
    q = str(forms.PeopleQueryForm(request.GET).values()["q"])
    errors: dict[str, str] = {}
    message = ""
    values = {"name": "", "id_number": "", "mobile": ""}
    if request.method == "POST":
        if not access_register_party(request.user):
            raise PermissionDenied
        form = forms.PersonRegisterForm(request.POST)
        values = {name: str(form[name].value() or "") for name in values}
        try:
            if not form.is_valid():
                raise form_refusal(form)
            person = people_services.person_register(actor=signed_in(request), **form.cleaned_data)
        except ServiceError as exc:
            body = exc.as_dict()
            errors, message = body["fields"], body["message"]
        else:
            return redirect(f"{request.path}?q={person.name}")
    results = people.person_search(q, by_id=access_lookup_by_id(request.user)) if q else []
    response = render(
        request,
        "workbench/people.html",
        {
            "q": q,
            "results": results,
            "errors": errors,
            "message": message,
            "values": values,
            "can_register": access_register_party(request.user),
            "can_unmask": access_unmask(request.user),
        },
        status=400 if errors else 200,
    )
    if errors or is_resident_id(q):
        response.headers["X-Pii-Unmasked"] = "1"  # echoes only what the staff member typed in
    return response


@require_POST
@login_required
@require(access_workbench, action="workbench.reveal")
def reveal(request: HttpRequest, person_id: int, field: str) -> HttpResponse:
    person = people.person_get(person_id)
    if person is None:
        raise Http404
    form = forms.RevealForm(request.POST)
    try:
        if not form.is_valid():
            raise form_refusal(form)
        value = people_services.pii_reveal(
            actor=signed_in(request), person=person, field=field, purpose=form.cleaned_data["purpose"]
        )
    except ServiceError as exc:
        return HttpResponse(exc.as_dict()["message"], status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(value, content_type="text/plain; charset=utf-8")
    response.headers["X-Pii-Unmasked"] = "1"
    return response
