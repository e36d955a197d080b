"""Writes of the handbook: publishing (sanitised, audited), reading, acknowledging notices."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from pathlib import PurePosixPath
from typing import TypeVar

import nh3
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from dangvien.accounts.models import User
from dangvien.accounts.types import ActingUser
from dangvien.core.audit import audit_record
from dangvien.core.models import AuditEvent
from dangvien.core.text import fold, normalize
from dangvien.handbook.files import (
    MAX_ATTACHMENTS,
    MAX_IMAGES,
    Upload,
    check_document_file,
    check_post_image,
)
from dangvien.handbook.models import (
    ALT_MAX_LENGTH,
    Bookmark,
    CorrectionRequest,
    Document,
    DocumentOpen,
    Post,
    PostFile,
    Reading,
    Visit,
)
from dangvien.handbook.selectors import may_publish_for
from dangvien.orgs.models import Organization

T = TypeVar("T")

# What a post may contain: text structure, links and images; no scripts, styles or frames.
ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h2", "h3", "h4",
    "blockquote", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}}


def clean_html(html: str) -> str:
    """Keep the structure of a post, drop anything that could run or load elsewhere."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


def post_publish(
    *,
    acting_user: ActingUser,
    org: Organization,
    title: str,
    body: str,
    kind: str = Post.Kind.POST,
    pinned: bool = False,
    publish_at: dt.datetime | None = None,
    targets: Sequence[Organization] = (),
    images: Sequence[Upload] = (),
    attachments: Sequence[Upload] = (),
) -> Post:
    """A post or notice of `org` for its whole subtree, or for the chosen organizations in it,
    with its images and attached files.

    Everything is checked before the transaction opens (decoding images and reading PDFs takes
    time the database's write lock should not wait for): one bad file and nothing is saved. Files
    written before a failure in the transaction are removed again. (A caller's own transaction
    rolled back later would leave them on disk: the write page has none.)
    """
    if not may_publish_for(acting_user, org):
        raise ValidationError(f"Đồng chí không được đăng bài thay «{org.name}».")
    if org.dissolved_on is not None:
        raise ValidationError(f"«{org.name}» đã giải thể.")
    title = " ".join(title.split())
    if not title:
        raise ValidationError("Xin nhập tiêu đề.")
    clean = clean_html(body)
    if not clean:
        raise ValidationError("Xin nhập nội dung.")
    outside = [t.name for t in targets if t.pk == org.pk or not t.path.startswith(org.path)]
    if outside:
        raise ValidationError(
            f"Chỉ gửi được tới các tổ chức trực thuộc «{org.name}»: {', '.join(outside)}."
        )
    files = _post_files(images, attachments)
    written: list[str] = []  # names in the storage
    try:
        with transaction.atomic():
            post = Post.objects.create(
                kind=kind,
                org=org,
                title=title,
                body=clean,
                pinned=pinned,
                publish_at=publish_at or timezone.now(),
                author=acting_user,
            )
            post.targets.set(targets)
            for post_file, content, extension in files:
                post_file.post = post
                post_file.file.save(
                    f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False
                )
                written.append(post_file.file.name or "")
                post_file.save()
            audit_record(
                actor=acting_user,
                action=AuditEvent.Action.CREATE,
                target=post,
                summary=f"Đăng {post.get_kind_display().lower()} «{title}»",
                after={
                    "org": org.pk,
                    "targets": [t.pk for t in targets],
                    "kind": kind,
                    "images": len(images),
                    "attachments": len(attachments),
                },
            )
    except BaseException:
        storage = PostFile._meta.get_field("file").storage
        for name in written:
            storage.delete(name)
        raise
    return post


def _post_files(
    images: Sequence[Upload], attachments: Sequence[Upload]
) -> list[tuple[PostFile, bytes, str]]:
    """The files of a post checked by their content, not yet saved: (row, bytes to store, file
    extension). Every problem of every file is told at once, each after the file's name."""
    if len(images) > MAX_IMAGES:
        raise ValidationError(f"Một tin bài có tối đa {MAX_IMAGES} ảnh.")
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError(f"Một tin bài có tối đa {MAX_ATTACHMENTS} tệp đính kèm.")
    files: list[tuple[PostFile, bytes, str]] = []
    problems: list[str] = []
    for order, upload in enumerate(images):
        alt = normalize(upload.alt)
        if not alt:
            problems.append(
                f"«{upload.name}»: xin mô tả ngắn nội dung ảnh "
                "(để người đọc bằng máy đọc màn hình biết ảnh có gì)."
            )
        elif len(alt) > ALT_MAX_LENGTH:
            problems.append(f"«{upload.name}»: mô tả ảnh dài quá {ALT_MAX_LENGTH} ký tự.")
        image = _checked(check_post_image, upload, problems)
        if image is None:
            continue
        row = PostFile(
            kind=PostFile.Kind.IMAGE,
            order=order,
            file_name=_download_name(upload.name, "jpg"),
            content_type="image/jpeg",
            size=len(image.content),
            alt=alt,
            width=image.width,
            height=image.height,
        )
        files.append((row, image.content, "jpg"))
    for order, upload in enumerate(attachments):
        checked = _checked(check_document_file, upload, problems)
        if checked is None:
            continue
        row = PostFile(
            kind=PostFile.Kind.ATTACHMENT,
            order=order,
            file_name=_download_name(upload.name, checked.extension),
            content_type=checked.content_type,
            size=len(upload.data),
        )
        files.append((row, upload.data, checked.extension))
    if problems:
        raise ValidationError(problems)
    return files


