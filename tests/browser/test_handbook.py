"""The handbook on a phone: a committee publishes a notice, a member reads and confirms it, the
committee sees who has."""

from __future__ import annotations

from typing import Any

from tests.browser.support import BROWSER, Server, log_in, shot

pytestmark = BROWSER


def test_a_notice_goes_down_and_its_confirmation_comes_back(page: Any, server: Server) -> None:
    from playwright.sync_api import expect

    log_in(page, server, "quanuy")
    page.goto(server.url + "/so-tay/viet/")
    expect(page.get_by_role("heading", name="Viết tin bài, thông báo")).to_be_visible()
    page.get_by_label("Loại").select_option("notice")
    page.get_by_label("Tiêu đề").fill("Họp chi bộ tháng 12")
    page.get_by_label("Nội dung").fill("<p>Mời các đồng chí dự họp lúc <b>19 giờ</b> thứ Sáu.</p>")
    page.get_by_role("button", name="Đăng", exact=True).click()
    expect(page.get_by_role("heading", name="Họp chi bộ tháng 12")).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()

    log_in(page, server, "dangvien")
    page.wait_for_url("**/so-tay/")
    item = page.locator(".feed-item", has_text="Họp chi bộ tháng 12")
    expect(item).to_contain_text("Chưa đọc")
    expect(item).to_contain_text("Cần xác nhận đã đọc")
    shot(page, "30-so-tay")
    item.get_by_role("link").click()
    expect(page.locator(".post-body b")).to_have_text("19 giờ")
    page.get_by_role("button", name="Tôi đã đọc thông báo này").click()
    expect(page.get_by_text("Đã ghi nhận")).to_be_visible()
    shot(page, "31-thong-bao-da-doc")
    page.get_by_role("button", name="Đăng xuất").click()

    log_in(page, server, "quanuy")
    page.goto(server.url + "/so-tay/")
    page.get_by_role("link", name="Họp chi bộ tháng 12").click()
    page.get_by_role("link", name="Xem ai đã đọc").click()
    row = page.locator("tr", has_text="Chi bộ Khu dân cư số 1")
    expect(row.locator("td.number").nth(2)).to_have_text("1")
    expect(page.locator("body")).to_contain_text("1 người đã xác nhận")
    shot(page, "32-ai-da-doc")
