"""Committee staff import existing members' records (a cell secretary's file may only update):
a file with errors first (the report says where), then a clean one, committed, and the new
members are in the cell's list. The worker runs beside gunicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser.support import BROWSER, Server, log_in, shot
from tests.members.import_files import row, xlsx

pytestmark = BROWSER

CELL = "Chi bộ Khu dân cư số 1"


def _file(tmp_path: Path, name: str, rows: list[list[Any]]) -> Path:
    path = tmp_path / name
    path.write_bytes(xlsx(rows))
    return path


def test_committee_staff_import_a_file_with_errors_then_a_clean_one(
    page: Any, server: Server, worker: None, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    log_in(page, server, "quanuy")
    page.get_by_role("navigation", name="Chức năng chính").get_by_role(
        "link", name="Nhập dữ liệu"
    ).click()
    expect(page.get_by_role("heading", name="Nhập dữ liệu từ Excel")).to_be_visible()

    bad = [row(1, CELL), row(2, CELL, **{"Ngày sinh": "31/02/1980"})]
    page.get_by_label("Tệp dữ liệu").set_input_files(str(_file(tmp_path, "loi.xlsx", bad)))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    expect(page.get_by_role("progressbar")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Tệp còn 1 lỗi", timeout=30_000)
    expect(page.locator("table")).to_contain_text("Ngày không có thật trên lịch")
    expect(page.get_by_role("link", name="Tải báo cáo kiểm tra", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name="Ghi dữ liệu", exact=False)).to_have_count(0)
    shot(page, "30-nhap-du-lieu-loi", full_page=True)

    page.get_by_role("link", name="Nhập tệp khác").click()
    good = [row(1, CELL), row(2, CELL, **{"Họ và tên": "Đỗ Thị Nhập"})]
    page.get_by_label("Tệp dữ liệu").set_input_files(str(_file(tmp_path, "sach.xlsx", good)))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    commit = page.get_by_role("button", name="Ghi dữ liệu (2 mới, 0 cập nhật)")
    expect(commit).to_be_visible(timeout=30_000)
    commit.click()
    expect(page.get_by_role("heading", name="Đã ghi dữ liệu")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Đã tạo 2, cập nhật 0")).to_be_visible()
    shot(page, "31-nhap-du-lieu-xong", full_page=True)

    expect(page.get_by_role("link", name="Xem danh sách đảng viên theo tổ chức")).to_be_visible()
    page.goto(f"{server.url}/to-chuc/{server.ids['cell_a']}/")
    expect(page.get_by_text("Đỗ Thị Nhập")).to_be_visible()
