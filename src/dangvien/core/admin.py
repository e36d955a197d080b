"""The audit log, read-only: nobody adds, changes or deletes a row, not even a superuser. The
calendar's extra days off and working Saturdays, entered by the administrator."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dangvien.core.models import AuditEvent, CalendarDay


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "target_type", "target_id", "summary"]
    list_filter = ["action", "target_type"]
    list_select_related = ["actor"]
    search_fields = ["summary"]
    readonly_fields = [
        "at",
        "actor",
        "action",
        "target_type",
        "target_id",
        "summary",
        "before",
        "after",
    ]
    # The log grows by one row per record opened: no COUNT(*) over it for each page.
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["day", "kind", "note"]
    list_filter = ["kind"]
    date_hierarchy = "day"
    search_fields = ["note"]
