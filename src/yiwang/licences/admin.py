"""Configuration of licence types (which catalogue items issue them, their fields and sample) by the
catalogue's administrators. Licences themselves are never edited here: their history is append-only and
only the services write it; the admin lists them read-only."""

from __future__ import annotations

from django.contrib import admin

from yiwang.accounts.roles import Role
from yiwang.web.admin_site import RoleAdmin, admin_site

from .models import Licence, LicenceType

CATALOGUE_ROLES = frozenset({Role.SYS_ADMIN, Role.DEPT_ADMIN})


@admin.register(LicenceType, site=admin_site)
class LicenceTypeAdmin(RoleAdmin):
    admin_roles = CATALOGUE_ROLES
    list_display = ("code", "name", "validity_years", "active")
    search_fields = ("code", "name")
    filter_horizontal = ("items",)


@admin.register(Licence, site=admin_site)
class LicenceAdmin(RoleAdmin):
    admin_roles = frozenset({Role.SYS_ADMIN})
    read_only = True
    list_display = ("base_identifier", "type", "status", "version", "valid_to", "issued_at")
    list_filter = ("status", "type")
