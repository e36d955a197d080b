"""Word documents filled from templates (docxtpl): the documents secretaries edit, sign and stamp.

A template is a .docx file with Jinja tags, kept in an app's `templates/<app>/` folder next to its
HTML templates (the generic ones here, in `templates/office/`) and named like a Django template:
"office/quyet_dinh.docx". The context usually holds a `layout.Heading` as `heading` and a
`layout.Signature` as `signature`, so every document is headed and signed the HD 36 way.

An installation replaces a template without a code change by putting a file of the same name
under `settings.DOCX_TEMPLATES_DIR` ("office/quyet_dinh.docx" there wins over the shipped one).
A template that cannot be used (missing, not a Word file, a bad tag) raises `TemplateBroken`
with a message for the user saying which file and what is wrong.
"""

from __future__ import annotations

import functools
import io
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.utils import get_app_template_dirs

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class TemplateBroken(Exception):
    """A Word template that cannot be filled; `str()` is the Vietnamese message for the user."""


def template_path(template_name: str) -> Path:
    """The file of a .docx template: the installation's own under `DOCX_TEMPLATES_DIR` if there
    is one (looked up each time, so a file put there is used at once), else the shipped one."""
    override = getattr(settings, "DOCX_TEMPLATES_DIR", None)
    if override is not None:
        candidate = Path(override) / template_name
        if candidate.is_file():
            return candidate
    return _shipped_path(template_name)


def _is_installation_file(path: Path) -> bool:
    override = getattr(settings, "DOCX_TEMPLATES_DIR", None)
    return override is not None and Path(override) in path.parents


@functools.cache
def _shipped_path(template_name: str) -> Path:
    """The file of a .docx template, looked up in the apps' template folders."""
    for directory in get_app_template_dirs("templates"):
        candidate = Path(directory) / template_name
        if candidate.is_file():
            return candidate
    raise TemplateDoesNotExist(template_name)


def render_docx(template_name: str, context: dict[str, Any]) -> bytes:
    """The document of `template_name` filled with `context`, as the bytes of a .docx file.

    Values are escaped for XML (an "&" in a committee's name cannot break the file)."""
    from docx.opc.exceptions import OpcError
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError, UndefinedError

    path = template_path(template_name)
    where = f"Mẫu văn bản «{template_name}»" + (
        " (bản riêng của đơn vị)" if _is_installation_file(path) else ""
    )
    document = DocxTemplate(path)
    try:
        document.init_docx()
    except (OpcError, KeyError, ValueError, OSError, zipfile.BadZipFile) as error:
        # python-docx refuses a file that is not a Word package (PackageNotFoundError), one
        # without a document part (KeyError, ValueError), a corrupt zip (BadZipFile).
        raise TemplateBroken(
            f"{where} không phải tệp Word (.docx) đọc được. Lưu lại mẫu bằng Word dưới dạng "
            "«Word Document (.docx)», hoặc xóa bản riêng để dùng lại mẫu có sẵn."
        ) from error
    try:
        document.render(context, autoescape=True)
    except UndefinedError as error:
        raise TemplateBroken(
            f"{where} dùng dữ liệu không có ({error.message}). Sửa tên trong thẻ {{{{ … }}}} "
            "theo danh sách dữ liệu của mẫu, hoặc xóa bản riêng để dùng lại mẫu có sẵn."
        ) from error
    except TemplateError as error:
        raise TemplateBroken(
            f"{where} có thẻ điền dữ liệu viết sai ({error.message or error}). Sửa lại các thẻ "
            "{{ … }} và {% … %} trong tệp Word, hoặc xóa bản riêng để dùng lại mẫu có sẵn."
        ) from error
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
