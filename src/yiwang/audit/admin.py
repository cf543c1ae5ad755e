from __future__ import annotations

from django.contrib import admin

from yiwang.accounts.roles import Role
from yiwang.web.admin_site import RoleAdmin, admin_site

from .models import AuditEvent


@admin.register(AuditEvent, site=admin_site)
class AuditEventAdmin(RoleAdmin):
    admin_roles = frozenset({Role.AUDIT_ADMIN})
    read_only = True
    list_display = (
        "id",
        "seq",
        "at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "outcome",
        "ip",
        "channel",
    )
    list_filter = ("outcome", "channel", "action")
    search_fields = ("action", "actor_label", "object_id")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
