"""The member's side of the handbook on a phone: finding a document without tones, saving it and
reading it offline; every member page passes axe-core with no serious violation and weighs under
100 KB before images, and the feed is usable on a 3G connection."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

from tests.browser.support import BROWSER, PHONE, Server, log_in, shot

pytestmark = BROWSER

SUMMARY = "Về tăng cường công tác phát triển đảng viên ở khu dân cư"
NUMBER = "15-NQ/ĐU"
BUDGET = 100 * 1024  # bytes of a page before images: HTML, styles, scripts, manifest, fonts
# Chromium's "3G" preset in its developer tools: 1.6 Mbit/s down, 750 kbit/s up, 150 ms × 3.75.
REGULAR_3G = {
    "offline": False,
    "latency": 562.5,
    "downloadThroughput": 1.6 * 1024 * 1024 / 8 * 0.9,
    "uploadThroughput": 750 * 1024 / 8 * 0.9,
}


def _pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    sheet.drawString(72, 760, "Nghi quyet ve cong tac phat trien dang vien o khu dan cu.")
    sheet.save()
    path.write_bytes(buffer.getvalue())
    return path


def _fill_document(page: Any, path: Path, number: str, summary: str) -> None:
    page.get_by_label("Số/ký hiệu").fill(number)
    page.get_by_label("Loại văn bản").select_option("nghi_quyet")
    page.get_by_label("Cơ quan ban hành").fill("Đảng ủy phường Kim Mã")
    page.get_by_label("Ngày ban hành").fill("2026-11-20")
    page.get_by_label("Trích yếu").fill(summary)
    page.get_by_label("Tệp văn bản", exact=False).set_input_files(_pdf(path))
    page.get_by_role("button", name="Đăng văn bản").click()
    page.wait_for_url("**/so-tay/van-ban/*/")


def _fill_post(page: Any, title: str, body: str, kind: str = "notice") -> None:
    page.get_by_label("Loại").select_option(kind)
    page.get_by_label("Tiêu đề").fill(title)
    page.get_by_label("Nội dung").fill(body)
    page.get_by_role("button", name="Đăng", exact=True).click()
    page.get_by_role("heading", name=title).wait_for()


def _publish_document(page: Any, server: Server, tmp_path: Path) -> None:
    log_in(page, server, "quanuy")
    page.goto(server.url + "/so-tay/viet/?van-ban=1")
    _fill_document(page, tmp_path / "nq15.pdf", NUMBER, SUMMARY)
    page.goto(server.url + "/so-tay/viet/")
    _fill_post(page, "Học tập nghị quyết 15", "<p>Các chi bộ học tập trong <b>tháng 12</b>.</p>")
    page.get_by_role("button", name="Đăng xuất").click()


def test_a_member_finds_a_document_without_tones_saves_it_and_reads_it_offline(
    page: Any, server: Server, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    _publish_document(page, server, tmp_path)
    log_in(page, server, "dangvien")
    page.wait_for_url("**/so-tay/")
    page.get_by_role("link", name="Văn bản").click()
    page.get_by_label("Tìm văn bản").press_sequentially("phat trien dang vien khu dan cu")
    result = page.locator("#van-ban .feed-item", has_text=NUMBER)
    expect(result).to_be_visible()
    expect(page.locator("#van-ban .feed-item")).to_have_count(1)
    shot(page, "60-tim-van-ban-khong-dau")
    result.get_by_role("link").click()
    expect(page.get_by_role("heading", name=NUMBER)).to_be_visible()
    page.get_by_role("button", name="Lưu văn bản").click()
    expect(page.get_by_text("Đã lưu văn bản.")).to_be_visible()
    expect(page.get_by_role("button", name="Bỏ lưu")).to_have_attribute("aria-pressed", "true")
    document_url = page.url

    # The feed tells the service worker what to keep: the saved document's page and its file.
    page.goto(server.url + "/so-tay/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function(
        "caches.open('dangvien-so-tay-v1').then(c => c.keys())"
        ".then(keys => keys.some(k => /\\/so-tay\\/van-ban\\/\\d+\\/tep\\/$/.test(k.url)))"
    )
    page.context.set_offline(True)
    page.goto(document_url)
    expect(page.get_by_role("heading", name=NUMBER)).to_be_visible()
    expect(page.locator(".lead")).to_have_text(SUMMARY)
    shot(page, "61-van-ban-khi-mat-mang")
    data = page.evaluate(
        "url => fetch(url).then(r => r.arrayBuffer())"
        ".then(b => Array.from(new Uint8Array(b).slice(0, 5)))",
        document_url + "tep/",
    )
    assert bytes(data) == b"%PDF-"
    page.context.set_offline(False)


def _member_pages(server: Server) -> list[tuple[str, str, bool]]:
    """(name, path, signed in) of the pages a member uses."""
    return [
        ("đăng nhập", "/dang-nhap/", False),
        ("kích hoạt", "/kich-hoat/", False),
        ("sổ tay", "/so-tay/", True),
        ("thư viện", "/so-tay/van-ban/", True),
        ("tìm văn bản", "/so-tay/van-ban/?q=phat+trien", True),
        ("đổi mật khẩu", "/doi-mat-khau/", True),
    ]


def _page_links(page: Any, server: Server) -> list[tuple[str, str, bool]]:
    """A post and a document the member can open, found from the feed and the library."""
    page.goto(server.url + "/so-tay/")
    post = page.locator(".feed-item a").first.get_attribute("href")
    page.goto(server.url + "/so-tay/van-ban/")
    document = page.locator("#van-ban .feed-item a").first.get_attribute("href")
    return [("tin bài", post, True), ("văn bản", document, True)]


def test_member_pages_are_accessible_light_and_usable_on_3g(
    page: Any, server: Server, tmp_path: Path
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    _publish_document(page, server, tmp_path)
    log_in(page, server, "dangvien")
    pages = _member_pages(server) + _page_links(page, server)
    signed_in = page.context.storage_state()

    axe = Axe()
    violations: dict[str, list[str]] = {}
    weights: dict[str, int] = {}  # decoded bytes: what the phone parses
    wire: dict[str, int] = {}  # bytes over the network (compressed)
    browser = page.context.browser
    for name, path, member in pages:
        # A fresh context each time: nothing cached, no service worker answering.
        context = browser.new_context(
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            locale="vi-VN",
            service_workers="block",
            storage_state=signed_in if member else None,
            # No colour transitions: axe would otherwise measure a button still fading into the
            # high-contrast colours it has just been switched to.
            reduced_motion="reduce",
        )
        tab = context.new_page()
        response = tab.goto(server.url + path)
        assert response is not None and response.status == 200, (name, path)
        assert ("/dang-nhap/" in tab.url) == (path == "/dang-nhap/"), (name, tab.url)
        tab.wait_for_load_state("networkidle")
        # Every response of the page (navigation and resources) but images, from the browser's
        # own resource timing: decoded bytes and bytes over the network.
        sizes = tab.evaluate(
            "performance.getEntriesByType('navigation').concat("
            "performance.getEntriesByType('resource').filter(e => e.initiatorType !== 'img'))"
            ".map(e => [e.decodedBodySize, e.transferSize])"
        )
        weights[name] = sum(decoded for decoded, _ in sizes)
        wire[name] = sum(transferred for _, transferred in sizes)
        for mode in ("", " (tương phản cao)"):
            if mode:
                tab.get_by_role("button", name="Tương phản").click()
                tab.wait_for_function(
                    "document.documentElement.classList.contains('contrast-high')"
                )
            found = axe.run(tab, options={"runOnly": ["wcag2a", "wcag2aa", "best-practice"]})
            violations[name + mode] = [
                f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])})"
                for v in found.response["violations"]
            ]
        for _ in range(2):  # normal → large → very large: it must still fit the phone
            tab.get_by_role("button", name="Chữ to hơn").click()
        tab.wait_for_function("document.documentElement.classList.contains('text-xlarge')")
        overflow = tab.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"{name}: the page scrolls sideways at the largest text size"
        context.close()

    slow = browser.new_context(
        viewport=PHONE, is_mobile=True, locale="vi-VN", storage_state=signed_in
    )
    tab = slow.new_page()
    cdp = slow.new_cdp_session(tab)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", REGULAR_3G)
    started = time.monotonic()
    tab.goto(server.url + "/so-tay/", wait_until="domcontentloaded")
    tab.get_by_role("heading", name="Sổ tay đảng viên").wait_for()
    usable = time.monotonic() - started
    slow.close()

    # The issue asks for no serious violation; the pages have none of any impact, and keep it so.
    assert {name: found for name, found in violations.items() if found} == {}
    assert {name: size for name, size in weights.items() if size >= BUDGET} == {}, weights
    print(f"\npage weights (bytes): {weights}; over the wire: {wire}; feed on 3G in {usable:.1f} s")
    assert usable < 5, f"the feed took {usable:.1f} s to be readable on 3G"


def test_a_member_never_sees_what_is_sent_to_another_cell(
    page: Any, server: Server, tmp_path: Path
) -> None:
    """The upper committee sends a notice and a document to cell B only: the member of cell A
    finds neither in the feed or the library, and their addresses answer 404."""
    from playwright.sync_api import expect

    log_in(page, server, "quanuy")
    page.goto(f"{server.url}/so-tay/viet/{server.ids['grassroots']}/")
    page.get_by_label("Chi bộ Khu dân cư số 2").check()
    _fill_post(page, "Riêng chi bộ số 2", "<p>Họp riêng chi bộ số 2.</p>")
    post_url = page.url
    page.goto(f"{server.url}/so-tay/van-ban/dang/{server.ids['cell_b']}/")
    _fill_document(page, tmp_path / "kh.pdf", "07-KH/CB", "Kế hoạch riêng của chi bộ số 2")
    document_url = page.url
    page.get_by_role("button", name="Đăng xuất").click()

    log_in(page, server, "dangvien")
    page.wait_for_url("**/so-tay/")
    expect(page.locator("main")).not_to_contain_text("Riêng chi bộ số 2")
    page.goto(server.url + "/so-tay/van-ban/?q=ke+hoach+rieng")
    expect(page.locator("#van-ban")).to_contain_text("Không tìm thấy văn bản nào")
    for url in (post_url, document_url, document_url + "tep/"):
        response = page.goto(url)
        assert response is not None and response.status == 404, url
