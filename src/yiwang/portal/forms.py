"""Forms of the residents' own account pages: register with a mobile number, sign in with an SMS code
(docs/adr/0056). They parse and bound what is sent; ``accounts.otp`` decides."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yiwang.core.validators import (
    normalize_mobile,
    normalize_resident_id,
    validate_mobile,
    validate_resident_id,
)


class CodeRequestForm(forms.Form):
    mobile = forms.CharField(max_length=20, label=_("Mobile number"))

    def clean_mobile(self) -> str:
        value = normalize_mobile(self.cleaned_data["mobile"])
        validate_mobile(value)
        return value


class CodeField(forms.CharField):
    def __init__(self) -> None:
        super().__init__(max_length=10, label=_("Verification code"))

    def clean(self, value: object) -> str:
        code = str(super().clean(value)).strip().replace(" ", "")
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise ValidationError(_("Enter the 6 digits of the SMS."), code="invalid")
        return code


class CodeSignInForm(forms.Form):
    code = CodeField()


class ResidentRegisterForm(forms.Form):
    code = CodeField()
    name = forms.CharField(max_length=60, label=_("Full name"))
    id_number = forms.CharField(max_length=40, label=_("Resident ID number"))
    agree = forms.BooleanField(
        label=_("I agree to the terms of service and the privacy notice"),
        error_messages={"required": _("Agree to the terms of service to register.")},
    )

    def clean_id_number(self) -> str:
        value = normalize_resident_id(self.cleaned_data["id_number"])
        validate_resident_id(value)
        return value
