"""The Django admin site: a user who owes the second factor (they have an authenticator, or the
installation requires one for their role) must have given it in this session."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from dangvien.accounts.two_factor import has_device, is_verified, second_factor_required


class AdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        if not super().has_permission(request):
            return False
        user = request.user
        if is_verified(user):
            return True
        return not has_device(user) and not second_factor_required(user)
