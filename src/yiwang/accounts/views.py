"""Sign-in and sign-out, shared by the portal and the workbench."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yiwang.core.errors import ServiceError
from yiwang.core.forms import form_refusal
from yiwang.core.middleware import client_ip

from . import resets, throttle, twofactor
from .access import access_workbench, ensure, is_staff_user, signed_in
from .forms import PasswordResetCompleteForm, TwoFactorCodeForm, next_url

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


class LoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    redirect_authenticated_user = False

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # Django's LoginView sets ``site_name`` to the request's host, which would replace the
        # platform's name (from the ``site`` context processor) in the page header and title.
        context.pop("site_name", None)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = str(request.POST.get("username", ""))
        if throttle.address_blocked(client_ip(request)):
            message = _(
                "Too many failed sign-ins from this network. Wait %(minutes)d minutes and try again."
            ) % {"minutes": throttle.ADDRESS_WINDOW // 60}
            return render(request, "portal/locked.html", {"message": message}, status=429)
        if throttle.account_over_cap(username):
            message = _(
                "This account had %(n)d failed sign-ins within the last hour, the most allowed. Try again later."
            ) % {"n": settings.LOGIN_ACCOUNT_FAILURES_PER_HOUR}
            return render(request, "portal/locked.html", {"message": message}, status=429)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated and response.status_code == 302:
            throttle.remember_device(request, response, username)
        return response

    def get_success_url(self) -> str:
        nxt = next_url(self.request)
        if nxt:
            return nxt
        if access_workbench(self.request.user):
            return reverse("workbench:home")
        return reverse("portal:account")


class LogoutView(auth_views.LogoutView):
    next_page = "portal:home"


def lockout_response(
    request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    message = _("Too many failed sign-in attempts. This account is locked for %(minutes)d minutes.") % {
        "minutes": minutes
    }
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked", "message": message, "fields": {}}, status=429)
    return render(request, "portal/locked.html", {"message": message}, status=429)


@require_http_methods(["GET", "POST"])
def password_reset_complete(request: HttpRequest) -> HttpResponse:
    """Public (the owner cannot sign in): both halves of the code and a new password."""
    form = PasswordResetCompleteForm(request.POST or None)
    message, status = "", 200
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise form_refusal(form)
            resets.password_reset_complete(
                username=form.cleaned_data["username"],
                first=form.cleaned_data["first"],
                second=form.cleaned_data["second"],
                password=form.cleaned_data["password1"],
            )
        except ServiceError as exc:
            message, status = exc.as_dict()["message"], exc.status
            for name, problem in exc.fields.items():
                if name in form.fields and name not in form.errors:
                    form.add_error(name, problem)
        else:
            return render(request, "portal/password_reset_done.html")
    return render(request, "portal/password_reset.html", {"form": form, "message": message}, status=status)


def _second_factor_done(request: HttpRequest) -> HttpResponse:
    request.session[twofactor.SESSION_KEY] = True
    request.session.cycle_key()
    return redirect(next_url(request) or reverse("workbench:home"))


@require_http_methods(["GET", "POST"])
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """The second factor after signing in: a code from the authenticator, or a recovery code."""
    ensure(is_staff_user(request.user), user=request.user, action="auth.2fa")
    user = signed_in(request)
    if twofactor.confirmed_device(user) is None:
        return redirect(f"{reverse('portal:two_factor_enrol')}?{request.GET.urlencode()}")
    form = TwoFactorCodeForm(request.POST or None)
    message, status = "", 200
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise form_refusal(form)
            twofactor.verify(user=user, code=form.cleaned_data["code"])
        except ServiceError as exc:
            message, status = exc.as_dict()["message"], exc.status
        else:
            return _second_factor_done(request)
    return render(request, "portal/two_factor.html", {"form": form, "message": message}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator: scan the QR code, confirm with a code, keep the recovery codes."""
    ensure(is_staff_user(request.user), user=request.user, action="auth.2fa_enrol")
    user = signed_in(request)
    if twofactor.confirmed_device(user) is not None:
        return redirect(f"{reverse('portal:two_factor')}?{request.GET.urlencode()}")
    form = TwoFactorCodeForm(request.POST or None)
    message, status = "", 200
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise form_refusal(form)
            codes = twofactor.enrolment_confirm(user=user, code=form.cleaned_data["code"])
        except ServiceError as exc:
            message, status = exc.as_dict()["message"], exc.status
        else:
            request.session[twofactor.SESSION_KEY] = True
            request.session.cycle_key()
            nxt = next_url(request) or reverse("workbench:home")
            return render(request, "portal/two_factor_codes.html", {"codes": codes, "next": nxt})
    device = twofactor.pending_device(user)
    context = {
        "form": form,
        "message": message,
        "qr": twofactor.qr_svg(device),
        "secret": " ".join(device.secret[i : i + 4] for i in range(0, len(device.secret), 4)),
    }
    return render(request, "portal/two_factor_enrol.html", context, status=status)
