"""Sign-in and sign-out, shared by the portal and the workbench."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from .access import access_workbench
from .forms import next_url

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
