"""Files to import, built in memory for the tests."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter

HEADER = [
    "STT",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Số CCCD",
    "Số thẻ đảng viên",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Dân tộc",
    "Tôn giáo",
    "Chi bộ",
]


def row(n: int, org: str = "Chi bộ 1", **changes: Any) -> list[Any]:
    values = {
        "STT": n,
        "Họ và tên": f"Nguyễn Văn Thử {n}",
        "Giới tính": "Nam",
        "Ngày sinh": "05/09/1980",
        "Số CCCD": f"0010800{n:05d}",
        "Số thẻ đảng viên": f"{90000000 + n}",
        "Ngày vào Đảng": "02/03/2010",
        "Ngày chính thức": "02/03/2011",
        "Dân tộc": "Kinh",
        "Tôn giáo": "Không",
        "Chi bộ": org,
    }
    values.update(changes)
    return [values[h] for h in HEADER]


def xlsx(rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER) -> bytes:
    """A workbook as a spreadsheet program saves it: dates formatted as dates, and text starting
    with "=" as a formula saved without its computed value."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        out, {"strings_to_urls": False, "default_date_format": "dd/mm/yyyy"}
    )
    sheet = workbook.add_worksheet()
    for number, values in enumerate([header, *rows]):
        for column, value in enumerate(values):
            if isinstance(value, str) and value.startswith("="):
                sheet.write_formula(number, column, value, None, "")
            else:
                sheet.write(number, column, value)
    workbook.close()
    return out.getvalue()


def csv_bytes(
    rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER, sep: str = ",", bom: bool = False
) -> bytes:
    lines = [sep.join(str(c) for c in header), *(sep.join(str(c) for c in r) for r in rows)]
    return ("\ufeff" if bom else "").encode() + "\r\n".join(lines).encode()
