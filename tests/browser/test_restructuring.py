"""Restructuring on a phone: open a grassroots organization, choose Move, read the preview (what
moves and the tree after), confirm, and find the organization under its new parent."""

from __future__ import annotations

from typing import Any

from tests.browser.support import BROWSER, Server, log_in, shot

pytestmark = BROWSER


def test_a_grassroots_committee_is_moved_under_the_province(page: Any, server: Server) -> None:
    from playwright.sync_api import expect

    log_in(page, server, "quantri")
    page.goto(f"{server.url}/to-chuc/{server.ids['grassroots']}/")
    page.get_by_role("link", name="Sắp xếp tổ chức").click()
    page.get_by_role("link", name="Chuyển", exact=True).click()
    expect(page.get_by_role("heading", name="Chuyển tổ chức", level=1)).to_be_visible()
    page.get_by_label("Chuyển về trực thuộc").select_option(
        label="Đảng bộ Thành phố (đảng bộ tỉnh, thành phố)"
    )
    page.get_by_role("button", name="Xem trước").click()

    expect(page.get_by_role("heading", name="Xem trước: chuyển tổ chức")).to_be_visible()
    figures = page.locator(".key-figures")
    expect(figures).to_contain_text("3 tổ chức được chuyển")
    expect(figures).to_contain_text("6 đảng viên được chuyển")
    tree = page.locator("ul.tree").first
    expect(tree).to_contain_text("Đảng bộ Thành phố")
    expect(tree.locator("li", has_text="chuyển đến").first).to_contain_text("Đảng bộ phường Kim Mã")
    expect(tree).to_contain_text("Chi bộ Khu dân cư số 1")
    old_parent = tree.locator("li", has_text="Đảng bộ quận Ba Đình").last  # the innermost
    expect(old_parent).to_contain_text("0 đảng viên")
    shot(page, "70-sap-xep-xem-truoc", full_page=True)

    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(f"**/to-chuc/{server.ids['grassroots']}/")
    expect(page.get_by_text("Đã chuyển «Đảng bộ phường Kim Mã».")).to_be_visible()
    crumbs = page.get_by_role("navigation", name="Vị trí trong cây tổ chức")
    expect(crumbs).to_contain_text("Đảng bộ Thành phố")
    expect(crumbs).not_to_contain_text("Đảng bộ quận Ba Đình")
    shot(page, "71-sap-xep-xong")
