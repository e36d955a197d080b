"""Malformed files answer with a clear message, never a 500 and never a partial write."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.members.import_files import csv_bytes, row, xlsx
from tests.xlsx import rows as xlsx_rows
from tests.xlsx import sheet_names, sheet_xml, styles_xml

from dangvien.jobs.models import Job
from dangvien.members.models import Member

pytestmark = pytest.mark.django_db


def check(client, content: bytes, name: str = "ds.xlsx") -> Job:
    """Upload, and commit when the check allows it; the outcome is a task, never an exception."""
    before = Member.objects.count()
    response = client.post(reverse("import_start"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code in (200, 302)
    if response.status_code == 200:  # refused by the form itself
        assert "Tệp" in response.content.decode()
        return Job(status="failed", message="form")
    task = Job.objects.order_by("-id").first()
    assert task.status in ("done", "failed")
    page = client.get(response["Location"])
    assert page.status_code == 200
    if task.status == "failed":
        assert task.message and "ngoài dự kiến" not in task.message, task.message
        assert Member.objects.count() == before
    return task


def _broken_zip() -> bytes:
    good = xlsx([row(1)])
    return good[: len(good) // 2]


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return out.getvalue()


def _formulas() -> bytes:
    return xlsx(
        [
            [
                "1",
                '=HYPERLINK("http://x")',
                "Nam",
                "=TODAY()",
                "=1+1",
                "",
                "01/01/2000",
                "",
                "Kinh",
                "",
                "Chi bộ 1",
            ]
        ]
    )


def _wrong_types() -> bytes:
    return xlsx([[True, 12.5, 3, -1, 1e30, -7.25, True, 99999999, None, 0, 3.14]])


HAND_MADE = {
    "empty.xlsx": b"",
    "broken.xlsx": _broken_zip(),
    "notzip.xlsx": b"PK\x03\x04garbage" * 10,
    "other.xlsx": _zip_without_workbook(),
    "legacy.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
    "formulas.xlsx": _formulas(),
    "types.xlsx": _wrong_types(),
    "huge-cell.csv": csv_bytes([row(1, **{"Họ và tên": "A" * 100_000})]),
    "no-header.csv": b"a,b,c\n1,2,3\n",
    "header-only.csv": csv_bytes([]),
    "binary.csv": bytes(range(256)) * 20,
    "quotes.csv": b'Ho ten,So CCCD\n"unterminated,001\n',
    "cp1258.csv": "Ho ten;So CCCD;Chi bo\nLê Văn Bé;001080000001;Chi bo 1\n".encode("cp1258"),
}


@pytest.mark.parametrize("name", sorted(HAND_MADE))
def test_a_malformed_file_is_answered_with_a_message(world, as_persona, name):
    task = check(as_persona("secretary"), HAND_MADE[name], name)
    if name in ("formulas.xlsx", "types.xlsx", "huge-cell.csv"):
        assert task.status == "done" and task.summary["blocking"] > 0


def test_formulas_are_never_evaluated(world, as_persona):
    # A workbook saved without computed values: the formula cells read as empty.
    task = check(as_persona("secretary"), _formulas())
    messages = " ".join(p["message"] for p in task.summary["problems"])
    assert "Thiếu «Họ và tên»" in messages


def test_a_formula_written_as_text_is_reported(world, as_persona):
    content = csv_bytes([row(1, **{"Họ và tên": "=cmd|' /C calc'!A0"})])
    task = check(as_persona("secretary"), content, "ds.csv")
    assert task.summary["problems"][0]["message"] == "Ô chứa công thức: hãy ghi giá trị."


def test_the_report_keeps_a_formula_as_the_text_it_is(world, as_persona):
    # The report shows the value unchanged (no apostrophe added), stored as a string cell with
    # Excel's quote prefix: nothing is evaluated when it is opened, nor when it is edited.
    formula = "=cmd|' /C calc'!A0"
    client = as_persona("secretary")
    task = check(client, csv_bytes([row(1, **{"Họ và tên": formula})]), "ds.csv")
    response = client.get(reverse("task_download", args=[task.pk]))
    content = b"".join(response.streaming_content)
    problems = xlsx_rows(content, "Lỗi")
    assert problems[0] == ["Dòng", "Cột", "Giá trị", "Vấn đề", "Mức độ"]
    assert [2, "Họ và tên", formula, "Ô chứa công thức: hãy ghi giá trị.", "Lỗi"] in problems
    assert "<f>" not in sheet_xml(content) and 'quotePrefix="1"' in styles_xml(content)
    assert sheet_names(content) == ["Lỗi", "Tóm tắt"]
    assert ["Tệp", "ds.csv"] in xlsx_rows(content, "Tóm tắt")


def test_a_hundred_thousand_rows_of_garbage_are_refused_row_by_row(world, as_persona):
    garbage = [
        [f"x{i}", "?", "31/13/2020", "abc", "", "", "", "", "", "", "nowhere"]
        for i in range(100_000)
    ]
    task = check(as_persona("secretary"), csv_bytes(garbage), "rac.csv")
    assert task.status == "done"
    assert task.summary["rows"] == 100_000 and task.summary["create"] == 0
    assert task.summary["blocking"] >= 100_000


cells = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["Nam", "Nữ", "05/09/1980", "2010-03-02", "001080000001", "Chi bộ 1", "="]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(cells, min_size=0, max_size=13), min_size=0, max_size=8))
def test_any_table_under_known_headers_is_checked_without_crashing(world, as_persona, rows):
    def plain(value):
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            return str(value)
        return value

    task = check(as_persona("secretary"), xlsx([[plain(c) for c in r] for r in rows]))
    if task.status == "done" and not task.summary["blocking"] and task.summary["create"]:
        client = as_persona("secretary")
        response = client.post(reverse("import_commit", args=[task.pk]))
        assert response.status_code == 302
        assert Job.objects.order_by("-id").first().status == "done"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.binary(max_size=2000), name=st.sampled_from(["a.xlsx", "a.csv"]))
def test_any_bytes_are_answered_with_a_message(world, as_persona, content, name):
    check(as_persona("secretary"), content, name)


def test_control_characters_in_a_csv_are_reported_in_a_readable_report(world, as_persona):
    content = csv_bytes([row(1, **{"Giới tính": "N\x01\x02m"})])
    task = check(as_persona("secretary"), content, "ds.csv")
    assert task.status == "done" and task.summary["blocking"] == 1


def test_a_zip_bomb_is_refused_before_it_is_inflated(world, as_persona, monkeypatch):
    from dangvien.members.imports import read

    monkeypatch.setattr(read, "MAX_UNZIPPED_BYTES", 1000)
    task = check(as_persona("secretary"), xlsx([row(n) for n in range(50)]))
    assert task.status == "failed" and "quá lớn khi giải nén" in task.message
