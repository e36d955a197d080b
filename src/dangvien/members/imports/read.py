"""Reading an import file: the rows of the first sheet of an XLSX, or of a CSV, as cell values."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dangvien.office.xlsx import open_workbook

MAX_FILE_BYTES = 100 * 1024 * 1024  # a national file of 457,397 rows is about 32 MB in XLSX
MAX_UNZIPPED_BYTES = 1536 * 1024 * 1024  # an XLSX that inflates beyond this is not a member list


class ImportFileError(Exception):
    """The file cannot be read as a table: the message says why, in Vietnamese.

    `unknown` lists the columns not recognised, when the header was found: the user may map them.
    """

    def __init__(self, message: str, unknown: list[str] | None = None) -> None:
        super().__init__(message)
        self.unknown = unknown or []


def read_table(path: Path, filename: str) -> Iterator[list[Any]]:
    """Rows of the first sheet (XLSX) or of the CSV, as lists of cell values."""
    size = path.stat().st_size
    if size == 0:
        raise ImportFileError("Tệp rỗng: không có dữ liệu nào.")
    if size > MAX_FILE_BYTES:
        raise ImportFileError(
            f"Tệp quá lớn ({size / 1024**2:.0f} MB); tối đa {MAX_FILE_BYTES // 1024**2} MB."
        )
    with path.open("rb") as f:
        head = f.read(8)
    name = filename.lower()
    if head.startswith(b"PK"):
        return _read_xlsx(path)
    if name.endswith((".xlsx", ".xlsm", ".xls", ".ods")) or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            "Không đọc được tệp Excel: tệp bị hỏng hoặc không phải định dạng .xlsx. "
            "Hãy mở tệp bằng Excel và lưu lại dưới dạng «Excel Workbook (.xlsx)»."
        )
    return _read_csv(path)


def _read_xlsx(path: Path) -> Iterator[list[Any]]:
    try:
        if not zipfile.is_zipfile(path):
            raise ValueError("not a zip")
        with zipfile.ZipFile(path) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
        if inflated > MAX_UNZIPPED_BYTES:
            raise ImportFileError(
                "Tệp Excel quá lớn khi giải nén: hãy chia nhỏ tệp hoặc lưu dưới dạng CSV."
            )
        workbook = open_workbook(path)
        if not workbook.sheet_names:
            raise ImportFileError("Tệp Excel không có trang tính nào.")
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.iter_rows()
    except ImportFileError:
        raise
    except Exception as error:
        raise ImportFileError(
            "Không đọc được tệp Excel: tệp bị hỏng hoặc không phải định dạng .xlsx. "
            "Hãy mở tệp bằng Excel và lưu lại dưới dạng «Excel Workbook (.xlsx)»."
        ) from error

    def generate() -> Iterator[list[Any]]:
        try:
            yield from rows
        except Exception as error:
            raise ImportFileError("Tệp Excel bị hỏng ở giữa chừng: không đọc tiếp được.") from error

    return generate()


def _read_csv(path: Path) -> Iterator[list[Any]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1258", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly everything; kept for safety
        raise ImportFileError("Không nhận ra bảng mã của tệp CSV: hãy lưu lại dưới dạng UTF-8.")
    if "\x00" in text[:4096]:
        raise ImportFileError(
            "Tệp không phải bảng tính CSV hay Excel (.xlsx) đọc được: hãy kiểm tra lại tệp."
        )
    first = text[: text.find("\n")] if "\n" in text else text
    delimiter = max([",", ";", "\t"], key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def generate() -> Iterator[list[Any]]:
        try:
            yield from reader
        except csv.Error as error:
            raise ImportFileError(f"Tệp CSV sai cấu trúc: {error}.") from error

    return generate()


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()
