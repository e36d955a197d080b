"""The validation report: an XLSX of every problem found, and a summary sheet.

Written through the office spreadsheet writer, whose one policy keeps a value from the file that
looks like a formula as the text it is, never evaluated when the report is opened.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dangvien.members.imports.plan import Outcome
from dangvien.office.xlsx import Workbook


def write_report(outcome: Outcome, target: Path) -> None:
    with Workbook(target) as workbook:
        sheet = workbook.sheet("Lỗi")
        sheet.append(["Dòng", "Cột", "Giá trị", "Vấn đề", "Mức độ"])
        for p in outcome.problems:
            sheet.append([p.row, p.column, p.value, p.message, "Lỗi" if p.blocking else "Cảnh báo"])
        shown = len(outcome.problems)
        total = outcome.blocking + outcome.warnings
        if total > shown:
            sheet.append(["", "", "", f"… và {total - shown} vấn đề khác (chưa liệt kê).", ""])
        summary = workbook.sheet("Tóm tắt")
        for label, value in _summary_rows(outcome):
            summary.append([label, value])


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
