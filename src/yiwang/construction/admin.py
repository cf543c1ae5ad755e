"""Approval plans in the admin (system administrators): a plan's name and whether it is offered, and its
definition edited as JSON — saving a changed definition makes a new version (checked: the catalogue items,
cycles, budgets), so projects already drawn keep theirs. Projects are worked on in the portal and workbench."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.access import signed_in
from yiwang.accounts.roles import Role
from yiwang.catalogue import selectors as catalogue
from yiwang.web.admin_site import RoleAdmin, admin_site

from . import services
from .models import HistoricYear, Plan, PlanVersion
from .plans import PlanError, plan_validate

if TYPE_CHECKING:
    from django.http import HttpRequest

PLAN_ADMINS = frozenset({Role.SYS_ADMIN})


class PlanForm(forms.ModelForm):
    definition = forms.CharField(
        label=_("Definition (JSON)"), widget=forms.Textarea(attrs={"rows": 30}), required=False
    )
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)

    class Meta:
        model = Plan
        fields = ("code", "name", "name_en", "project_type", "active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.current is not None:
            self.fields["definition"].initial = json.dumps(
                self.instance.current.definition, ensure_ascii=False, indent=2
            )

    def clean_definition(self) -> Any:
        text = self.cleaned_data.get("definition") or ""
        if not text.strip():
            if self.instance.pk and self.instance.current is not None:
                return self.instance.current.definition
            raise forms.ValidationError(_("A new plan needs its definition."))
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(_("Not valid JSON: %(e)s") % {"e": exc}) from None
        try:
            return plan_validate(
                value, known_items=set(catalogue.published_items().values_list("code", flat=True))
            )
        except PlanError as exc:
            raise forms.ValidationError(list(exc.problems.values())) from None


@admin.register(Plan, site=admin_site)
class PlanAdmin(RoleAdmin):
    admin_roles = PLAN_ADMINS
    form = PlanForm
    list_display = ("code", "name", "project_type", "current", "active")
    list_filter = ("project_type", "active")
    search_fields = ("code", "name")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # projects point at their versions

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        definition = form.cleaned_data.get("definition")
        current = obj.current.definition if obj.current is not None else None
        if definition is not None and definition != current:
            services.plan_version_save(
                actor=signed_in(request),
                plan=obj,
                definition=definition,
                note=form.cleaned_data.get("note", ""),
            )


@admin.register(PlanVersion, site=admin_site)
class PlanVersionAdmin(RoleAdmin):
    admin_roles = PLAN_ADMINS
    read_only = True
    list_display = ("plan", "number", "note", "created_at", "created_by")
    list_filter = ("plan",)


@admin.register(HistoricYear, site=admin_site)
class HistoricYearAdmin(RoleAdmin):
    admin_roles = PLAN_ADMINS
    list_display = ("year", "investment_kind", "project_type", "cases", "early", "within_budget")
