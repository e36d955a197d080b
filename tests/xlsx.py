"""Reading the XLSX files the application writes, the way a test compares them: python-calamine's
values with an empty cell as None and a whole number as an int (Excel stores every number as a
float)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import IO, Any

from dangvien.office.xlsx import read_rows, sheet_names

__all__ = ["rows", "sheet_names"]


def _value(value: Any) -> Any:
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def rows(source: Path | bytes | IO[bytes], sheet: int | str = 0) -> list[list[Any]]:
    return [[_value(value) for value in row] for row in read_rows(source, sheet)]


def sheet_xml(source: Path | bytes, index: int = 1) -> str:
    """The XML of a sheet as stored, to see how a cell is written (a string, or a formula)."""
    data = source.read_bytes() if isinstance(source, Path) else source
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(f"xl/worksheets/sheet{index}.xml").decode()


def styles_xml(source: Path | bytes) -> str:
    data = source.read_bytes() if isinstance(source, Path) else source
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/styles.xml").decode()
