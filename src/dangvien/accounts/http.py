"""Request types for views: what the middleware puts on a request, said to the type checker.

Here in accounts, the lowest layer that knows the user model, so that accounts' own views and
every app above may annotate with them.
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from dangvien.accounts.models import User


class HtmxHttpRequest(HttpRequest):
    """Any request, signed in or not: HtmxMiddleware has set `htmx`."""

    htmx: HtmxDetails


class AuthenticatedRequest(HtmxHttpRequest):
    """A request past the login gate: `user` is a signed-in User, never AnonymousUser."""

    user: User


class ApiRequest(HttpRequest):
    """A request to an API route past its auth (token or session): ninja keeps the User the auth
    returned on `auth`."""

    auth: User
