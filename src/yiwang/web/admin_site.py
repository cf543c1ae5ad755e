"""Django admin for configuration, restricted by the access functions (三权分立 per model group)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.access import access_admin_models, access_admin_site
from yiwang.audit.services import audit_record

if TYPE_CHECKING:
    from django.http import HttpRequest


class YiwangAdminSite(admin.AdminSite):
    site_header = _("Yiwang configuration")
    site_title = _("Yiwang configuration")
    index_title = _("Configuration")
    login_template = None

    def has_permission(self, request: HttpRequest) -> bool:
        return access_admin_site(request.user)


admin_site = YiwangAdminSite(name="admin")


class RoleAdmin(admin.ModelAdmin):
    """A ModelAdmin whose models belong to the listed roles; nobody else sees or changes them."""

    admin_roles: frozenset[str] = frozenset()
    add_roles: frozenset[str] | None = None  # who may add, when only some of ``admin_roles`` may
    read_only = False

    def _allowed(self, request: HttpRequest) -> bool:
        return access_admin_models(request.user, self.admin_roles)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        roles = self.admin_roles if self.add_roles is None else self.add_roles
        return access_admin_models(request.user, roles) and not self.read_only

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request) and not self.read_only

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request) and not self.read_only

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action=f"admin.{'change' if change else 'add'}",
                obj=obj,
                data={"fields": sorted(form.changed_data) if form else []},
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit_record(actor=request.user, action="admin.delete", obj=obj, data={"repr": str(obj)[:100]})
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            audit_record(
                actor=request.user,
                action="admin.delete_many",
                object_type=queryset.model._meta.label_lower,
                data={"ids": [str(pk) for pk in queryset.values_list("pk", flat=True)[:500]]},
            )
            super().delete_queryset(request, queryset)
