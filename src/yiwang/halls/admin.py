"""Hall configuration in the admin (system administrator); hall managers use the set-up page."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from yiwang.accounts.roles import Role
from yiwang.web.admin_site import RoleAdmin, admin_site

from .models import BookingPolicy, BusinessCategory, HallConfig, SpecialDay

SYS = frozenset({Role.SYS_ADMIN})


@admin.register(HallConfig, site=admin_site)
class HallConfigAdmin(RoleAdmin):
    admin_roles = SYS
    list_display = (
        "hall",
        "bookable",
        "slot_minutes",
        "buffer_minutes",
        "horizon_workdays",
        "per_person_per_day",
        "per_person_open",
        "change_cutoff_minutes",
    )
    list_select_related = ("hall",)
    search_fields = ("hall__code", "hall__name")
    autocomplete_fields = ("hall",)


@admin.register(BookingPolicy, site=admin_site)
class BookingPolicyAdmin(RoleAdmin):
    admin_roles = SYS
    list_display = (
        "__str__",
        "noshow_limit",
        "noshow_window_days",
        "block_days",
        "on_time_priority",
        "green_priority",
        "elderly_age",
    )


@admin.register(SpecialDay, site=admin_site)
class SpecialDayAdmin(RoleAdmin):
    admin_roles = SYS
    list_display = ("date", "hall", "closed", "hours", "note")
    list_filter = ("closed",)
    date_hierarchy = "date"
    autocomplete_fields = ("hall",)


@admin.register(BusinessCategory, site=admin_site)
class BusinessCategoryAdmin(RoleAdmin):
    admin_roles = SYS
    list_display = (
        "hall",
        "letter",
        "name",
        "is_default",
        "avg_service_minutes",
        "capacity_override",
        "bookable",
    )
    list_select_related = ("hall",)
    search_fields = ("hall__code", "hall__name", "name")
    filter_horizontal = ("windows", "departments")
    autocomplete_fields = ("hall",)

    def formfield_for_manytomany(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if db_field.name == "windows":
            kwargs["queryset"] = db_field.remote_field.model.objects.select_related("hall")
        return super().formfield_for_manytomany(db_field, request, **kwargs)
