"""The secretary finds a member by typing part of a name, without tones, and opens the record."""

from __future__ import annotations

from typing import Any

from tests.browser.support import BROWSER, Server, log_in, shot

pytestmark = BROWSER


def test_secretary_searches_as_she_types_and_opens_the_record(page: Any, server: Server) -> None:
    from playwright.sync_api import expect

    log_in(page, server, "bithu")
    page.get_by_role("navigation", name="Chức năng chính").get_by_role(
        "link", name="Tìm kiếm"
    ).click()
    page.wait_for_url("**/tim-kiem/")
    box = page.get_by_label("Họ tên, số thẻ đảng viên, số CCCD hoặc số điện thoại")
    box.press_sequentially("do duc", delay=40)
    results = page.locator("#ket-qua ol.search-results li")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Đỗ Đức Đạt")
    assert "q=do%20duc" in page.url  # the address keeps the search (back button, sharing)
    shot(page, "30-tim-kiem")

    box.fill("van")
    # Names starting with the query first, then any word, each in Vietnamese name order.
    expect(results).to_have_count(2)
    expect(results.nth(0)).to_contain_text("Nguyễn Văn An")
    expect(results.nth(1)).to_contain_text("Phạm Văn Ánh")  # not Hoàng Văn Cường: another cell

    box.fill("01234569")
    expect(results).to_have_count(1)
    results.first.get_by_role("link").click()
    page.wait_for_url("**/dang-vien/*/")
    expect(page.get_by_role("heading", name="Đỗ Đức Đạt", level=1)).to_be_visible()
