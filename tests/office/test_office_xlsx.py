"""One XLSX writer with one formula policy, and one reader (office/xlsx.py)."""

from __future__ import annotations

import datetime as dt
import io

from tests import xlsx

from dangvien.office.layout import PARTY, Heading
from dangvien.office.xlsx import Workbook, looks_like_formula, read_rows, sheet_names


def written(*rows, constant_memory=True) -> bytes:
    out = io.BytesIO()
    with Workbook(out, constant_memory=constant_memory) as book:
        sheet = book.sheet("Trang 1", [20, 10])
        for values in rows:
            sheet.append(values)
    return out.getvalue()


def test_a_value_that_looks_like_a_formula_is_written_as_text():
    data = written(["=1+1", '=HYPERLINK("http://x")', "+84912", "-5", "@SUM(A1)"])
    assert xlsx.rows(data)[0] == ["=1+1", '=HYPERLINK("http://x")', "+84912", "-5", "@SUM(A1)"]
    sheet = xlsx.sheet_xml(data)
    assert "<f>" not in sheet  # no formula anywhere: nothing is evaluated on opening


def test_such_text_carries_the_quote_prefix_so_it_stays_text_when_edited():
    for constant_memory in (True, False):
        data = written(["=1+1", "plain"], constant_memory=constant_memory)
        with_styles = xlsx.styles_xml(data)
        assert 'quotePrefix="1"' in with_styles
    assert looks_like_formula("=1+1") and looks_like_formula("\tx")
    assert not looks_like_formula("Nguyễn Văn An") and not looks_like_formula("a=b")


def test_numbers_and_digits_keep_their_kind():
    data = written([3, "001080012345", 0.5, dt.date(1980, 5, 17)])
    assert xlsx.rows(data)[0] == [3, "001080012345", 0.5, dt.date(1980, 5, 17)]


def test_characters_xml_cannot_hold_are_replaced():
    assert xlsx.rows(written(["a\x01b"]))[0] == ["a?b"]


def test_the_party_heading_heads_the_sheet():
    out = io.BytesIO()
    heading = Heading(committee="Đảng bộ phường Kim Mã", place="Hà Nội", day=dt.date(2018, 4, 3))
    with Workbook(out) as book:
        sheet = book.sheet("Danh sách")
        sheet.heading(heading, "DANH SÁCH", ["Tính đến ngày 03/04/2018"])
        sheet.append(["STT", "Họ và tên"], "header")
    rows = xlsx.rows(out.getvalue())
    assert [row[0] for row in rows] == [
        PARTY,
        "ĐẢNG BỘ PHƯỜNG KIM MÃ",
        "Hà Nội, ngày 03 tháng 4 năm 2018",
        None,
        "DANH SÁCH",
        "Tính đến ngày 03/04/2018",
        None,
        "STT",
    ]


def test_sheets_are_written_in_turn_and_read_by_name(tmp_path):
    target = tmp_path / "b.xlsx"
    with Workbook(target) as book:
        book.sheet("Một").append(["a"])
        book.sheet("Hai tên rất dài quá ba mươi mốt ký tự").append(["b"])
    assert sheet_names(target) == ["Một", "Hai tên rất dài quá ba mươi mốt"]
    assert list(read_rows(target, "Một")) == [["a"]]
    assert list(read_rows(target.read_bytes(), 1)) == [["b"]]
