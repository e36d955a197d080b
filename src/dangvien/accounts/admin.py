"""Users and their roles. Member and organization fields take ids (tables of 10⁵ rows and more
would not fit a drop-down list).

Roles stay an inline of the user, where administrators look for them; every grant, change and
removal made there writes its audit row (`save_formset`), as the services do everywhere else.
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from dangvien.accounts.models import RoleAssignment, User
from dangvien.accounts.services import role_assigned, role_remove, role_removed


def _staff(request: HttpRequest) -> User:
    """Who acts in the admin: only signed-in staff get past the admin site's own check."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


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

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        if formset.model is not RoleAssignment:
            super().save_formset(request, form, formset, change)
            return
        with transaction.atomic():
            deleted = {row.instance.pk for row in formset.deleted_forms}
            changed = [
                row.instance.pk
                for row in formset.initial_forms
                if row.instance.pk not in deleted and row.has_changed()
            ]
            # What a changed row was, read before it is overwritten: a change is recorded as the
            # removal of the old role and the grant of the new one.
            before = RoleAssignment.objects.select_related("user", "org").in_bulk(changed)
            assignments = formset.save(commit=False)
            for gone in formset.deleted_objects:
                role_remove(acting_user=_staff(request), assignment=gone)
            for assignment in assignments:
                if assignment.pk in before:
                    role_removed(acting_user=_staff(request), assignment=before[assignment.pk])
                assignment.save()
                role_assigned(acting_user=_staff(request), assignment=assignment)
            formset.save_m2m()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            for assignment in obj.roles.select_related("user", "org"):
                role_remove(acting_user=_staff(request), assignment=assignment)
            super().delete_model(request, obj)
