"""Uploaded document files: recognised by their content (not their name), size-limited, and
their text extracted for search."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from django.core.exceptions import ValidationError

MAX_BYTES = 20 * 1024 * 1024
MAX_TEXT = 200_000  # characters kept for search: the first pages say what a document is about
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


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
