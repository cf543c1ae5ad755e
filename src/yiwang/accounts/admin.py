from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yiwang.audit.services import audit_record
from yiwang.web.admin_site import RoleAdmin, admin_site

from .models import (
    AgentAuthorization,
    ApiToken,
    Community,
    Department,
    District,
    Enterprise,
    Hall,
    Office,
    Person,
    RoleGrant,
    Street,
    User,
    Window,
)
from .roles import ADMIN_ROLES, Role

if TYPE_CHECKING:
    from django.http import HttpRequest

SYS = frozenset({Role.SYS_ADMIN})
SEC = frozenset({Role.SEC_ADMIN})


class WindowInline(admin.TabularInline):
    model = Window
    extra = 0


@admin.register(District, site=admin_site)
class DistrictAdmin(RoleAdmin):
    admin_roles = SYS
    list_display = ("code", "name", "name_en")


@admin.register(Department, site=admin_site)
class DepartmentAdmin(RoleAdmin):
    admin_roles = SYS
    list_display = ("code", "name", "short_name", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(Office, site=admin_site)
class OfficeAdmin(RoleAdmin):
    admin_roles = SYS
    list_display = ("code", "name", "department", "street")
    list_filter = ("department", "street")
    search_fields = ("code", "name")


@admin.register(Street, site=admin_site)
class StreetAdmin(RoleAdmin):
    admin_roles = SYS
    list_display = ("code", "name", "name_en", "lat", "lng")


@admin.register(Community, site=admin_site)
class CommunityAdmin(RoleAdmin):
    admin_roles = SYS
    list_display = ("code", "name", "street")
    list_filter = ("street",)
    search_fields = ("code", "name")


@admin.register(Hall, site=admin_site)
class HallAdmin(RoleAdmin):
    admin_roles = SYS
    list_display = ("code", "name", "kind", "street", "address")
    list_filter = ("kind", "street")
    search_fields = ("code", "name", "address")
    inlines = [WindowInline]


class RoleGrantFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        roles = [
            f.cleaned_data.get("role")
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        if len(ADMIN_ROLES & set(roles)) > 1:
            raise ValidationError(
                _("The system, security and audit administrator roles must be held by different people.")
            )


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    fields = ("role",)
    formset = RoleGrantFormSet


@admin.register(User, site=admin_site)
class UserAdmin(RoleAdmin, DjangoUserAdmin):
    admin_roles = SEC
    list_display = ("username", "full_name", "kind", "office", "hall", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("username", "full_name")
    inlines = [RoleGrantInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "mobile", "kind", "preferred_language")}),
        (_("Posting"), {"fields": ("department", "office", "hall", "community")}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "kind", "password1", "password2")}),
    )
    readonly_fields = ("last_login", "date_joined")

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:

        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            if formset.model is RoleGrant:
                audit_record(
                    actor=request.user,
                    action="role.set",
                    obj=form.instance,
                    data={"roles": sorted(form.instance.role_grants.values_list("role", flat=True))},
                )


@admin.register(ApiToken, site=admin_site)
class ApiTokenAdmin(RoleAdmin):
    admin_roles = SEC
    list_display = ("name", "prefix", "user", "created_at", "expires_at", "revoked")
    readonly_fields = ("prefix", "digest", "created_at")
    fields = ("user", "name", "expires_at", "revoked", "prefix", "digest", "created_at")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # tokens are issued with ``yiwang api_token USER NAME`` so the raw value is shown once


class PersonAdminForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ("name", "id_number", "mobile", "address", "community", "user")


@admin.register(Person, site=admin_site)
class PersonAdmin(RoleAdmin):
    """Applicants' records are the security administrator's (account support); identifiers masked in lists."""

    admin_roles = SEC
    form = PersonAdminForm
    list_display = ("name", "masked_id", "masked_mobile", "community")
    search_fields = ("name",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("masked_id", "masked_mobile") if obj else ()

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        # Once registered, the full identifiers are not shown here (masking, docs/rules.md §9).
        return ("id_number", "mobile") if obj else ()

    @admin.display(description=_("resident ID number"))
    def masked_id(self, obj: Person) -> str:
        return obj.masked_id

    @admin.display(description=_("mobile"))
    def masked_mobile(self, obj: Person) -> str:
        return obj.masked_mobile


@admin.register(Enterprise, site=admin_site)
class EnterpriseAdmin(RoleAdmin):
    admin_roles = SEC
    list_display = ("name", "credit_code", "legal_representative", "street")
    search_fields = ("name", "credit_code")


@admin.register(AgentAuthorization, site=admin_site)
class AgentAuthorizationAdmin(RoleAdmin):
    admin_roles = SEC
    list_display = ("enterprise", "person", "kind", "valid_from", "valid_until", "revoked")
