"""Forms of the sign-in pages (Django's ``AuthenticationForm`` reads the credentials)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.http import HttpRequest


class NextForm(forms.Form):
    """``next``: the page to return to after signing in, from the sign-in form or its query string."""

    next = forms.CharField(required=False, max_length=2000, strip=False)

    def value(self) -> str:
        return str(self.cleaned_data["next"]) if self.is_valid() else ""


def next_url(request: HttpRequest) -> str:
    """The ``next`` sent with the sign-in form (else the one in its query string) when it is a page of this
    site (Django's safe-redirect check), else ""."""
    nxt = NextForm(request.POST).value() or NextForm(request.GET).value()
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return ""


class PasswordResetCompleteForm(forms.Form):
    """The account owner sets a new password with the two halves of the reset code (docs/adr/0011)."""

    username = forms.CharField(max_length=150, label=_("Username"))
    first = forms.CharField(max_length=20, label=_("First half of the code"))
    second = forms.CharField(max_length=20, label=_("Second half of the code"))
    password1 = forms.CharField(max_length=128, label=_("New password"), widget=forms.PasswordInput)
    password2 = forms.CharField(max_length=128, label=_("New password again"), widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(max_length=20, label=_("Code from your authenticator (or a recovery code)"))
