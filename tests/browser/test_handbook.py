"""The handbook on a phone: a committee publishes a notice with a photo and an attached file, a
member reads it, sees the photo, downloads the file and confirms, the committee sees who has."""

from __future__ import annotations

import io
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
    page.get_by_label("Ảnh 1", exact=True).set_input_files(
        {"name": "hoi-truong.jpg", "mimeType": "image/jpeg", "buffer": _photo()}
    )
    page.get_by_label("Mô tả ảnh 1", exact=True).fill("Hội trường nhà văn hóa khu dân cư")
    page.get_by_label("Tệp đính kèm").set_input_files(
        {"name": "Chương trình họp.pdf", "mimeType": "application/pdf", "buffer": _pdf()}
    )
    shot(page, "29-viet-tin-kem-anh", full_page=True)
    page.get_by_role("button", name="Đăng", exact=True).click()
    expect(page.get_by_role("heading", name="Họp chi bộ tháng 12")).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()

    log_in(page, server, "dangvien")
    page.wait_for_url("**/so-tay/")
    item = page.locator(".feed-item", has_text="Họp chi bộ tháng 12")
    expect(item).to_contain_text("Chưa đọc")
    expect(item).to_contain_text("Cần xác nhận đã đọc")
    expect(item).to_contain_text("Có ảnh")
    expect(item).to_contain_text("Có tệp đính kèm")
    shot(page, "30-so-tay")
    item.get_by_role("link").click()
    expect(page.locator(".post-body b")).to_have_text("19 giờ")
    photo = page.get_by_role("img", name="Hội trường nhà văn hóa khu dân cư")
    photo.scroll_into_view_if_needed()
    expect(photo).to_have_js_property("complete", True)
    assert photo.evaluate("image => [image.naturalWidth, image.naturalHeight]") == [1280, 960]
    with page.expect_download() as download:
        page.get_by_role("link", name="Chương trình họp.pdf").click()
    assert download.value.suggested_filename == "Chương trình họp.pdf"
    assert download.value.path().read_bytes().startswith(b"%PDF-")
    shot(page, "31a-tin-co-anh", full_page=True)
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


def _photo() -> bytes:
    """A phone-size photo (4000×3000, with a location in its EXIF)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (4000, 3000), (180, 30, 30))
    ImageDraw.Draw(image).rectangle((800, 600, 3200, 2400), fill=(250, 220, 90))
    exif = Image.Exif()
    exif[0x8825] = {1: "N"}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def _pdf() -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "Chuong trinh hop chi bo thang 12")
    page.save()
    return out.getvalue()
