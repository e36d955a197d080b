"""What every page shares: the login gate, the HTMX partial, the pager and the scoped 404.

Nothing here knows a domain: an app's views compose these with their own selectors.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from dangvien.accounts.http import HtmxHttpRequest

PAGE_SIZE = 50

View = Callable[..., HttpResponseBase]
M = TypeVar("M", bound=Model)
T = TypeVar("T")


def wants_partial(request: HtmxHttpRequest) -> bool:
    """An HTMX request for a part of the page (not a history restore, which needs it whole)."""
    if not getattr(request, "htmx", None):
        return False
    return not request.htmx.history_restore_request


def render_page_or_partial(
    request: HtmxHttpRequest, page: str, partial: str, context: dict[str, Any]
) -> HttpResponse:
    """The partial for HTMX, the whole page otherwise; caches keep the two apart."""
    response = render(request, partial if wants_partial(request) else page, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def get_visible_or_404(visible: QuerySet[M], pk: int) -> M:
    """The row `pk` among those the user may see; outside them it does not exist (404)."""
    row = visible.filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


class Page(Generic[T]):
    """One page of a list, without COUNT(*): one row more than a page says whether a next exists.

    A count over a subtree of hundreds of thousands of members costs more than the page itself,
    and nobody pages to the end of such a list. Fetch `fetch` rows from `offset` (or let
    `of(queryset)` do it), hand them to `take`, and put `context()` in the template's context
    (the keys web/_pager.html and the result summaries read).
    """

    def __init__(self, number: int = 1, size: int = PAGE_SIZE) -> None:
        self.number = max(1, number)
        self.size = size
        self.rows: list[T] = []
        self.has_next = False

    @classmethod
    def from_request(cls, request: HttpRequest, size: int = PAGE_SIZE) -> Page[T]:
        """The page asked for by `?page=`; anything that is not a positive number is the first."""
        try:
            number = int(request.GET.get("page") or 1)
        except ValueError:
            number = 1
        return cls(number, size)

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def fetch(self) -> int:
        """How many rows to read from `offset`: the page and one more."""
        return self.size + 1

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def take(self, rows: Sequence[T]) -> list[T]:
        """The page's rows out of up to `fetch` rows read from `offset`."""
        self.rows = list(rows[: self.size])
        self.has_next = len(rows) > self.size
        return self.rows

    def found(self, rows: Sequence[T], has_more: bool) -> list[T]:
        """The page's rows from a reader that already says whether more follow (member search)."""
        self.rows = list(rows)
        self.has_next = has_more
        return self.rows

    def of(self, queryset: QuerySet[Any]) -> list[T]:
        """Read the page from an ordered queryset."""
        return self.take(list(queryset[self.offset : self.offset + self.fetch]))

    def context(self) -> dict[str, Any]:
        return {
            "page": self.number,
            "first_number": self.offset + 1,
            "last_number": self.offset + len(self.rows),
            "has_next": self.has_next,
            "has_previous": self.has_previous,
        }