def _checked(check: Callable[[bytes], T], upload: Upload, problems: list[str]) -> T | None:
    """What `check` makes of the upload's bytes, or None and its problem noted."""
    try:
        return check(upload.data)
    except ValidationError as error:
        problems.append(f"«{upload.name}»: {' '.join(error.messages)}")
        return None


def _download_name(name: str, extension: str) -> str:
    """The uploaded name (NFC, without a folder) ending in what the file really is: a PNG is
    stored as a JPEG, a PDF named «.exe» is downloaded as «.pdf»."""
    stem = PurePosixPath(normalize(name).replace("\\", "/")).stem.strip(". ") or "tep"
    return f"{stem[:190]}.{extension}"


def post_read(*, user: User, post: Post) -> Reading:
    reading, _ = Reading.objects.get_or_create(
        post=post, user=user, defaults={"read_at": timezone.now()}
    )
    return reading


def notice_acknowledge(*, user: User, post: Post) -> Reading:
    """The reader confirms having read a notice (the issuing committee sees who has)."""
    if not post.is_notice:
        raise ValidationError("Chỉ thông báo mới cần xác nhận đã đọc.")
    reading = post_read(user=user, post=post)
    if reading.acknowledged_at is None:
        reading.acknowledged_at = timezone.now()
        reading.save(update_fields=["acknowledged_at"])
    return reading


@transaction.atomic
def document_publish(
    *,
    acting_user: ActingUser,
    org: Organization,
    number: str,
    kind: str,
    issuer: str,
    issued_on: dt.date,
    summary: str,
    data: bytes,
    file_name: str,
    field: str = "",
    published_at: dt.datetime | None = None,
) -> Document:
    """A document for the library of `org`'s subtree; the file is checked by its content."""
    if not may_publish_for(acting_user, org):
        raise ValidationError(f"Đồng chí không được đăng văn bản thay «{org.name}».")
    checked = check_document_file(data)
    number, issuer, summary = (" ".join(v.split()) for v in (number, issuer, summary))
    if not number or not summary or not issuer:
        raise ValidationError("Xin nhập số/ký hiệu, cơ quan ban hành và trích yếu.")
    stem = slugify(fold(number)) or "van-ban"
    document = Document(
        org=org,
        number=number,
        kind=kind,
        issuer=issuer,
        issued_on=issued_on,
        summary=summary,
        field=field.strip(),
        file_name=file_name[:200],
        content_type=checked.content_type,
        size=len(data),
        text=checked.text,
        search_head=fold(f"{number} {issuer} {summary} {field}")[:1000],
        search_text=fold(checked.text),
        published_at=published_at or timezone.now(),
        author=acting_user,
    )
    document.file.save(f"{stem}.{checked.extension}", ContentFile(data), save=False)
    document.save()
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.CREATE,
        target=document,
        summary=f"Đăng văn bản {number}",
        after={"org": org.pk, "kind": kind, "size": len(data)},
    )
    return document


def bookmark_toggle(*, user: User, document: Document) -> bool:
    """Save a document to the user's list, or take it off; True when it is now saved."""
    deleted, _ = Bookmark.objects.filter(user=user, document=document).delete()
    if deleted:
        return False
    Bookmark.objects.get_or_create(user=user, document=document)
    return True


VISIT_SESSION_KEY = "handbook_visit_day"


def visit_record(*, user: User, session: SessionBase | None = None) -> None:
    """Count the user as having opened the handbook today (one row per user and day). Given the
    request's session, the day recorded is kept in it: later pages that day cost no query."""
    today = timezone.localdate()
    if session is not None and session.get(VISIT_SESSION_KEY) == today.isoformat():
        return
    Visit.objects.get_or_create(user=user, day=today)
    if session is not None:
        session[VISIT_SESSION_KEY] = today.isoformat()


def document_opened(*, user: User, document: Document) -> None:
    DocumentOpen.objects.get_or_create(user=user, document=document, day=timezone.localdate())


def correction_request(*, user: User, text: str) -> CorrectionRequest:
    """The member's own request to correct their record (read-only to them)."""
    member = user.member if getattr(user, "member_id", None) else None
    if member is None:
        raise ValidationError("Tài khoản này không gắn với hồ sơ đảng viên nào.")
    text = text.strip()
    if len(text) < 5:
        raise ValidationError("Xin ghi rõ thông tin nào cần sửa và sửa thành gì.")
    if len(text) > 2000:
        raise ValidationError("Nội dung đề nghị dài quá 2.000 ký tự.")
    request = CorrectionRequest.objects.create(member=member, requested_by=user, text=text)
    audit_record(
        actor=user,
        action=AuditEvent.Action.CREATE,
        target=member,
        summary="Đảng viên đề nghị sửa hồ sơ",
        after={"request": request.pk},
    )
    return request


def correction_resolve(*, acting_user: ActingUser, request: CorrectionRequest) -> CorrectionRequest:
    if request.resolved_at is None:
        request.resolved_at = timezone.now()
        request.resolved_by = acting_user
        request.save(update_fields=["resolved_at", "resolved_by"])
        audit_record(
            actor=acting_user,
            action=AuditEvent.Action.UPDATE,
            target=request.member,
            summary="Đã xử lý đề nghị sửa hồ sơ",
            after={"request": request.pk},
        )
    return request
