"""Display preferences (text size, high contrast) kept in a cookie so the server renders them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

TEXT_SIZES = ("small", "normal", "large", "xlarge")


def display_preferences(request: HttpRequest) -> dict[str, Any]:
    size = request.COOKIES.get("dv_text", "normal")
    return {
        "text_size": size if size in TEXT_SIZES else "normal",
        "high_contrast": request.COOKIES.get("dv_contrast") == "high",
    }
