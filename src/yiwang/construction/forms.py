"""Forms of the construction pages: they parse and validate; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yiwang.core.forms import QueryForm

from .plans import parse_investment
from .services import ProjectInput, StageInput
from .vocabulary import NATURES, PROJECT_TYPES

MAX_DOSSIER = 20 * 1024 * 1024


class InvestmentField(forms.Field):
    """Yuan; digits with an optional decimal part (commas allowed): anything else is refused by name."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> Any:
        value = str(value or "").strip()
        if not value:
            return None
        if len(value) > 24:
            raise forms.ValidationError(_("The investment amount must be a number of yuan, e.g. 38000000."))
        try:
            return parse_investment(value)
        except ValueError:
            raise forms.ValidationError(
                _("The investment amount must be a number of yuan, e.g. 38000000."), code="invalid"
            ) from None


class ProjectForm(forms.Form):
    enterprise = forms.TypedChoiceField(label=_("Owner"), coerce=int, choices=())
    title = forms.CharField(label=_("Project name"), max_length=200)
    project_type = forms.ChoiceField(label=_("Project type"), choices=list(PROJECT_TYPES.items()))
    nature = forms.ChoiceField(label=_("Nature of works"), choices=list(NATURES.items()))
    investment = InvestmentField(label=_("Total investment (yuan)"))
    location = forms.CharField(label=_("Location"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea
    )

    def __init__(self, *args: Any, enterprises: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].choices = list(enterprises)  # type: ignore[attr-defined]

    def project_input(self) -> ProjectInput:
        d = self.cleaned_data
        return ProjectInput(
            title=d["title"],
            project_type=d["project_type"],
            investment=d["investment"],
            nature=d["nature"],
            location=d["location"],
            description=d.get("description", ""),
        )


class StageForm(forms.Form):
    """The one form of a stage (一张表单): what every item of the stage shares, filled once."""

    contact = forms.CharField(label=_("Contact person"), max_length=60)
    contact_phone = forms.CharField(label=_("Contact telephone"), max_length=20)
    scale = forms.CharField(label=_("Scale of construction"), max_length=300)
    designer = forms.CharField(label=_("Design organisation"), max_length=120, required=False)
    notes = forms.CharField(
        label=_("Notes for the offices"), max_length=1000, required=False, widget=forms.Textarea
    )
    dossier = forms.FileField(label=_("The stage's dossier (one PDF for all items)"))
    version = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def clean_dossier(self) -> Any:
        f = self.cleaned_data["dossier"]
        if f.size > MAX_DOSSIER:
            raise forms.ValidationError(_("The dossier is larger than 20 MB."))
        return f

    def stage_input(self, stage: int) -> StageInput:
        d = self.cleaned_data
        f = d["dossier"]
        fields = {k: d.get(k, "") or "" for k in ("contact", "contact_phone", "scale", "designer", "notes")}
        return StageInput(stage=stage, fields=fields, dossier=f.read(), dossier_name=f.name[:100])


class WhatIfForm(QueryForm):
    item = forms.CharField(max_length=40, required=False)
    days = forms.IntegerField(min_value=1, max_value=200, required=False)


class BoardQueryForm(QueryForm):
    project_type = forms.ChoiceField(choices=[("", ""), *PROJECT_TYPES.items()], required=False)
    page = forms.IntegerField(min_value=1, max_value=10000, required=False)


class FiguresQueryForm(QueryForm):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)


class SubmittedQueryForm(QueryForm):
    """The stage just submitted (the project page confirms it)."""

    submitted = forms.IntegerField(min_value=1, max_value=4, required=False)
