"""Signing in (with the failed-login throttle) and changing one's password."""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.views import PasswordChangeDoneView, PasswordChangeView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from dangvien.accounts.forms import LoginForm, PasswordChangeVnForm
from dangvien.accounts.throttle import client_ip, login_failed, login_succeeded, login_wait_seconds


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def lockout_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return (
        f"Đã nhập sai quá nhiều lần. Để bảo vệ tài khoản, hệ thống tạm khóa đăng nhập. "
        f"Xin chờ khoảng {minutes} phút rồi thử lại."
    )


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request, data=request.POST or None)
    locked_message = ""
    status = 200
    if request.method == "POST":
        username = request.POST.get("username", "")
        ip = client_ip(request)
        wait = login_wait_seconds(username, ip)
        if wait:
            # Refused without checking the password: an unbound form keeps the name typed.
            form = LoginForm(request, initial={"username": username})
            locked_message = lockout_message(wait)
            status = 429
        elif form.is_valid():
            login_succeeded(username)
            login(request, form.get_user())
            return redirect(_next_url(request))
        elif username and request.POST.get("password"):
            login_failed(username, ip)
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "locked_message": locked_message,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "continue_url": _next_url(request),
        },
        status=status,
    )


class PasswordChange(PasswordChangeView):
    form_class = PasswordChangeVnForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("password_change_done")
    extra_context = {"nav": "password"}


class PasswordChangeDone(PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"
    extra_context = {"nav": "password"}
