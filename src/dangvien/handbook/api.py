"""The handbook for a native app: the reader's feed, and confirming a notice."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from dangvien.api.common import ERRORS, ErrorOut, NextOffsetPagination, acting_user, not_found
from dangvien.handbook import selectors, services
from dangvien.handbook.models import Post

router = Router(tags=["Sổ tay"])


class OrgRef(Schema):
    id: int
    name: str


class PostOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    pinned: bool
    publish_at: dt.datetime
    org: OrgRef
    is_read: bool
    is_acknowledged: bool


class AckOut(Schema):
    id: int
    acknowledged_at: dt.datetime


@router.get("/feed", response={200: list[PostOut], **ERRORS}, summary="Tin bài và thông báo")
@paginate(NextOffsetPagination)
def feed(request: HttpRequest) -> QuerySet[Post]:
    """Posts and notices from the user's chain of committees (their cell up to the province),
    pinned first, then newest; `body` is sanitised HTML."""
    user = acting_user(request)
    posts = selectors.with_read_marks(selectors.posts_for_reader(user), user)
    return posts.order_by("-pinned", "-publish_at", "-pk")


@router.post(
    "/notices/{post_id}/ack",
    response={200: AckOut, **ERRORS, 422: ErrorOut},
    summary="Xác nhận đã đọc thông báo",
)
def acknowledge(request: HttpRequest, post_id: int) -> dict:
    user = acting_user(request)
    post = selectors.posts_visible_to(user).filter(pk=post_id).first()
    if post is None:
        raise not_found()
    try:
        reading = services.notice_acknowledge(user=user, post=post)
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from None
    return {"id": post.pk, "acknowledged_at": reading.acknowledged_at}
