"""Template helpers of the dossier: administrative units by their codes."""

from __future__ import annotations

from django import template

from dangvien.members.addresses import place_name

register = template.Library()


@register.simple_tag
def address(detail: str, province_code: int | None, ward_code: int | None) -> str:
    """ "12 Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội"; "" when nothing is known."""
    parts = [detail.strip()] if detail and detail.strip() else []
    place = place_name(province_code, ward_code)
    if place:
        parts.append(place)
    return ", ".join(parts)
