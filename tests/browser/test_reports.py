"""A committee's report journey on a phone: open the report, follow a number to its members,
change the day, and download the workbook."""

from __future__ import annotations

from typing import Any

from tests.browser.support import BROWSER, Server, log_in, shot
from tests.xlsx import rows as xlsx_rows

pytestmark = BROWSER


def test_upper_staff_opens_a_report_drills_into_a_number_and_exports_it(
    page: Any, server: Server
) -> None:
    from playwright.sync_api import expect

    log_in(page, server, "quanuy")
    page.get_by_role("navigation", name="Chức năng chính").get_by_role(
        "link", name="Báo cáo"
    ).click()
    page.wait_for_url("**/bao-cao/*/")
    expect(page.get_by_role("heading", name="Đảng bộ quận Ba Đình", level=1)).to_be_visible()
    total = page.locator("tr", has_text="Tổng số đảng viên").locator("td.number a")
    expect(total).to_have_text("6")
    shot(page, "20-bao-cao", full_page=True)

    women = page.locator("#nhom-gender + table tr", has_text="Nữ").locator("td.number a")
    count = int(women.inner_text())
    women.click()
    page.wait_for_url("**/danh-sach/?chi-so=female*")
    expect(page.get_by_role("heading", name="Nữ, tính đến ngày", exact=False)).to_be_visible()
    expect(page.locator("table.members tbody tr")).to_have_count(count)
    expect(page.locator("table.members")).to_contain_text("Trần Thị Bình")
    shot(page, "21-danh-sach-sau-con-so")

    page.get_by_role("link", name="‹ Quay lại báo cáo").click()
    page.get_by_label("Tính đến ngày").fill("2014-12-31")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url("**?ngay=2014-12-31")
    expect(page.get_by_text("31/12/2014", exact=True)).to_be_visible()
    expect(total).to_have_text("0")  # the committee was founded on 01/01/2015

    page.get_by_role("link", name="Biến động").click()
    expect(page.get_by_role("rowheader", name="Kết nạp")).to_be_visible()

    page.get_by_role("link", name="Số lượng").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải Excel").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = xlsx_rows(download.path().read_bytes(), "Tổng số")
    assert sheet[0][0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    figures = {r[0]: r[1] for r in sheet[7:] if r[0]}
    assert figures["Tổng số đảng viên"] == 6
