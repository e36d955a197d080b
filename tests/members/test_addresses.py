"""Addresses: shown by the names of the current units; an old district-based address is converted
to the current province and ward, keeping the text as written."""

from __future__ import annotations

import pytest

from dangvien.members.addresses import ConvertedAddress, address_convert, place_name


def test_codes_are_shown_by_the_names_of_the_current_units():
    assert place_name(1, 70) == "Phường Hoàn Kiếm, Thành phố Hà Nội"
    assert place_name(1, None) == "Thành phố Hà Nội"
    assert place_name(None, None) == ""


def test_text_that_is_no_address_is_kept_as_written():
    converted = address_convert("  số 3   ngõ 5  ")
    assert converted == ConvertedAddress(None, None, "số 3 ngõ 5", "số 3 ngõ 5")
    assert not converted.converted


def test_an_empty_address_stays_empty():
    assert address_convert("") == ConvertedAddress(None, None, "", "")


needs_converter = pytest.mark.skipif(
    not __import__("importlib").util.find_spec("vietnamadminunits"),
    reason="vietnamadminunits is not installed",
)


@needs_converter
def test_an_old_hanoi_address_is_converted_to_the_new_ward():
    converted = address_convert("12 Hàng Bạc, Phường Hàng Bạc, Quận Hoàn Kiếm, Hà Nội")
    assert converted.province_code == 1
    assert place_name(converted.province_code, converted.ward_code) == (
        "Phường Hoàn Kiếm, Thành phố Hà Nội"
    )
    assert converted.detail == "12 Hàng Bạc"
    assert converted.original == "12 Hàng Bạc, Phường Hàng Bạc, Quận Hoàn Kiếm, Hà Nội"


@needs_converter
def test_an_old_commune_of_a_rural_district_is_converted():
    converted = address_convert("Xã Tam Hiệp, Huyện Thanh Trì, Hà Nội")
    assert place_name(converted.province_code, converted.ward_code) == (
        "Xã Đại Thanh, Thành phố Hà Nội"
    )


@needs_converter
def test_an_address_already_in_the_new_form_is_recognised():
    converted = address_convert("Số 5 Lê Lợi, Phường Bến Thành, TP Hồ Chí Minh")
    assert place_name(converted.province_code, converted.ward_code) == (
        "Phường Bến Thành, Thành phố Hồ Chí Minh"
    )
    assert converted.detail == "Số 5 Lê Lợi"


@needs_converter
def test_conversion_never_asks_the_internet(monkeypatch):
    """A split old ward with a street would be geocoded online by the package: we convert without
    the street, so no address leaves the server."""
    import vietnamadminunits.converter.converter_2025 as converter

    def refuse(*args, **kwargs):
        raise AssertionError("geocoding attempted")

    monkeypatch.setattr(converter, "get_geo_location", refuse)
    converted = address_convert("25 Nguyễn Đình Chiểu, Phường 5, Quận 3, TP Hồ Chí Minh")
    assert converted.province_code == 79
    assert converted.ward_code is not None
    assert converted.detail == "25 Nguyễn Đình Chiểu"
