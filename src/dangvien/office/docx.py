"""Word documents filled from templates (docxtpl): the documents secretaries edit, sign and stamp.

A template is a .docx file with Jinja tags, kept in an app's `templates/<app>/` folder next to its
HTML templates (the generic ones here, in `templates/office/`) and named like a Django template:
"office/quyet_dinh.docx". The context usually holds a `layout.Heading` as `heading` and a
`layout.Signature` as `signature`, so every document is headed and signed the HD 36 way.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any

from django.template import TemplateDoesNotExist
from django.template.utils import get_app_template_dirs

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@functools.cache
def template_path(template_name: str) -> Path:
    """The file of a .docx template, looked up in the apps' template folders."""
    for directory in get_app_template_dirs("templates"):
        candidate = Path(directory) / template_name
        if candidate.is_file():
            return candidate
    raise TemplateDoesNotExist(template_name)


def render_docx(template_name: str, context: dict[str, Any]) -> bytes:
    """The document of `template_name` filled with `context`, as the bytes of a .docx file.

    Values are escaped for XML (an "&" in a committee's name cannot break the file)."""
    from docxtpl import DocxTemplate

    document = DocxTemplate(template_path(template_name))
    document.render(context, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
