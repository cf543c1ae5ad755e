"""Forms of the analytics pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import scoring


class PeriodForm(forms.Form):
    start = forms.DateField(required=False)
    end = forms.DateField(required=False)


class MonthForm(forms.Form):
    month = forms.DateField(required=False, input_formats=["%Y-%m", "%Y-%m-%d"])


class FormulaForm(forms.Form):
    note = forms.CharField(max_length=300, required=False, label=_("Change note"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for k, label in scoring.COMPONENTS.items():
            self.fields[f"w_{k}"] = forms.DecimalField(
                min_value=0, max_value=1, decimal_places=4, label=label
            )

    def weights(self) -> dict[str, float]:
        return {k: float(self.cleaned_data[f"w_{k}"]) for k in scoring.COMPONENTS}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel workbook (.xlsx)"))
