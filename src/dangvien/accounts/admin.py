"""Users and their roles. Member and organization fields take ids (tables of 10⁵ rows and more
would not fit a drop-down list)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from dangvien.accounts.models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    raw_id_fields = ["org"]
    verbose_name = "vai trò"
    verbose_name_plural = "vai trò (mỗi vai trò có hiệu lực trên tổ chức và các tổ chức trực thuộc)"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleAssignmentInline]
    raw_id_fields = ["member"]
    list_display = ["username", "first_name", "last_name", "is_active", "is_staff", "last_login"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Hồ sơ đảng viên", {"fields": ["member"]}),
    )
