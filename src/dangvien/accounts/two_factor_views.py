"""Pages of the second factor: the code after the password, and enrolling an authenticator app."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from dangvien.accounts.http import AuthenticatedRequest
from dangvien.accounts.lockout import (
    code_failed,
    code_succeeded,
    is_locked,
    lockout_message,
    wait_seconds,
)
from dangvien.accounts.two_factor import (
    RECOVERY_CODES,
    has_device,
    is_verified,
    pending_totp_device,
    remember_owed,
    second_factor_required,
    two_factor_enrol,
    verify_code,
)
from dangvien.accounts.views import next_url


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Mã xác thực"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autofocus": True, "inputmode": "numeric", "autocomplete": "one-time-code"}
        ),
    )


@sensitive_post_parameters("code")
@never_cache
def verify(request: AuthenticatedRequest) -> HttpResponse:
    """The code of the authenticator app (or one recovery code) after the password."""
    user = request.user
    if is_verified(user) or not has_device(user):
        # Nothing to give (an administrator removed the device): work out the session again.
        remember_owed(request, user)
        return redirect(next_url(request))
    form = CodeForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "next": request.GET.get("next", "")}
    status = 200
    if request.method == "POST":
        if is_locked(request, user.get_username()):
            context["locked_message"] = lockout_message(wait_seconds(request, user.username))
            status = 429
        elif not form.is_valid():
            pass  # nothing typed: the field says so, and nothing is counted
        elif device := verify_code(user, form.cleaned_data["code"]):
            code_succeeded(user.get_username())
            otp_login(request, device)
            return redirect(next_url(request))
        else:
            # Wrong codes count as failed logins: the same lock as wrong passwords.
            code_failed(request, user.get_username())
            if getattr(request, "axes_locked_out", False):
                context["locked_message"] = lockout_message(wait_seconds(request, user.username))
                status = 429
            else:
                form.add_error("code", _("Mã không đúng hoặc đã hết hạn. Xin nhập mã mới."))
    return render(request, "accounts/two_factor_verify.html", context, status=status)


@sensitive_post_parameters("code")
@never_cache
def enrol(request: AuthenticatedRequest) -> HttpResponse:
    """Set up an authenticator app: a QR code and the secret, then one code to confirm. The
    recovery codes are shown once, on the answer."""
    user = request.user
    if has_device(user) and not is_verified(user):
        # Replacing an authenticator needs the current one first.
        return redirect("two_factor_verify")
    device = pending_totp_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor_enrol(acting_user=user, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            return render(
                request,
                "accounts/two_factor_done.html",
                {"codes": codes, "continue_url": next_url(request)},
            )
        form.add_error(
            "code", _("Mã không đúng. Xin kiểm tra giờ trên điện thoại rồi nhập mã mới.")
        )
    import segno

    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr": segno.make(device.config_url, error="m").svg_inline(scale=4),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "enrolled": has_device(user),
        "required": second_factor_required(user),
        "recovery_count": RECOVERY_CODES,
        "next": request.GET.get("next", ""),
    }
    return render(request, "accounts/two_factor_enrol.html", context)
