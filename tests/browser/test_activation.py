"""A secretary gives a member the code; the member opens the account on a phone, then signs in
with the CCCD."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.support import BROWSER, Server, log_in, shot

pytestmark = BROWSER
PASSWORD = "sen-hồng-nở-2026"


def test_a_secretary_activates_a_member_who_then_signs_in_on_a_phone(
    page: Any, server: Server
) -> None:
    from playwright.sync_api import expect

    log_in(page, server, "bithu")
    page.goto(f"{server.url}/dang-vien/{server.ids['member_binh']}/")
    page.get_by_role("link", name="Cấp mã kích hoạt").click()
    page.get_by_role("button", name="Cấp mã kích hoạt").click()
    slip = page.locator(".activation-code")
    expect(slip).to_be_visible()
    code = re.sub(r"\D", "", slip.inner_text())
    assert len(code) == 8
    expect(page.locator(".qr svg")).to_be_visible()
    shot(page, "40-ma-kich-hoat")
    page.get_by_role("button", name="Đăng xuất").click()

    page.goto(f"{server.url}/kich-hoat/")
    page.get_by_label("Số CCCD hoặc số điện thoại").fill("001152001235")
    page.get_by_label("Mã kích hoạt", exact=False).fill(code)
    page.get_by_label("Mật khẩu mới", exact=True).fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu mới").fill(PASSWORD)
    shot(page, "41-kich-hoat")
    page.get_by_role("button", name="Kích hoạt và đăng nhập").click()
    page.wait_for_url("**/so-tay/")
    expect(page.get_by_role("heading", name="Sổ tay đảng viên")).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()

    page.goto(server.url + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("001152001235")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/so-tay/")
