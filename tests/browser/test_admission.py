"""A whole admission on a phone: the cell's secretary registers a candidate, opens the case,
picks two introducers, uploads the dossier, records the cell's resolution (a vote under two
thirds is refused with the rule that decided); the committee above records the grassroots
resolution and the decision, which creates the probationary member; the secretary records the
ceremony, and the new member's record shows the procedure."""

from __future__ import annotations

from typing import Any

from tests.browser.support import BROWSER, Server, log_in, shot

pytestmark = BROWSER

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _step(page: Any, name: str, **fields: str) -> None:
    page.get_by_role("link", name=name).click()
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Ghi bước").click()


def test_an_admission_from_candidate_to_ceremony(page: Any, server: Server) -> None:
    from playwright.sync_api import expect

    log_in(page, server, "bithu")
    page.goto(f"{server.url}/thu-tuc/")
    # The procedures page links each kept node to its lists: the candidates' one here.
    page.locator("a[href*='/quan-chung-uu-tu/']", has_text="Chi bộ Khu dân cư số 1").click()
    page.get_by_role("link", name="Đưa vào danh sách").click()
    page.get_by_label("Họ và tên").fill("Vũ Minh Khoa")
    page.get_by_label("Giới tính").select_option(label="Nam")
    page.get_by_label("Ngày sinh").fill("1998-04-20")
    page.get_by_label("Giáo dục phổ thông").select_option(label="12/12")
    page.get_by_label("Nguồn").select_option(label="Đoàn viên thanh niên")
    page.get_by_label("Lớp bồi dưỡng nhận thức về Đảng").fill("Lớp nhận thức về Đảng khóa 1/2026")
    page.get_by_label("Ngày cấp giấy chứng nhận").fill("2026-01-10")
    page.get_by_label("Ngày đưa vào danh sách").fill("2026-01-05")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã đưa Vũ Minh Khoa vào danh sách.")).to_be_visible()

    page.get_by_label("Ngày nhận đơn xin vào Đảng").fill("2026-03-02")
    page.get_by_role("button", name="Mở hồ sơ kết nạp").click()
    expect(page.get_by_role("heading", name="Kết nạp đảng viên: Vũ Minh Khoa")).to_be_visible()
    case_url = page.url

    for query, name in (("nguyen van an", "Nguyễn Văn An"), ("binh", "Trần Thị Bình")):
        page.get_by_role("link", name="Thêm người giới thiệu").click()
        page.get_by_label("Tìm đảng viên").fill(query)
        page.get_by_role("button", name="Tìm").click()
        found = page.locator(".pick-list li", has_text=name).first
        found.get_by_label("Cùng công tác, học tập, sinh sống").fill("2020-01-01")
        found.get_by_role("button", name="Chọn người này").click()
        expect(page.get_by_text(f"Đã thêm người giới thiệu {name}.")).to_be_visible()

    for code in ("1-KNĐ", "2-KNĐ", "3-KNĐ", "3-KNĐ", "5-KNĐ"):
        page.get_by_label("Mẫu", exact=True).select_option(value=code)
        page.get_by_label("Bản quét").set_input_files(
            files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        page.get_by_role("button", name="Tải lên").click()
        expect(page.get_by_text(f"Đã thêm tài liệu {code}.")).to_be_visible()

    _step(page, "Hoàn thành hồ sơ xin vào Đảng", Ngày="2026-03-10")
    expect(page.get_by_text("Đã ghi bước «Hoàn thành hồ sơ xin vào Đảng».")).to_be_visible()

    votes = {
        "Ngày": "2026-03-16",
        "Số đảng viên chính thức có mặt": "5",
        "Số tán thành": "3",
        "Số không tán thành": "2",
    }
    _step(page, "Nghị quyết chi bộ đề nghị kết nạp", **votes)
    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text("Chỉ 3/5 đảng viên chính thức tán thành")
    expect(refusal).to_contain_text("Quy định 294-QĐ/TW")
    shot(page, "80-ket-nap-bieu-quyet-chua-du", full_page=True)
    page.get_by_label("Số tán thành").fill("5")
    page.get_by_label("Số không tán thành").fill("0")
    page.get_by_role("button", name="Ghi bước").click()
    expect(page.get_by_text("Đã ghi bước «Nghị quyết chi bộ đề nghị kết nạp».")).to_be_visible()

    page.context.clear_cookies()
    log_in(page, server, "quanuy")
    page.goto(case_url)
    _step(page, "Nghị quyết của đảng ủy cơ sở đề nghị kết nạp", Ngày="2026-03-20")
    waiting = page.locator(".case-waiting")
    expect(waiting).to_contain_text("Quyết định kết nạp đảng viên")
    expect(waiting).to_contain_text("Hạn: 11/06/2026")
    _step(
        page,
        "Quyết định kết nạp đảng viên",
        Ngày="2026-04-10",
        **{"Số, ký hiệu văn bản": "Số 12-QĐ/QU", "Ngày chi bộ nhận quyết định": "2026-04-13"},
    )
    expect(page.get_by_text("Đã ghi bước «Quyết định kết nạp đảng viên».")).to_be_visible()

    page.context.clear_cookies()
    log_in(page, server, "bithu")
    page.goto(case_url)
    expect(page.locator(".case-waiting")).to_contain_text("Hạn: 28/05/2026")
    _step(page, "Lễ kết nạp", Ngày="2026-05-05")
    expect(page.locator(".subtitle")).to_contain_text("Đã kết nạp ngày 05/05/2026")
    shot(page, "81-ket-nap-xong", full_page=True)

    page.get_by_role("link", name="Hồ sơ đảng viên").click()
    expect(page.get_by_role("heading", name="Vũ Minh Khoa", level=1)).to_be_visible()
    expect(page.locator(".subtitle").first).to_contain_text("Dự bị")
    procedures = page.locator("section", has=page.get_by_role("heading", name="Thủ tục"))
    expect(procedures).to_contain_text("Kết nạp đảng viên")
    expect(procedures).to_contain_text("Lễ kết nạp")
