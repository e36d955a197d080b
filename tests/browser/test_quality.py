"""Staff check the data quality of their committee on a phone: open the dashboard, run the check
(the worker runs it beside gunicorn), open the fix list, follow a record to its edit page,
correct it, check again and see it gone from the list."""

from __future__ import annotations

from typing import Any

from tests.browser.support import BROWSER, Server, log_in, shot

pytestmark = BROWSER


def test_staff_run_the_check_and_correct_a_record_from_the_fix_list(
    page: Any, server: Server, worker: None
) -> None:
    from playwright.sync_api import expect

    log_in(page, server, "quanuy")
    page.get_by_role("navigation", name="Chức năng chính").get_by_role(
        "link", name="Chất lượng dữ liệu"
    ).click()
    page.wait_for_url("**/chat-luong/*/")
    expect(page.get_by_role("heading", name="Đảng bộ quận Ba Đình", level=1)).to_be_visible()
    expect(page.get_by_text("Chưa kiểm tra chất lượng hồ sơ")).to_be_visible()

    page.get_by_role("button", name="Kiểm tra ngay").click()
    # The progress bar polls the task; the page reloads itself with the results once it is done.
    expect(page.get_by_text("hồ sơ không có lỗi")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("6 đảng viên đang sinh hoạt")).to_be_visible()
    expect(page.get_by_role("button", name="Kiểm tra lại")).to_be_visible()
    expect(page.get_by_role("link", name="Đảng bộ phường Kim Mã")).to_be_visible()  # a child
    shot(page, "80-chat-luong", full_page=True)

    page.get_by_role("link", name="Hồ sơ cần sửa").click()
    page.get_by_label("Lọc theo lỗi").select_option(label="Lỗi: Thiếu số CCCD (4)")
    page.wait_for_url("**/can-sua/?loi=missing_cccd")
    fix_list = page.url
    items = page.locator("li.fix")
    expect(items).to_have_count(4)
    expect(page.get_by_text("Xin đảng viên xuất trình thẻ căn cước")).to_be_visible()
    expect(items.filter(has_text="Trần Thị Bình")).to_have_count(0)  # she has a CCCD
    shot(page, "81-ho-so-can-sua", full_page=True)

    dat = items.filter(has_text="Đỗ Đức Đạt")
    dat.get_by_role("link", name="Sửa hồ sơ").first.click()
    page.wait_for_url("**/dang-vien/*/sua/")
    page.get_by_label("số CCCD", exact=False).fill("001075012345")  # a man born in 1975, Hà Nội
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu hồ sơ.")).to_be_visible()

    page.goto(fix_list)
    expect(page.get_by_text("đã được sửa sau lần kiểm tra")).to_be_visible()
    page.get_by_role("navigation", name="Chất lượng dữ liệu").get_by_role(
        "link", name="Tổng quan chất lượng"
    ).click()
    page.get_by_role("button", name="Kiểm tra lại").click()
    expect(page.get_by_text("Đã bắt đầu kiểm tra")).to_be_visible()
    expect(page.get_by_role("button", name="Kiểm tra lại")).to_be_visible(timeout=30_000)
    page.get_by_role("link", name="Thiếu số CCCD").click()
    expect(page.locator("li.fix")).to_have_count(3)
    expect(page.locator("li.fix").filter(has_text="Đỗ Đức Đạt")).to_have_count(0)
