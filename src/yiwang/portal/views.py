from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from yiwang.accounts import otp
from yiwang.accounts import selectors as org
from yiwang.accounts.access import access_portal_account, access_resident_sign_up, enterprises_for
from yiwang.accounts.forms import next_url
from yiwang.accounts.models import SignInCode
from yiwang.catalogue.models import BUSINESS_THEMES, PERSON_THEMES, Theme
from yiwang.core.errors import ServiceError
from yiwang.core.forms import WhichForm, form_refusal
from yiwang.core.masking import mask_mobile, mask_text
from yiwang.core.middleware import client_ip
from yiwang.core.pagecache import anonymous_page
from yiwang.notifications import selectors as outbox
from yiwang.web.pages import require

from . import selectors, services
from .forms import CodeRequestForm, CodeSignInForm, ResidentRegisterForm

if TYPE_CHECKING:
    from django import forms
    from django.http import HttpRequest, HttpResponse

    from yiwang.accounts.models import User

_BACKEND = "django.contrib.auth.backends.ModelBackend"


@require_GET
@anonymous_page(("catalogue", "halls", "portal"), max_age=60)
def home(request: HttpRequest) -> HttpResponse:
    counts = selectors.theme_counts()

    def themes(codes: tuple[str, ...]) -> list[tuple[str, str, int]]:
        return [(c, str(Theme(c).label), counts[c]) for c in codes if counts.get(c)]

    return render(
        request,
        "portal/home.html",
        {
            "halls": org.district_halls(),
            "person_themes": themes(PERSON_THEMES),
            "business_themes": themes(BUSINESS_THEMES),
            "hot_items": selectors.hot_items(),
            "announcements": list(selectors.announcements_current(5)),
        },
    )


@require_GET
@anonymous_page(("portal",), max_age=60)
def announcements(request: HttpRequest) -> HttpResponse:
    """通知公告: every current announcement, pinned first, 20 a page."""
    page = Paginator(selectors.announcements_current(), 20).get_page(request.GET.get("page"))
    return render(request, "portal/announcements.html", {"page": page})


@require_GET
@anonymous_page(("portal",), max_age=60)
def announcement(request: HttpRequest, announcement_id: int) -> HttpResponse:
    found = selectors.announcement_get(announcement_id)
    if found is None:
        raise Http404
    return render(request, "portal/announcement.html", {"a": found})


@require_GET
@login_required
@require(access_portal_account, action="portal.account")
def account(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    return render(
        request, "portal/account.html", {"person": person, "enterprises": enterprises_for(request.user)}
    )


# --- Residents' accounts: register and sign in with an SMS code (docs/adr/0056) ---------------------------


def _refused(form: forms.Form, exc: ServiceError) -> str:
    """Put a service's refusal on the form's fields; the message shown above the form."""
    for name, problem in exc.fields.items():
        if name in form.fields and name not in form.errors:
            form.add_error(name, problem)
    return str(exc.as_dict()["message"])


def _code_context(request: HttpRequest, purpose: str) -> dict[str, Any]:
    """What the code step shows: the number the code went to (masked), how long it stays valid, and in the
    demo (``YIWANG_DEMO_SHOW_CODES``) the SMS as the recording channel kept it."""
    pending = org.pending_code(request.session.get(otp.SESSION_KEYS[purpose]), purpose)
    context: dict[str, Any] = {"pending": pending, "demo_sms": ""}
    if pending is not None:
        context["sent_to"] = mask_mobile(pending.mobile)
        context["minutes"] = max(1, otp.valid_seconds() // 60)
        if getattr(settings, "YIWANG_DEMO_SHOW_CODES", False):
            sms = outbox.latest_about(pending, "sms")
            context["demo_sms"] = mask_text(sms.body) if sms is not None else ""
    return context


def _send_code(request: HttpRequest, purpose: str, form: CodeRequestForm) -> None:
    if not form.is_valid():
        raise form_refusal(form)
    row = services.resident_code_send(
        mobile=form.cleaned_data["mobile"], purpose=purpose, client=client_ip(request)
    )
    request.session[otp.SESSION_KEYS[purpose]] = row.pk


def _signed_in(request: HttpRequest, user: User, purpose: str) -> HttpResponse:
    request.session.pop(otp.SESSION_KEYS[purpose], None)
    auth_login(request, user, backend=_BACKEND)
    return redirect(next_url(request) or reverse("portal:account"))


@require_http_methods(["GET", "POST"])
@require(access_resident_sign_up, action="portal.register")
def register(request: HttpRequest) -> HttpResponse:
    """A resident registers: mobile number → the SMS code, name, resident ID number, the terms."""
    purpose = SignInCode.Purpose.REGISTER
    which = WhichForm(request.POST, field="action", choices=["send", "register"]).choice()
    send_form = CodeRequestForm(request.POST if which == "send" else None)
    form = ResidentRegisterForm(request.POST if which == "register" else None)
    message, status = "", 200
    if request.method == "POST":
        try:
            if which == "send":
                _send_code(request, purpose, send_form)
                return redirect(reverse("portal:register"))
            if not form.is_valid():
                raise form_refusal(form)
            user = otp.resident_register(
                code_id=request.session.get(otp.SESSION_KEYS[purpose]),
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                id_number=form.cleaned_data["id_number"],
                agreed=form.cleaned_data["agree"],
            )
        except ServiceError as exc:
            message, status = _refused(send_form if which == "send" else form, exc), exc.status
        else:
            return _signed_in(request, user, purpose)
    context = {"send_form": send_form, "form": form, "message": message, **_code_context(request, purpose)}
    return render(request, "portal/register.html", context, status=status)


@require_http_methods(["GET", "POST"])
@require(access_resident_sign_up, action="portal.login_code")
def login_code(request: HttpRequest) -> HttpResponse:
    """Sign in with an SMS code: residents' (applicant) accounts only."""
    purpose = SignInCode.Purpose.SIGN_IN
    which = WhichForm(request.POST, field="action", choices=["send", "sign_in"]).choice()
    send_form = CodeRequestForm(request.POST if which == "send" else None)
    form = CodeSignInForm(request.POST if which == "sign_in" else None)
    message, status = "", 200
    if request.method == "POST":
        try:
            if which == "send":
                _send_code(request, purpose, send_form)
                query = request.GET.urlencode()
                return redirect(reverse("portal:login_code") + (f"?{query}" if query else ""))
            if not form.is_valid():
                raise form_refusal(form)
            user = otp.code_sign_in(
                code_id=request.session.get(otp.SESSION_KEYS[purpose]), code=form.cleaned_data["code"]
            )
        except ServiceError as exc:
            message, status = _refused(send_form if which == "send" else form, exc), exc.status
        else:
            return _signed_in(request, user, purpose)
    context = {
        "send_form": send_form,
        "form": form,
        "message": message,
        "next": next_url(request),
        **_code_context(request, purpose),
    }
    return render(request, "portal/login_code.html", context, status=status)
