from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

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
        "when",
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
    readonly_fields = ["when", *(f.name for f in AuditEvent._meta.fields if f.name != "at")]

    @admin.display(description=format_lazy(_("time ({zone})"), zone=settings.TIME_ZONE), ordering="at")
    def when(self, obj: AuditEvent) -> str:
        """The time in the zone the page names, with its offset (events are stored in UTC)."""
        return timezone.localtime(obj.at).strftime("%Y-%m-%d %H:%M:%S %z") if obj.at else ""
