from typing import Any

from django.contrib import admin

from dangvien.tasks.models import Task


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "owner", "status", "done", "total", "created_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in Task._meta.fields]

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False
