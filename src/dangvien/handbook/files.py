"""Uploaded files of the handbook, recognised by their content (not their name) and size-limited:
documents (PDF, DOCX) with their text extracted for search, and the images and attachments of
posts."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404

from dangvien.core.images import CheckedImage, jpeg_within, open_image

MAX_BYTES = 20 * 1024 * 1024
MAX_TEXT = 200_000  # characters kept for search: the first pages say what a document is about
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Images of a post: read on cheap phones over slow networks, so stored at most 1280 px wide.
MAX_IMAGES = 4
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_SIDE = 8192  # px: a 48 or 50 MP phone photo, not a decompression bomb
IMAGE_SIZE = (1280, 3840)  # px: the widest stored, and a tall poster stays readable
MAX_ATTACHMENTS = 5  # PDF or DOCX, each up to MAX_BYTES


@dataclass(frozen=True)
class Upload:
    """A file as the user sent it: its name, its bytes, and for an image what it shows."""

    name: str
    data: bytes
    alt: str = ""


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    text: str


def check_document_file(data: bytes) -> CheckedFile:
    """A PDF or DOCX file, by its bytes; anything else is refused with a Vietnamese message."""
    if not data:
        raise ValidationError("Tệp trống.")
    if len(data) > MAX_BYTES:
        raise ValidationError(
            f"Tệp lớn quá {MAX_BYTES // (1024 * 1024)} MB ({len(data) / 1024 / 1024:.1f} MB)."
        )
    if data.startswith(b"%PDF-"):
        return CheckedFile(PDF, "pdf", _pdf_text(data))
    if data.startswith(b"PK\x03\x04"):
        text = _docx_text(data)
        if text is not None:
            return CheckedFile(DOCX, "docx", text)
    raise ValidationError("Chỉ nhận tệp PDF hoặc Word (.docx): tệp này không phải loại đó.")


def check_post_image(data: bytes) -> CheckedImage:
    """An image of a post re-encoded as a JPEG without metadata, at most IMAGE_SIZE."""
    image = open_image(
        data,
        max_bytes=MAX_IMAGE_BYTES,
        max_side=MAX_IMAGE_SIDE,
        at_least=(IMAGE_SIZE[0], IMAGE_SIZE[0]),
    )
    return jpeg_within(image, IMAGE_SIZE, quality=85)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        parts: list[str] = []
        size = 0
        for page in reader.pages:
            part = page.extract_text() or ""
            parts.append(part)
            size += len(part)
            if size > MAX_TEXT:
                break
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        raise ValidationError("Tệp PDF bị hỏng, không đọc được.") from error
    return _tidy(" ".join(parts))


def _docx_text(data: bytes) -> str | None:
    """The text of a .docx, or None when the zip is not a Word document."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                return None
            info = archive.getinfo("word/document.xml")
            if info.file_size > 50 * MAX_BYTES:  # a zip bomb, not a document
                raise ValidationError("Tệp Word có nội dung quá lớn.")
            root = ElementTree.fromstring(archive.read(info))
    except (zipfile.BadZipFile, ElementTree.ParseError, RuntimeError) as error:
        raise ValidationError("Tệp Word bị hỏng, không đọc được.") from error
    paragraphs = [
        "".join(node.text or "" for node in paragraph.iter(f"{WORD_NS}t"))
        for paragraph in root.iter(f"{WORD_NS}p")
    ]
    return _tidy("\n".join(paragraphs))


def _tidy(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()[:MAX_TEXT]


def private_file(file: Any, *, name: str, content_type: str, as_attachment: bool) -> FileResponse:
    """A stored file for a reader the view has already checked: its own type, never sniffed,
    kept only in the reader's browser; 404 when the file is missing from the storage."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=as_attachment, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=86400"
    return response
