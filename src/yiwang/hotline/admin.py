"""Hotline configuration in the admin: the classification tree, the dispatch catalogue and the Open311 API
keys issued to systems (system administrators). Tickets themselves are worked on in the workbench."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from yiwang.accounts.access import signed_in
from yiwang.accounts.roles import Role
from yiwang.web.admin_site import RoleAdmin, admin_site

from . import services
from .models import Category, DispatchRule, Open311Key

if TYPE_CHECKING:
    from django.http import HttpRequest

HOTLINE_ADMINS = frozenset({Role.SYS_ADMIN})


@admin.register(Category, site=admin_site)
class CategoryAdmin(RoleAdmin):
    admin_roles = HOTLINE_ADMINS
    list_display = ("code", "name", "name_en", "parent", "business_line", "active", "order")
    list_filter = ("business_line", "active")
    search_fields = ("code", "name", "name_en")
    autocomplete_fields = ("parent",)


@admin.register(DispatchRule, site=admin_site)
class DispatchRuleAdmin(RoleAdmin):
    admin_roles = HOTLINE_ADMINS
    list_display = ("category", "street", "office")
    list_filter = ("street",)
    autocomplete_fields = ("category",)


@admin.register(Open311Key, site=admin_site)
class Open311KeyAdmin(RoleAdmin):
    """Adding a key issues it (through the service, audited) and shows the raw key once."""

    admin_roles = HOTLINE_ADMINS
    list_display = ("name", "prefix", "active", "created_at", "created_by")
    fields = ("name", "active")
    readonly_fields = ("prefix", "created_at", "created_by")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        key, raw = services.open311_key_issue(actor=signed_in(request), name=obj.name)
        obj.pk, obj.prefix, obj.digest = key.pk, key.prefix, key.digest
        messages.warning(
            request, _("The key for %(name)s (shown once): %(key)s") % {"name": key.name, "key": raw}
        )
