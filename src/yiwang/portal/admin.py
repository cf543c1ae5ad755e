"""The portal's announcements in the admin: written by the system administrators (the portal's editors)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from yiwang.accounts.roles import Role
from yiwang.core.generations import bump
from yiwang.web.admin_site import RoleAdmin, admin_site

from .models import Announcement

EDITORS = frozenset({Role.SYS_ADMIN})


@admin.register(Announcement, site=admin_site)
class AnnouncementAdmin(RoleAdmin):
    admin_roles = EDITORS
    list_display = ("title", "department", "published_at", "expires_at", "pinned", "withdrawn")
    list_filter = ("pinned", "withdrawn", "department")
    search_fields = ("title", "body")
    date_hierarchy = "published_at"

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        bump("portal")  # the home page kept for anonymous visitors is drawn again

    def delete_model(self, request: Any, obj: Any) -> None:
        super().delete_model(request, obj)
        bump("portal")

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        bump("portal")
