"""The Party document layout and the Vietnamese formats (office/layout.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template

from dangvien.office.layout import (
    PARTY,
    Heading,
    Signature,
    date,
    heading_of,
    number,
    percent,
    place_name,
    place_of,
    reference,
)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0, "0"), (7, "7"), (1000, "1.000"), (457397, "457.397"), (1234567, "1.234.567")],
)
def test_numbers_group_thousands_with_a_dot(value, shown):
    assert number(value) == shown


def test_decimals_take_a_comma_and_round_half_up():
    assert number(39.64, 1) == "39,6"
    assert number(39.65, 1) == "39,7"
    assert number(1234.5, 1) == "1.234,5"
    assert number(2.5) == "3"  # half up, not to the even neighbour


@pytest.mark.parametrize(
    ("share", "shown"),
    [
        (0.03125, "3,13%"),  # as a person rounds it; float round() gives 3,12
        (0, "0,00%"),
        (0.0, "0,00%"),
        (1, "100,00%"),
        (0.8539, "85,39%"),
        (1 / 3, "33,33%"),
        (2 / 3, "66,67%"),
        (12.5, "1.250,00%"),
        (Decimal("0.005"), "0,50%"),
    ],
)
def test_percentages_round_half_up_on_the_decimal_value(share, shown):
    assert percent(share) == shown


def test_a_share_without_a_base_is_a_dash():
    assert percent(None) == "—"


def test_the_template_filter_is_the_same_formatter():
    rendered = Template("{% load dv %}{{ a|percent }} {{ b|percent }}").render(
        Context({"a": 0.03125, "b": None})
    )
    assert rendered == "3,13% —"


def test_dates_are_day_month_year():
    assert date(dt.date(1980, 5, 7)) == "07/05/1980"
    assert date(None) == ""


def test_the_place_is_the_province_without_its_title():
    assert place_name("Đảng bộ Thành phố Hà Nội") == "Hà Nội"
    assert place_name("Đảng bộ tỉnh Thừa Thiên Huế") == "Thừa Thiên Huế"


def test_a_document_is_dated_from_the_root_of_the_tree(world):
    type(world.province).objects.filter(pk=world.province.pk).update(
        name="Đảng bộ Thành phố Hà Nội"
    )
    assert place_of(world.cell_a) == place_of(world.upper1) == "Hà Nội"


def test_the_reference_number_leaves_a_gap_when_not_yet_registered():
    assert reference(12, "QĐ", "ĐU") == "Số 12-QĐ/ĐU"
    assert reference(None, "TB", "CB") == "Số    -TB/CB"


def test_the_heading_names_the_party_the_committee_and_the_place_and_date(world):
    type(world.province).objects.filter(pk=world.province.pk).update(name="Đảng bộ tỉnh Huế")
    heading = heading_of(world.grassroots1, dt.date(2018, 4, 3), reference="Số 5-QĐ/ĐU")
    assert heading.lines == [PARTY, "ĐẢNG BỘ PHƯỜNG KIM MÃ", "Huế, ngày 03 tháng 4 năm 2018"]
    assert heading.issuer_lines == ["ĐẢNG BỘ PHƯỜNG KIM MÃ", "*", "Số 5-QĐ/ĐU"]


def test_the_superior_committee_heads_the_issuer_column():
    heading = Heading(
        committee="Chi bộ 1", place="Huế", day=dt.date(2021, 2, 14), superior="Đảng ủy phường"
    )
    assert heading.issuer_lines == ["ĐẢNG ỦY PHƯỜNG", "CHI BỘ 1", "*"]
    assert heading.dated == "Huế, ngày 14 tháng 02 năm 2021"


def test_the_signature_block_signs_on_behalf_of_the_committee():
    lines = Signature("Đảng ủy", "Bí thư", "Nguyễn Văn An").lines
    assert lines[0] == "T/M ĐẢNG ỦY" and lines[1] == "BÍ THƯ"
    assert lines[-1] == "Nguyễn Văn An"
