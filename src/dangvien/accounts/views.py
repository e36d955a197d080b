"""Signing in (with the failed-login lock and the second factor) and changing one's password."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LogoutView, PasswordChangeDoneView, PasswordChangeView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from dangvien.accounts.forms import LoginForm, PasswordChangeVnForm
from dangvien.accounts.lockout import lockout_message, wait_seconds
from dangvien.accounts.two_factor import owed_step


def next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_not_required
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request, data=request.POST or None)
    locked_message = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            login(request, form.get_user())
            # The second factor, when owed, comes before the page asked for.
            return redirect(owed_step(request, then=next_url(request)) or next_url(request))
        if getattr(request, "axes_locked_out", False):
            # Refused (axes checks before the password): an unbound form keeps the name typed.
            username = request.POST.get("username", "")
            form = LoginForm(request, initial={"username": username})
            locked_message = lockout_message(wait_seconds(request, username))
            status = 429
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "locked_message": locked_message,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "continue_url": next_url(request),
        },
        status=status,
    )


@method_decorator(login_not_required, name="dispatch")
class Logout(LogoutView):
    """Open to all: signing out after the session ended answers as it always did (POST only)."""


class PasswordChange(PasswordChangeView):
    form_class = PasswordChangeVnForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("password_change_done")
    extra_context = {"nav": "password"}


class PasswordChangeDone(PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"
    extra_context = {"nav": "password"}
