"""A secretary edits a record on a phone, enters an invalid CCCD, reads why, corrects it."""

from __future__ import annotations

from typing import Any

from tests.browser.support import BROWSER, Server, log_in, shot

pytestmark = BROWSER


def test_secretary_corrects_a_cccd_after_a_validation_error(page: Any, server: Server) -> None:
    from playwright.sync_api import expect

    log_in(page, server, "bithu")
    page.goto(f"{server.url}/dang-vien/{server.ids['member_binh']}/")
    page.get_by_role("link", name="Sửa hồ sơ").click()
    cccd = page.get_by_label("số CCCD", exact=False)
    cccd.fill("0011520012")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("phải gồm đúng 12 chữ số")).to_be_visible()
    expect(page.get_by_text("chưa được lưu")).to_be_visible()
    shot(page, "60-sua-ho-so-loi")
    page.get_by_label("số CCCD", exact=False).fill("001152001236")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"**/dang-vien/{server.ids['member_binh']}/")
    expect(page.get_by_text("Đã lưu hồ sơ.")).to_be_visible()
    expect(page.locator("body")).to_contain_text("001152001236")
