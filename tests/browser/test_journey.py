"""A cell secretary's journey in headless Chromium against the real production server.

gunicorn serves the app with DEBUG off, a scratch SQLite database and collected static files, as
in production (not pytest-django's live_server: the audit table's append-only trigger would stop
its flush). Screenshots of a phone-size screen go to test-artifacts/.
"""

from __future__ import annotations

import re
from typing import Any

from tests.browser.support import BROWSER, Server, log_in, shot

pytestmark = BROWSER


def test_secretary_journey(page: Any, server: Server) -> None:
    from playwright.sync_api import expect

    page.goto(server.url + "/")
    expect(page).to_have_url(f"{server.url}/dang-nhap/?next=/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    shot(page, "01-dang-nhap")

    log_in(page, server, "bithu")
    # A secretary lands on the key figures of the cell, one tap from the tree.
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()
    expect(page.locator(".key-figures")).to_contain_text("5 đảng viên")
    shot(page, "02-tong-quan")
    page.get_by_role("navigation", name="Chức năng chính").get_by_role(
        "link", name="Tổ chức đảng"
    ).click()
    page.wait_for_url("**/to-chuc/")
    expect(page.get_by_text("Ngô Thị Lan")).to_be_visible()
    expect(page.get_by_text("Bí thư chi bộ")).to_be_visible()
    cell = page.get_by_role("link", name="Chi bộ Khu dân cư số 1")
    expect(cell).to_contain_text("5 đảng viên")
    expect(page.get_by_text("Chi bộ Khu dân cư số 2")).to_have_count(0)
    shot(page, "02-to-chuc")

    cell.click()
    page.wait_for_url(f"**/to-chuc/{server.ids['cell_a']}/")
    rows = page.locator("table.members tbody tr")
    expect(rows).to_have_count(5)
    # Vietnamese order: by given name, then middle, then family name (An < Ánh < Bình …).
    expect(rows.locator("th")).to_have_text(
        ["Nguyễn Văn An", "Phạm Văn Ánh", "Trần Thị Bình", "Đỗ Đức Đạt", "Lê Thị Hồng Nhung"]
    )
    shot(page, "03-danh-sach")

    page.get_by_label("Tìm đảng viên").press_sequentially("nguyen van an", delay=30)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Nguyễn Văn An")
    # The search is in the address: back, reload and sharing keep it.
    expect(page).to_have_url(re.compile(r"\?q=nguyen(\+|%20)van(\+|%20)an"))
    shot(page, "04-tim-kiem")
    page.locator("#ket-qua").scroll_into_view_if_needed()
    shot(page, "04-tim-kiem-ket-qua")

    page.get_by_role("link", name="Nguyễn Văn An").click()
    page.wait_for_url(f"**/dang-vien/{server.ids['member_a']}/")
    expect(page.get_by_role("heading", name="Nguyễn Văn An", level=1)).to_be_visible()
    expect(page.locator(".facts dd", has_text="001048001234")).to_be_visible()
    expect(page.get_by_role("heading", name="Lịch sử hồ sơ")).to_be_visible()
    expect(page.locator(".trail-view").first).to_contain_text("Ngô Thị Lan")
    shot(page, "05-ho-so")
    shot(page, "05-ho-so-ca-trang", full_page=True)

    response = page.goto(f"{server.url}/dang-vien/{server.ids['member_b']}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Không tìm thấy trang")).to_be_visible()
    expect(page.get_by_text("Hoàng Văn Cường")).to_have_count(0)
    shot(page, "06-khong-tim-thay")

    page.goto(f"{server.url}/to-chuc/")
    html = page.locator("html")
    expect(html).to_have_class("text-normal")
    page.get_by_role("button", name="Chữ to hơn").click()
    expect(html).to_have_class("text-large")
    page.reload()
    expect(html).to_have_class("text-large")
    shot(page, "07-chu-lon")

    page.get_by_role("button", name="Tương phản cao").click()
    page.reload()
    expect(html).to_have_class("text-large contrast-high")
    expect(page.get_by_role("button", name="Tương phản cao")).to_have_attribute(
        "aria-pressed", "true"
    )
    shot(page, "08-tuong-phan-cao")

    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/dang-nhap/")


def test_tree_opens_and_closes_nodes_on_demand(page: Any, server: Server) -> None:
    from playwright.sync_api import expect

    log_in(page, server, "quanuy")
    page.goto(server.url + "/to-chuc/")
    # The single root (the district) is open; its grassroots committee loads on demand.
    toggle = page.get_by_role("button", name="Các tổ chức trực thuộc Đảng bộ phường Kim Mã")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="Chi bộ Khu dân cư số 2")).to_be_visible()
    expect(page.get_by_role("link", name="Chi bộ Khu dân cư số 1")).to_contain_text("5 đảng viên")
    shot(page, "09-cay-mo-rong")
    toggle.click()
    expect(page.get_by_role("link", name="Chi bộ Khu dân cư số 2")).to_be_hidden()
    toggle.click()
    expect(page.get_by_role("link", name="Chi bộ Khu dân cư số 2")).to_be_visible()
