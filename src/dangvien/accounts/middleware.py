"""Default deny, and the second factor owed after the password.

Every view needs a signed-in user unless marked `@login_not_required` (the sign-in pages, the
handbook's manifest and service worker). Two parts guard themselves and are left to it: the API
(django-ninja checks its tokens and sessions and answers 401 in JSON, not a redirect) and the
Django admin (its own staff check, sending to its own login page).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware as BaseLoginRequired
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect

from dangvien.accounts.http import HtmxHttpRequest
from dangvien.accounts.two_factor import owed_step

API_NAMESPACE = "api"
SELF_GUARDED = {API_NAMESPACE, "admin"}

# What a user who owes the second factor may still open.
SECOND_FACTOR_PAGES = {"two_factor_verify", "two_factor_enrol", "logout"}


def _is_api(request: HttpRequest) -> bool:
    match = request.resolver_match
    return match is not None and API_NAMESPACE in match.namespaces


def _client_redirect(request: HttpRequest, url: str) -> HttpResponseBase:
    """An HTMX request swaps a fragment: reload the whole page at `url` instead."""
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)


class LoginRequiredMiddleware(BaseLoginRequired):
    """Django's, but an HTMX request after the session ended reloads the login page whole."""

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponseBase | None:
        match = request.resolver_match
        if match is not None and SELF_GUARDED.intersection(match.namespaces):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)

    # Narrower than Django's in both ways: an HTMX answer is no HttpResponseRedirect, and the
    # request has been through HtmxMiddleware.
    def handle_no_permission(  # type: ignore[override]
        self, request: HtmxHttpRequest, view_func: Callable[..., Any]
    ) -> HttpResponseBase:
        if getattr(request, "htmx", False):
            path = request.htmx.current_url_abs_path or request.get_full_path()
            return HttpResponseClientRedirect(redirect_to_login(path).url)
        return super().handle_no_permission(request, view_func)


class second_factor_required:
    """A user who signed in with the password but owes the second factor (they have a device, or
    the installation requires one for their role) can only give it, enrol, or sign out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponseBase | None:
        if not request.user.is_authenticated or not getattr(view_func, "login_required", True):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in SECOND_FACTOR_PAGES:
            return None
        step = owed_step(request)
        if step is None:
            return None
        if _is_api(request):
            return JsonResponse(
                {"detail": "Phiên đăng nhập chưa xác thực hai lớp: hãy nhập mã trên trang web."},
                status=401,
            )
        return _client_redirect(request, step)
