"""A member on a phone reads the handbook once with a network, then again without one."""

from __future__ import annotations

from typing import Any

from tests.browser.support import BROWSER, Server, log_in, shot

pytestmark = BROWSER


def test_recent_posts_stay_readable_offline(page: Any, server: Server) -> None:
    from playwright.sync_api import expect

    log_in(page, server, "quanuy")
    page.goto(server.url + "/so-tay/viet/")
    for title in ("Tin thứ nhất", "Tin thứ hai"):
        page.get_by_label("Tiêu đề").fill(title)
        page.get_by_label("Nội dung").fill(f"<p>Nội dung {title.lower()}.</p>")
        page.get_by_role("button", name="Đăng", exact=True).click()
        expect(page.get_by_role("heading", name=title)).to_be_visible()
        page.goto(server.url + "/so-tay/viet/")
    page.get_by_role("button", name="Đăng xuất").click()

    log_in(page, server, "dangvien")
    page.wait_for_url("**/so-tay/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the worker, which keeps the recent posts it is told of
    page.wait_for_function(
        "caches.open('dangvien-so-tay-v1').then(c => c.keys())"
        ".then(keys => keys.filter(k => /\\/so-tay\\/\\d+\\/$/.test(k.url)).length >= 2)"
    )
    page.context.set_offline(True)
    page.get_by_role("link", name="Tin thứ hai").click()
    expect(page.locator(".post-body")).to_contain_text("Nội dung tin thứ hai")
    shot(page, "50-doc-khi-mat-mang")
    page.goto(server.url + "/so-tay/")
    expect(page.get_by_text("Tin thứ nhất")).to_be_visible()
    page.context.set_offline(False)
