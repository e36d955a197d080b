"""A recognition on a phone: the cell's secretary finds a probationary member on the list of
probations ending, opens the case, uploads the dossier, is refused a resolution before the 12
months are over and reads why, records it after; the district committee decides, and the member
is official from the 12-month date."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.browser.support import BROWSER, Server, log_in, seeded_copy, shot

pytestmark = BROWSER

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A probationary member of cell A, admitted on 01/10/2025: 12 months end on 01/10/2026, the cell
# considers by 12/11/2026 (30 working days).
SEED = """
import datetime as dt, django, json
django.setup()
from dangvien.members.models import Status
from dangvien.members.services import member_create
from dangvien.orgs.models import Organization
cell = Organization.objects.get(name="Chi bộ Khu dân cư số 1")
member = member_create(
    acting_user=None, full_name="Vũ Thị Thu Hà", gender="F", date_of_birth=dt.date(1999, 4, 2),
    org=cell, admission_date=dt.date(2025, 10, 1), status=Status.PROBATIONARY,
)
print(json.dumps({"probationary": member.pk}))
"""


@pytest.fixture(scope="module")
def prepared_var(
    prepared_var: tuple[Path, dict[str, int]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, int]]:
    """This module's data in its own server's database (the other journeys count the cell's
    members)."""
    return seeded_copy(prepared_var, tmp_path_factory, "dangvien-recognition", SEED)


def _upload(page: Any, tmp_path: Path, code: str) -> None:
    scan = tmp_path / f"{code}.pdf"
    scan.write_bytes(PDF)
    page.locator("select[name=form_code]").select_option(value=code)
    page.locator("input[name=upload]").set_input_files(str(scan))
    page.get_by_role("button", name="Tải lên").click()
    page.wait_for_load_state()


def test_a_probationary_member_is_recognised_from_the_twelve_month_date(
    page: Any, server: Server, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    member_id = server.ids["probationary"]
    log_in(page, server, "bithu")
    page.goto(f"{server.url}/to-chuc/{server.ids['cell_a']}/du-bi-sap-het-han/")
    item = page.locator("li.case-item", has_text="Vũ Thị Thu Hà")
    expect(item).to_contain_text("hết 12 tháng dự bị ngày 01/10/2026")
    expect(item).to_contain_text("Chi bộ xét chậm nhất ngày 12/11/2026")
    shot(page, "80-du-bi-sap-het-han")

    # From the member's record, as the list offers it.
    page.goto(f"{server.url}/dang-vien/{member_id}/")
    page.get_by_role("link", name="Mở thủ tục công nhận chính thức").click()
    page.wait_for_url(f"**/dang-vien/{member_id}/cong-nhan-chinh-thuc/")
    expect(page.locator("dl.facts")).to_contain_text("01/10/2026")
    page.get_by_label("Ngày mở hồ sơ").fill("2026-09-20")
    page.get_by_role("button", name="Mở hồ sơ công nhận chính thức").click()
    page.wait_for_url("**/thu-tuc/*/")
    case_url = page.url
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Công nhận đảng viên chính thức: Vũ Thị Thu Hà"
    )
    for code in ("10-KNĐ", "11-KNĐ", "12-KNĐ"):
        _upload(page, tmp_path, code)
    expect(page.locator("section[aria-labelledby=tai-lieu]")).to_contain_text("12-KNĐ")
    page.get_by_role("link", name="Hoàn thành hồ sơ đề nghị công nhận chính thức").click()
    page.get_by_label("Ngày", exact=True).fill("2026-09-25")
    page.get_by_role("button", name="Ghi bước").click()
    page.wait_for_url(case_url)

    page.get_by_role(
        "link", name="Nghị quyết chi bộ đề nghị công nhận đảng viên chính thức"
    ).click()
    page.get_by_label("Ngày", exact=True).fill("2026-09-30")
    page.get_by_label("Số đảng viên chính thức có mặt").fill("5")
    page.get_by_label("Số tán thành").fill("5")
    page.get_by_label("Số không tán thành").fill("0")
    page.get_by_role("button", name="Ghi bước").click()
    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text("chưa hết 12 tháng dự bị")
    expect(refusal).to_contain_text("Căn cứ:")
    shot(page, "81-cong-nhan-tu-choi")
    page.get_by_label("Ngày", exact=True).fill("2026-11-05")
    page.get_by_role("button", name="Ghi bước").click()
    page.wait_for_url(case_url)
    expect(page.locator("main")).to_contain_text("Biểu quyết: 5/5 đảng viên chính thức tán thành")
    page.get_by_role("button", name="Đăng xuất").click()

    # The district committee records the grassroots resolution and decides, late.
    log_in(page, server, "quanuy")
    page.goto(case_url)
    page.get_by_role("link", name="Nghị quyết của đảng ủy cơ sở đề nghị công nhận").click()
    page.get_by_label("Ngày", exact=True).fill("2026-11-10")
    page.get_by_role("button", name="Ghi bước").click()
    page.wait_for_url(case_url)
    page.get_by_role("link", name="Quyết định công nhận đảng viên chính thức").click()
    page.get_by_label("Ngày", exact=True).fill("2026-11-30")
    page.get_by_label("Số, ký hiệu văn bản").fill("Số 88-QĐ/QU")
    page.get_by_role("button", name="Ghi bước").click()
    page.wait_for_url(case_url)
    expect(page.locator("main")).to_contain_text("Đã công nhận chính thức ngày 30/11/2026")
    expect(page.locator("main")).to_contain_text("Đảng viên chính thức từ ngày 01/10/2026")
    shot(page, "82-cong-nhan-xong", full_page=True)
    page.goto(f"{server.url}/dang-vien/{member_id}/")
    expect(page.locator(".subtitle .status")).to_have_text("Chính thức")
