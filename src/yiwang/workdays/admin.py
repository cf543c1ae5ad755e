"""Configuration: the bureau's calendar entries and years, pause kinds, and clocks (read-only).

Saving or deleting a calendar entry or a year goes through the services, so open clocks are
recomputed and the change is audited in the same transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin

from yiwang.accounts.access import signed_in
from yiwang.accounts.roles import Role
from yiwang.web.admin_site import RoleAdmin, admin_site

from . import services
from .models import CalendarEntry, CalendarYear, Clock, ClockEvent, ClockExtension, ClockPause, PauseKind

if TYPE_CHECKING:
    from django.http import HttpRequest

SYS = frozenset({Role.SYS_ADMIN})


@admin.register(CalendarEntry, site=admin_site)
class CalendarEntryAdmin(RoleAdmin):
    admin_roles = SYS
    list_display = ("date", "kind", "name", "note", "updated_at")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("name", "note")
    fields = ("date", "kind", "name", "note")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change and "date" in (form.changed_data if form else []):
            old = CalendarEntry.objects.get(pk=obj.pk)
            services.calendar_entry_delete(actor=signed_in(request), entries=[old])
            obj.pk = None
        saved = services.calendar_entry_save(
            actor=signed_in(request), day=obj.date, kind=obj.kind, name=obj.name, note=obj.note
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.calendar_entry_delete(actor=signed_in(request), entries=[obj])

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        services.calendar_entry_delete(actor=signed_in(request), entries=list(queryset))


@admin.register(CalendarYear, site=admin_site)
class CalendarYearAdmin(RoleAdmin):
    admin_roles = SYS
    list_display = ("year", "published", "published_at", "published_by", "source")
    fields = ("year", "published", "source")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("year",) if obj else ()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        row = services.calendar_publish_year(
            actor=signed_in(request), year=obj.year, published=obj.published, source=obj.source
        )
        obj.pk = CalendarYear.objects.get(year=row.years[0]).pk

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.calendar_publish_year(
            actor=signed_in(request), year=obj.year, published=False, source=obj.source
        )

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for row in list(queryset):
            self.delete_model(request, row)


@admin.register(PauseKind, site=admin_site)
class PauseKindAdmin(RoleAdmin):
    admin_roles = SYS
    list_display = ("code", "name", "name_en", "legal_basis", "active", "order")
    list_editable = ("active", "order")


class ClockPauseInline(admin.TabularInline):
    model = ClockPause
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "started_at", "ended_at", "reason", "created_by")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ClockExtensionInline(admin.TabularInline):
    model = ClockExtension
    extra = 0
    can_delete = False
    readonly_fields = ("days", "reason", "approved_by", "approved_by_name", "created_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ClockEventInline(admin.TabularInline):
    model = ClockEvent
    extra = 0
    can_delete = False
    readonly_fields = (
        "kind",
        "at",
        "actor",
        "old_due",
        "new_due",
        "old_provisional",
        "new_provisional",
        "data",
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Clock, site=admin_site)
class ClockAdmin(RoleAdmin):
    """Clocks are changed by their cases' services only; here they can be looked at."""

    admin_roles = SYS
    read_only = True
    list_display = (
        "id",
        "subject",
        "label",
        "limit_value",
        "limit_kind",
        "due_date",
        "provisional",
        "state",
        "office",
    )
    list_filter = ("state", "provisional", "limit_kind")
    search_fields = ("subject", "label")
    inlines = [ClockPauseInline, ClockExtensionInline, ClockEventInline]
