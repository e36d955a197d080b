"""The activation of a member's account: the secretary issues a code, shown large with a QR
code (`issue`); the member opens the account with it and chooses a password (`activate`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from dangvien.accounts.forms import ActivationForm
from dangvien.accounts.http import AuthenticatedRequest
from dangvien.accounts.lockout import (
    ACTIVATION_PREFIX,
    code_failed,
    code_succeeded,
    is_locked,
    lockout_message,
    wait_seconds,
)
from dangvien.members.activation import activation_complete, activation_issue
from dangvien.members.views.edit import managed_member


@never_cache
def issue(request: AuthenticatedRequest, member_id: int) -> HttpResponse:
    """GET: what will happen; POST: a new code, shown large with a QR code to print or scan."""
    member = managed_member(request, member_id)
    context: dict[str, Any] = {"member": member}
    if request.method == "POST":
        try:
            code = activation_issue(acting_user=request.user, member=member)
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
        else:
            import segno

            link = request.build_absolute_uri(
                reverse("activation") + "?" + urlencode({"so": member.citizen_id or "", "ma": code})
            )
            context.update(code=code, qr=segno.make(link, error="m").svg_inline(scale=5))
    return render(request, "members/activation_issue.html", context)


@login_not_required
@sensitive_post_parameters("code", "password1", "password2")
@never_cache
def activate(request: HttpRequest) -> HttpResponse:
    initial = {"identifier": request.GET.get("so", ""), "code": request.GET.get("ma", "")}
    form = ActivationForm(request.POST or None, initial=initial)
    status, locked = 200, ""
    if request.method == "POST":
        identifier = request.POST.get("identifier", "")
        key = ACTIVATION_PREFIX + identifier
        if is_locked(request, key):
            locked, status = lockout_message(wait_seconds(request, key)), 429
        elif form.is_valid():
            try:
                user = activation_complete(
                    identifier=form.cleaned_data["identifier"],
                    code=form.cleaned_data["code"],
                    password=form.cleaned_data["password1"],
                )
            except ValidationError as error:
                if "mã kích hoạt" in " ".join(error.messages):
                    code_failed(request, key)
                    if getattr(request, "axes_locked_out", False):
                        locked, status = lockout_message(wait_seconds(request, key)), 429
                form.add_error(None, error)
            else:
                code_succeeded(key)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect("handbook_feed")
    return render(
        request, "members/activation.html", {"form": form, "locked": locked}, status=status
    )
