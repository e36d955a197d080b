"""Addresses in the current administrative units (two levels since 1/7/2025: province, ward).

Codes are those of `vietnam-provinces`. An address written in the old three-level form
("…, Phường Hàng Bạc, Quận Hoàn Kiếm, Hà Nội") is converted with the `vietnamadminunits`
package (MIT, maintained; its data follow Nghị quyết 202/2025/QH15 and the wards' resolutions).
The original text is always kept beside the result, so a conversion can be checked.

The conversion runs offline: when an old ward was split between several new wards, the package
would geocode the street on the Internet (ArcGIS) to choose one; we never send a member's address
anywhere, so we convert the old units without the street (the package then picks the new ward that
received the old ward's centre) and keep the street as the detail.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from functools import cache
from typing import Any

from vietnam_provinces import Province, Ward

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConvertedAddress:
    province_code: int | None
    ward_code: int | None
    detail: str  # street, house number, hamlet …: what is below the ward
    original: str  # the text as written

    @property
    def converted(self) -> bool:
        return self.province_code is not None


@cache
def _converter() -> Any:
    """The package's functions, or None when it is not installed (addresses stay as written)."""
    try:
        from vietnamadminunits import ParseMode, convert_address, parse_address
    except ImportError:
        log.warning("vietnamadminunits is not installed: old addresses are kept unconverted")
        return None
    return ParseMode, convert_address, parse_address


def _code(value: Any) -> Any:
    """A code as the package's typed codes take it (they are ints)."""
    return int(value)


def _known_province(code: Any) -> int | None:
    try:
        return int(Province.from_code(_code(code)).code)
    except (TypeError, ValueError):
        return None


def _known_ward(code: Any, name: str | None, province_code: int) -> int | None:
    """The ward's code in `vietnam-provinces`; by name in the province when the codes disagree."""
    try:
        return int(Ward.from_code(_code(code)).code)
    except (TypeError, ValueError):
        pass
    if name:
        for ward in Ward.iter_by_province(_code(province_code)):
            if ward.name == name:
                return int(ward.code)
    return None


def address_convert(text: str) -> ConvertedAddress:
    """The current province and ward of an address written in the old (or the new) form.

    Nothing recognised: codes are None and the text stays the detail; the original is kept either
    way.
    """
    original = " ".join((text or "").split())
    unconverted = ConvertedAddress(None, None, original, original)
    functions = _converter()
    if functions is None or not original:
        return unconverted
    parse_mode, convert, parse = functions
    try:
        old = parse(original, mode=parse_mode.LEGACY, keep_street=True, level=3)
        if old.province is None or old.district is None:
            # Not a three-level address: perhaps it is already in the new form.
            new = parse(original, mode=parse_mode.FROM_2025, keep_street=True, level=2)
            street = new.street
        else:
            street = old.street
            units = ", ".join(part for part in (old.ward, old.district, old.province) if part)
            new = convert(units)  # without the street: nothing is geocoded online
    except Exception:  # the package raises bare errors on text it cannot read
        log.info("address not converted: %r", original, exc_info=True)
        return unconverted
    province_code = _known_province(getattr(new, "province_code", None))
    if province_code is None:
        return unconverted
    ward_code = _known_ward(
        getattr(new, "ward_code", None), getattr(new, "ward", None), province_code
    )
    return ConvertedAddress(province_code, ward_code, (street or "").strip(" ,"), original)


def place_name(province_code: int | None, ward_code: int | None) -> str:
    """ "Phường Hoàn Kiếm, Thành phố Hà Nội" from codes; "" when unknown."""
    return _place_name(province_code, ward_code)


@cache
def _place_name(province_code: int | None, ward_code: int | None) -> str:
    parts = []
    if ward_code:
        with contextlib.suppress(ValueError):
            parts.append(Ward.from_code(_code(ward_code)).name)
    if province_code:
        with contextlib.suppress(ValueError):
            parts.append(Province.from_code(_code(province_code)).name)
    return ", ".join(parts)
