"""The validation report: an XLSX of every problem found, and a summary sheet.

Values from the file that a spreadsheet would read as a formula are written as text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dangvien.members.imports.plan import Outcome


def write_report(outcome: Outcome, target: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def clean(text: str) -> str:
        return ILLEGAL_CHARACTERS_RE.sub("?", text)

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Lỗi")
    sheet.append(["Dòng", "Cột", "Giá trị", "Vấn đề", "Mức độ"])
    for p in outcome.problems:
        value = p.value
        if value.startswith(("=", "+", "-", "@")):
            value = "'" + value  # shown as text, never evaluated when the report is opened
        sheet.append(
            [
                p.row,
                clean(p.column),
                clean(value),
                clean(p.message),
                "Lỗi" if p.blocking else "Cảnh báo",
            ]
        )
    shown = len(outcome.problems)
    total = outcome.blocking + outcome.warnings
    if total > shown:
        sheet.append(["", "", "", f"… và {total - shown} vấn đề khác (chưa liệt kê).", ""])
    summary = workbook.create_sheet("Tóm tắt")
    for label, value in _summary_rows(outcome):
        summary.append([label, clean(value) if isinstance(value, str) else value])
    workbook.save(target)


def _summary_rows(outcome: Outcome) -> list[tuple[str, Any]]:
    plan = outcome.plan
    return [
        ("Tệp", plan.filename),
        ("Số dòng dữ liệu", plan.rows),
        ("Sẽ tạo mới", plan.created),
        ("Sẽ cập nhật", len(plan.updates)),
        ("Không thay đổi", plan.unchanged),
        ("Dòng có lỗi", outcome.problem_rows),
        ("Lỗi", outcome.blocking),
        ("Cảnh báo", outcome.warnings),
    ]
