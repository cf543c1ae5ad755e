"""Catalogue maintenance in the admin: department administrators edit their own department's drafts and
publish them; the system administrator sees every department. Spreadsheet import and export too."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from yiwang.accounts import selectors as people
from yiwang.accounts.access import access_admin_models, signed_in
from yiwang.accounts.models import Department, Office
from yiwang.accounts.roles import Role
from yiwang.web.admin_site import RoleAdmin, admin_site

from . import services
from .access import access_catalogue_department
from .excel import ImportFailed, export_workbook, import_workbook
from .formschema import check_form, snapshot_rows
from .models import FormField, Item, ItemVersion, MainItem, Material, ProcessStep, SubItem, Synonym
from .rules import check_item
from .snapshot import ITEM_FIELDS, MATERIAL_FIELDS, STEP_FIELDS

CATALOGUE_ROLES = frozenset({Role.SYS_ADMIN, Role.DEPT_ADMIN})


def _is_sys(request: HttpRequest) -> bool:
    return Role.SYS_ADMIN in request.user.role_set()  # type: ignore[union-attr]


class DepartmentScoped(RoleAdmin):
    """Department administrators see and change only their department's rows."""

    admin_roles = CATALOGUE_ROLES
    department_path = "department"

    def get_queryset(self, request: HttpRequest) -> Any:
        qs = super().get_queryset(request)
        if _is_sys(request):
            return qs
        return qs.filter(**{f"{self.department_path}_id": getattr(request.user, "department_id", None) or 0})

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not _is_sys(request):
            dept_id = getattr(request.user, "department_id", None) or 0
            if db_field.name == "department":
                kwargs["queryset"] = Department.objects.filter(pk=dept_id)
            elif db_field.name == "office":
                kwargs["queryset"] = Office.objects.filter(department_id=dept_id) | Office.objects.filter(
                    street__isnull=False
                )
            elif db_field.name == "main":
                kwargs["queryset"] = MainItem.objects.filter(department_id=dept_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _row_values(form: Any, fields: list[str]) -> dict[str, Any]:
    data = {}
    for f in fields:
        value = form.cleaned_data.get(f, getattr(form.instance, f, None))
        if f == "office":
            value = value.code if value else ""
        elif f in ("blank_form", "filled_sample"):
            value = getattr(value, "name", value) or ""
        data[f] = value
    return data


class MaterialFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        self.instance._catalogue_materials = [
            _row_values(f, MATERIAL_FIELDS)
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


class StepFormSet(BaseInlineFormSet):
    """The last inline: checks the whole item (fields, materials, steps) against the consistency rules, so
    a violation is shown with one clear message per rule and nothing is saved."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        item = self.instance
        data: dict[str, Any] = {}
        for f in ITEM_FIELDS:
            if f in ("result_sample",):
                data[f] = getattr(item.result_sample, "name", "") or ""
            elif hasattr(item, f) and f not in ("department", "office", "co_offices", "listed_halls"):
                data[f] = getattr(item, f)
        data["materials"] = getattr(item, "_catalogue_materials", [])
        data["steps"] = [
            _row_values(f, STEP_FIELDS)
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        problems = check_item(data)
        if problems:
            raise ValidationError([p.message for p in problems])


class RoleInline(admin.TabularInline):
    """Inlines follow the catalogue administrators' roles, not Django's per-model permissions."""

    def _allowed(self, request: HttpRequest) -> bool:
        return access_admin_models(request.user, CATALOGUE_ROLES)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)


class MaterialInline(RoleInline):
    model = Material
    formset = MaterialFormSet
    extra = 0
    fields = [
        "position",
        "name",
        "kind",
        "condition",
        "originals",
        "copies",
        "medium",
        "source",
        "source_note",
        "rongque_allowed",
        "rongque_max_days",
        "blank_form",
        "filled_sample",
    ]


class StepInline(RoleInline):
    model = ProcessStep
    formset = StepFormSet
    extra = 0
    fields = ["position", "name", "office", "days", "description"]


class FormFieldFormSet(BaseInlineFormSet):
    """The application form's rows, checked together (keys, groups, choices, limits, prefill) with one
    message per problem naming the field; nothing is saved while one remains."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        rows = [
            SimpleNamespace(pk=f.instance.pk, **{n: f.cleaned_data.get(n) for n in FORM_FIELD_FIELDS})
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        problems = check_form(snapshot_rows(rows), service_objects=str(self.instance.service_objects or ""))
        if problems:
            raise ValidationError([m for _pos, m in problems])


FORM_FIELD_FIELDS: list[Any] = [
    "position", "key", "label", "label_en", "kind", "required", "group", "choices", "min_value", "max_value",
    "max_length", "max_rows", "prefill", "help_text",
]  # fmt: skip


class FormFieldInline(RoleInline):
    model = FormField
    formset = FormFieldFormSet
    extra = 0
    fields = FORM_FIELD_FIELDS


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Spreadsheet (.xlsx)"))
    dry_run = forms.BooleanField(
        label=gettext_lazy("Only check, do not import"), required=False, initial=True
    )
    publish = forms.BooleanField(label=gettext_lazy("Publish the imported items"), required=False)


class OfferAtHallsForm(forms.Form):
    halls = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Halls"),
        queryset=people.halls_list(),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )
    mode = forms.ChoiceField(
        label=pgettext_lazy("item change", "Change"),
        choices=[
            ("add", gettext_lazy("Offer the items at these halls too")),
            ("remove", gettext_lazy("No longer offer the items at these halls")),
        ],
        initial="add",
    )


@admin.register(Item, site=admin_site)
class ItemAdmin(DepartmentScoped):
    list_display = [
        "code",
        "name",
        "department",
        "item_type",
        "handling_kind",
        "committed_limit_days",
        "legal_limit_days",
        "status",
        "draft_changed",
        "is_sample",
    ]
    list_filter = [
        "status",
        "draft_changed",
        "is_sample",
        "item_type",
        "handling_kind",
        "tongban",
        "no_visit",
        "online_depth",
        "department",
    ]
    search_fields = ["code", "name", "search_initials"]
    readonly_fields = ["status", "current_version", "draft_changed", "history_link"]
    filter_horizontal = ["co_offices", "listed_halls"]
    inlines = [MaterialInline, StepInline, FormFieldInline]
    actions = ["publish_selected", "withdraw_selected", "offer_at_halls"]
    change_list_template = "catalogue/admin_item_changelist.html"
    fieldsets = [
        (gettext_lazy("Identity"), {"fields": ["code", "main", "sub", "handling_type", "name", "name_en",
                                               "is_sample", "status", "current_version", "draft_changed",
                                               "history_link"]}),
        (gettext_lazy("Classification"), {"fields": ["item_type", "handling_kind", "service_objects",
                                                     "power_source", "implementing_body", "body_nature",
                                                     "level_district", "level_street", "level_community",
                                                     "themes", "keywords"]}),
        (gettext_lazy("Responsibility"), {"fields": ["department", "office", "co_offices",
                                                     "intermediary_services"]}),
        (gettext_lazy("Law, conditions and limits"), {"fields": ["legal_basis", "conditions", "legal_limit_days",
                                                                 "committed_limit_days", "quantity_limit"]}),
        (gettext_lazy("Fees and result"), {"fields": ["has_fee", "fee_standard", "fee_basis", "result_name",
                                                      "result_is_certificate", "result_sample",
                                                      "result_elicence"]}),
        (gettext_lazy("Channels"), {"fields": ["visits", "visit_reason", "online_depth", "no_visit",
                                               "postal_application", "tongban", "listed_halls",
                                               "listed_halls_only", "appointment_required", "express_delivery",
                                               "online_payment", "online_url", "place", "hours", "phone",
                                               "faq"]}),
    ]  # fmt: skip

    @admin.display(description=gettext_lazy("Change history"))
    def history_link(self, obj: Item) -> str:
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("catalogue:history", args=[obj.code]), _("Versions")
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.item_admin_saved(item=form.instance)

    @admin.action(description=gettext_lazy("Publish the selected drafts as new versions"))
    def publish_selected(self, request: HttpRequest, queryset: Any) -> None:
        items = [i for i in queryset if access_catalogue_department(request.user, i.department_id)]
        try:
            n = services.items_publish(
                actor=signed_in(request), items=items, note=_("Published in the admin")
            )
        except services.ServiceError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, _("%(n)s item(s) published.") % {"n": n}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Withdraw the selected items from the guides"))
    def withdraw_selected(self, request: HttpRequest, queryset: Any) -> None:
        n = 0
        for item in queryset:
            if access_catalogue_department(request.user, item.department_id) and item.status != "withdrawn":
                services.item_withdraw(
                    actor=signed_in(request), item=item, reason=_("Withdrawn in the admin")
                )
                n += 1
        self.message_user(request, _("%(n)s item(s) withdrawn.") % {"n": n}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Choose the halls that offer the selected items"))
    def offer_at_halls(self, request: HttpRequest, queryset: Any) -> HttpResponse | None:
        items = [
            i for i in queryset.order_by("code") if access_catalogue_department(request.user, i.department_id)
        ]
        form = OfferAtHallsForm(request.POST if request.POST.get("apply") else None)
        if form.is_valid():
            n = services.items_offer_at_halls(
                actor=signed_in(request),
                items=items,
                halls=form.cleaned_data["halls"],
                remove=form.cleaned_data["mode"] == "remove",
            )
            self.message_user(
                request, _("The halls of %(n)s item(s) were changed.") % {"n": n}, messages.SUCCESS
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "items": items,
            "title": _("Choose the halls that offer the selected items"),
            "opts": self.model._meta,
        }
        return render(request, "catalogue/admin_offer_halls.html", context)

    def get_urls(self) -> list[Any]:
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="catalogue_item_import"),
            path("export/", self.admin_site.admin_view(self.export_view), name="catalogue_item_export"),
            *super().get_urls(),
        ]

    def export_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        dept = None if _is_sys(request) else (getattr(request.user, "department_id", None) or 0)
        content = export_workbook(department_id=dept)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="catalogue.xlsx"'
        return response

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_change_permission(request):
            raise PermissionDenied
        report = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            dept = None if _is_sys(request) else (getattr(request.user, "department_id", None) or 0)
            try:
                report = import_workbook(
                    form.cleaned_data["file"].read(),
                    actor=signed_in(request),
                    dry_run=form.cleaned_data["dry_run"],
                    publish=form.cleaned_data["publish"],
                    department_id=dept,
                )
                if not form.cleaned_data["dry_run"]:
                    self.message_user(
                        request, _("Imported %(n)s item(s).") % {"n": report.items}, messages.SUCCESS
                    )
                    return redirect("admin:catalogue_item_changelist")
            except ImportFailed as exc:
                report = exc.report
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "report": report,
            "title": _("Import service items from a spreadsheet"),
            "opts": self.model._meta,
        }
        return render(request, "catalogue/admin_import.html", context)


@admin.register(MainItem, site=admin_site)
class MainItemAdmin(DepartmentScoped):
    list_display = ["code", "name", "department"]
    search_fields = ["code", "name"]


@admin.register(SubItem, site=admin_site)
class SubItemAdmin(DepartmentScoped):
    department_path = "main__department"
    list_display = ["code", "name", "main"]
    search_fields = ["code", "name"]


@admin.register(ItemVersion, site=admin_site)
class ItemVersionAdmin(DepartmentScoped):
    """Published versions: read-only for everyone (they are immutable)."""

    department_path = "item__department"
    read_only = True
    list_display = ["code", "number", "name", "published_at", "published_by", "committed_limit_days"]
    list_filter = ["published_at"]
    search_fields = ["code", "name"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]


@admin.register(Synonym, site=admin_site)
class SynonymAdmin(RoleAdmin):
    admin_roles = frozenset({Role.SYS_ADMIN})
    list_display = ["term", "expansion"]
    search_fields = ["term", "expansion"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(lambda: cache.delete("catalogue:synonyms"))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        transaction.on_commit(lambda: cache.delete("catalogue:synonyms"))

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        transaction.on_commit(lambda: cache.delete("catalogue:synonyms"))
