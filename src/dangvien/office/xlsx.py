"""Spreadsheets: one writer (XlsxWriter) and one reader (python-calamine).

The writer streams: in constant-memory mode each row goes to a temporary file when the next one
begins and strings are written inline, with no shared-string table that would hold every distinct
name and number of a 457,397-row list in memory. Rows of a sheet are therefore written in order,
and a sheet is finished before the next is begun.

Formula injection. A value from a record or an import file is data, never an instruction, so:
- every string is written as a string cell (`strings_to_formulas`, `_urls` and `_numbers` off):
  "=HYPERLINK(…)" is stored as the text it is and nothing is evaluated when the file is opened;
- a string beginning with = + - @, a tab or a carriage return also gets Excel's quote prefix (the
  style a user gets by typing an apostrophe first). The cell shows the value unchanged, without a
  visible apostrophe, and stays text when someone edits it in Excel or saves the sheet as CSV,
  which plain string cells do not guarantee.
The text itself is never altered, except characters XML cannot hold, which become "?".
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import xlsxwriter
from xlsxwriter.format import Format

from dangvien.office.layout import Heading

DATE_FORMAT = "dd/mm/yyyy"
# Control characters an XML 1.0 document cannot contain.
ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

STYLES: dict[str, dict[str, Any]] = {
    "bold": {"bold": True},
    "wrap": {"text_wrap": True, "valign": "top"},
    "header": {"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center"},
    "count": {"num_format": "#,##0"},
    "share": {"num_format": "0.00%"},
    "date": {"num_format": DATE_FORMAT},
}


def safe_text(value: str) -> str:
    """Text that a spreadsheet stores as it is: characters XML cannot hold are replaced."""
    return ILLEGAL_CHARACTERS.sub("?", value)


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_PREFIXES)


class Workbook:
    """An XLSX file being written to `target` (a path or a binary stream)."""

    def __init__(self, target: Path | IO[bytes], *, constant_memory: bool = True) -> None:
        self.book = xlsxwriter.Workbook(
            target if not isinstance(target, Path) else str(target),
            {
                "constant_memory": constant_memory,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self._formats: dict[tuple[str | None, bool], Format | None] = {}

    def sheet(self, title: str, widths: Sequence[int] = ()) -> Sheet:
        """A new sheet (Excel allows 31 characters of title) with its column widths."""
        return Sheet(self, self.book.add_worksheet(title[:31]), widths)

    def format(self, style: str | None, *, quoted: bool = False) -> Format | None:
        key = (style, quoted)
        if key not in self._formats:
            properties = dict(STYLES[style]) if style else {}
            if quoted:
                properties["quote_prefix"] = True
            self._formats[key] = self.book.add_format(properties) if properties else None
        return self._formats[key]

    def close(self) -> None:
        self.book.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Sheet:
    """One worksheet, written row by row."""

    def __init__(self, book: Workbook, sheet: Any, widths: Sequence[int]) -> None:
        self.book = book
        self.sheet = sheet
        self.row = 0
        for index, width in enumerate(widths):
            sheet.set_column(index, index, width)

    def append(
        self,
        values: Sequence[Any],
        style: str | None = None,
        *,
        styles: Sequence[str | None] = (),
    ) -> None:
        """Write the next row: every cell in `style` unless `styles` names one for its column;
        strings as text, dates as dates (dd/mm/yyyy), numbers as numbers."""
        for column, value in enumerate(values):
            cell_style = styles[column] if column < len(styles) and styles[column] else style
            if value is None or value == "":
                cell_format = self.book.format(cell_style)
                if cell_format is not None:
                    self.sheet.write_blank(self.row, column, None, cell_format)
            elif isinstance(value, str):
                text = safe_text(value)
                quoted = looks_like_formula(text)
                self.sheet.write_string(
                    self.row, column, text, self.book.format(cell_style, quoted=quoted)
                )
            elif isinstance(value, dt.date):
                self.sheet.write_datetime(self.row, column, value, self.book.format("date"))
            else:
                self.sheet.write_number(self.row, column, value, self.book.format(cell_style))
        self.row += 1

    def heading(self, heading: Heading, title: str, lines: Sequence[str] = ()) -> None:
        """The Party document heading down the first column: "ĐẢNG CỘNG SẢN VIỆT NAM", the
        committee, the place and date; then the title and its lines (what, as of when)."""
        party, committee, dated = heading.lines
        self.append([party], "bold")
        self.append([committee], "bold")
        self.append([dated])
        self.append([])
        self.append([title], "bold")
        for line in lines:
            self.append([line])
        self.append([])


# ---------------------------------------------------------------------------------------------
# Reading


def open_workbook(source: Path | bytes | IO[bytes]) -> Any:
    """A python-calamine workbook of an XLSX (or XLS, ODS) file, a path or its bytes."""
    from python_calamine import CalamineWorkbook

    if isinstance(source, Path):
        return CalamineWorkbook.from_path(str(source))
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    return CalamineWorkbook.from_filelike(source)


def sheet_names(source: Path | bytes | IO[bytes]) -> list[str]:
    return list(open_workbook(source).sheet_names)


def read_rows(source: Path | bytes | IO[bytes], sheet: int | str = 0) -> Iterator[list[Any]]:
    """The rows of a sheet (by index or title) as python-calamine gives them: text, floats,
    dates, and "" for an empty cell."""
    book = open_workbook(source)
    found = (
        book.get_sheet_by_index(sheet) if isinstance(sheet, int) else book.get_sheet_by_name(sheet)
    )
    yield from found.iter_rows()
