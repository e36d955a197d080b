"""What every API router shares: the acting user, the one 404, and the list paginator."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from dangvien.accounts.http import ApiRequest
from dangvien.accounts.models import User

NOT_FOUND = "Không tìm thấy hoặc bạn không có quyền xem."
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class ErrorOut(Schema):
    detail: str


# Documented on every route (the schema then tells clients what errors look like).
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut}


def acting_user(request: ApiRequest) -> User:
    """The user the request authenticated as (session or token)."""
    return request.auth


def not_found() -> Http404:
    """The same answer whether the object is missing or out of scope: no hint that it exists."""
    return Http404(NOT_FOUND)


class NextOffsetPagination(PaginationBase):
    """limit/offset without COUNT(*): fetch one row more than asked to know if a next page exists.

    A count over a subtree of hundreds of thousands of members costs more than the page itself,
    and nobody pages to the end of such a list; `next` is the offset of the next page or null.
    """

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Số dòng mỗi trang")
        offset: int = Field(0, ge=0, description="Bỏ qua bấy nhiêu dòng đầu")

    class Output(Schema):
        items: list[Any]
        next: int | None = Field(description="offset của trang sau, null nếu đã hết")

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        start, limit = pagination.offset, pagination.limit
        rows = list(queryset[start : start + limit + 1])
        return {"items": rows[:limit], "next": start + limit if len(rows) > limit else None}
