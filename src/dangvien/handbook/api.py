"""The handbook for a native app: the reader's feed, and confirming a notice."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from dangvien.accounts.http import ApiRequest
from dangvien.handbook import selectors, services
from dangvien.handbook.models import Document, Post, PostFile
from dangvien.web.api import ERRORS, ErrorOut, NextOffsetPagination, acting_user, not_found

router = Router(tags=["Sổ tay"])


class OrgRef(Schema):
    id: int
    name: str


class PostFileOut(Schema):
    id: int
    kind: str = Field(description="`image` (shown in the post) or `attachment`")
    name: str = Field(alias="file_name")
    content_type: str
    size: int
    alt: str = Field(description="Images: what a screen reader says")
    width: int | None
    height: int | None
    url: str = Field(description="Served only to those who may open the post")

    @staticmethod
    def resolve_url(obj: PostFile) -> str:
        return reverse("handbook_post_file", args=[obj.post_id, obj.pk])


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
    files: list[PostFileOut] = Field(description="Images in their order, then attachments")

    @staticmethod
    def resolve_files(obj: Post) -> list[PostFile]:
        files = obj.files.all()
        return sorted(files, key=lambda f: (f.kind != PostFile.Kind.IMAGE, f.order))


class AckOut(Schema):
    id: int
    acknowledged_at: dt.datetime


@router.get("/feed", response={200: list[PostOut], **ERRORS}, summary="Tin bài và thông báo")
@paginate(NextOffsetPagination)
def feed(request: ApiRequest) -> QuerySet[Post]:
    """Posts and notices from the user's chain of committees (their cell up to the province),
    pinned first, then newest; `body` is sanitised HTML; `files` the post's images and
    attachments, each with the address that serves it."""
    user = acting_user(request)
    posts = selectors.with_read_marks(selectors.posts_for_reader(user), user)
    return posts.prefetch_related("files").order_by("-pinned", "-publish_at", "-pk")


@router.post(
    "/notices/{post_id}/ack",
    response={200: AckOut, **ERRORS, 422: ErrorOut},
    summary="Xác nhận đã đọc thông báo",
)
def acknowledge(request: ApiRequest, post_id: int) -> dict:
    user = acting_user(request)
    post = selectors.posts_visible_to(user).filter(pk=post_id).first()
    if post is None:
        raise not_found()
    try:
        reading = services.notice_acknowledge(user=user, post=post)
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from None
    return {"id": post.pk, "acknowledged_at": reading.acknowledged_at}


class DocumentOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    issuer: str
    issued_on: dt.date
    summary: str
    field: str
    org: OrgRef
    file_url: str
    size: int
    content_type: str

    @staticmethod
    def resolve_kind_label(obj: Document) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_file_url(obj: Document) -> str:
        return reverse("handbook_document_file", args=[obj.pk])


class DocumentDetailOut(DocumentOut):
    text: str = Field(description="Văn bản trích từ tệp (dùng để tìm kiếm), có thể rút gọn")


@router.get("/documents", response={200: list[DocumentOut], **ERRORS}, summary="Thư viện văn bản")
@paginate(NextOffsetPagination)
def documents(request: ApiRequest, q: str = "", kind: str = "") -> QuerySet[Document]:
    """Documents of the user's chain of committees, newest first; `q` matches every word in the
    reference data or the text, tones and marks optional (đ = d); `kind` e.g. `nghi_quyet`."""
    found = selectors.document_search(selectors.documents_for_reader(acting_user(request)), q)
    if kind:
        found = found.filter(kind=kind)
    return found.order_by("-issued_on", "-pk")


@router.get(
    "/documents/{document_id}",
    response={200: DocumentDetailOut, **ERRORS},
    summary="Một văn bản",
)
def document(request: ApiRequest, document_id: int) -> Document:
    found = selectors.documents_visible_to(acting_user(request)).filter(pk=document_id).first()
    if found is None:
        raise not_found()
    return found
