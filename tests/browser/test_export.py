"""A secretary exports a filtered list of the cell as the sổ danh sách (mẫu 7-HSĐV): the export
page, the background task with its progress, the download. The worker runs beside gunicorn."""

from __future__ import annotations

from typing import Any

from tests.browser.support import BROWSER, Server, log_in, shot
from tests.xlsx import rows as xlsx_rows

pytestmark = BROWSER


def test_a_secretary_exports_the_women_of_the_cell_as_the_member_book(
    page: Any, server: Server, worker: None
) -> None:
    from playwright.sync_api import expect

    log_in(page, server, "bithu")
    page.goto(f"{server.url}/to-chuc/{server.ids['cell_a']}/")
    page.get_by_text("Lọc thêm").click()
    page.get_by_label("Giới tính").select_option(label="Nữ")
    expect(page.locator("table.members")).not_to_contain_text("Nguyễn Văn An")
    page.get_by_role("link", name="Xuất danh sách này ra Excel…").click()

    expect(page.get_by_role("heading", name="Xuất danh sách ra Excel")).to_be_visible()
    expect(page.get_by_text("Giới tính: Nữ")).to_be_visible()
    page.get_by_label("Sổ danh sách đảng viên (mẫu 7-HSĐV)").check()
    shot(page, "40-xuat-excel", full_page=True)
    page.get_by_role("button", name="Tạo tệp Excel").click()

    download_link = page.get_by_role("link", name="Tải về so-danh-sach", exact=False)
    expect(download_link).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Đã xong")).to_be_visible()
    shot(page, "41-xuat-excel-xong", full_page=True)
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename.startswith("so-danh-sach-chi-bo-khu-dan-cu-so-1-")
    rows = xlsx_rows(download.path().read_bytes())
    assert rows[0][0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    names = [row[1].split("\n")[0] for row in rows if isinstance(row[0], int)]
    assert names == ["Trần Thị Bình", "Lê Thị Hồng Nhung"]
