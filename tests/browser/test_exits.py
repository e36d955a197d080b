"""A striking off on a phone: the cell's secretary opens it from the member's record, records the
cell's resolution (two thirds of the official members) and the ward committee's opinion; the
district committee decides today. The list of the cell's members on today's report no longer
holds the member; yesterday's still does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from tests.browser.support import BROWSER, Server, log_in, seeded_copy, shot

pytestmark = BROWSER

# A member of cell A to strike off; the cell's official members today (the vote's base) and
# today's date where the installation is (the day the forms offer).
SEED = """
import datetime as dt, django, json
django.setup()
from django.utils import timezone
from dangvien.members.models import Status
from dangvien.members.selectors import members_of_org_on
from dangvien.members.services import member_create
from dangvien.orgs.models import Organization
cell = Organization.objects.get(name="Chi bộ Khu dân cư số 1")
member = member_create(
    acting_user=None, full_name="Lưu Văn Vắng", gender="M", date_of_birth=dt.date(1979, 6, 1),
    org=cell, admission_date=dt.date(2005, 5, 19), status=Status.OFFICIAL,
)
today = timezone.localdate()
print(json.dumps({"leaving": member.pk, "exit_cell": cell.pk,
                  "officials": members_of_org_on(cell, today).count(),
                  "today": today.toordinal()}))
"""


@pytest.fixture(scope="module")
def prepared_var(
    prepared_var: tuple[Path, dict[str, int]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, int]]:
    """This module's data in its own server's database (the other journeys count the cell's
    members)."""
    return seeded_copy(prepared_var, tmp_path_factory, "dangvien-exits", SEED)


def test_a_striking_off_leaves_todays_report_and_not_yesterdays(page: Any, server: Server) -> None:
    from playwright.sync_api import expect

    ids = server.ids
    today = dt.date.fromordinal(ids["today"])
    yesterday = today - dt.timedelta(days=1)

    log_in(page, server, "bithu")
    page.goto(f"{server.url}/dang-vien/{ids['leaving']}/")
    page.get_by_role("link", name="Ra khỏi Đảng").click()
    page.get_by_label("Thủ tục").select_option(value="strike_off")
    page.get_by_label("Trường hợp xóa tên").select_option(value="no_activity_or_dues")
    page.get_by_label("Nội dung, lý do cụ thể").fill("Bỏ sinh hoạt chi bộ 3 tháng liền")
    shot(page, "87-xoa-ten-mo-ho-so")
    page.get_by_role("button", name="Mở hồ sơ").click()
    page.wait_for_url("**/thu-tuc/*/")
    case_url = page.url
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xóa tên đảng viên: Lưu Văn Vắng")

    page.get_by_role("link", name="Nghị quyết chi bộ đề nghị xóa tên đảng viên").click()
    officials = str(ids["officials"])
    page.get_by_label("Số đảng viên chính thức có mặt").fill(officials)
    page.get_by_label("Số tán thành").fill(officials)
    page.get_by_label("Số không tán thành").fill("0")
    page.get_by_role("button", name="Ghi bước").click()
    page.wait_for_url(case_url)
    opinion = page.get_by_role("link", name="Ý kiến của đảng ủy cơ sở đề nghị xóa tên")
    if opinion.count():
        opinion.click()
        page.get_by_role("button", name="Ghi bước").click()
        page.wait_for_url(case_url)
    page.get_by_role("button", name="Đăng xuất").click()

    log_in(page, server, "quanuy")
    page.goto(case_url)
    page.get_by_role("link", name="Quyết định xóa tên trong danh sách đảng viên").click()
    page.get_by_label("Số, ký hiệu văn bản").fill("Số 31-QĐ/QU")
    page.get_by_role("button", name="Ghi bước").click()
    page.wait_for_url(case_url)
    expect(page.locator("main")).to_contain_text("Đã xóa tên")
    shot(page, "88-xoa-ten-quyet-dinh", full_page=True)

    members = f"{server.url}/bao-cao/{ids['exit_cell']}/danh-sach/?chi-so=members"
    page.goto(f"{members}&ngay={yesterday.isoformat()}")
    expect(page.locator("main")).to_contain_text("Lưu Văn Vắng")
    page.goto(f"{members}&ngay={today.isoformat()}")
    expect(page.locator("main")).not_to_contain_text("Lưu Văn Vắng")
    expect(page.locator("main")).to_contain_text(f"tính đến ngày {today:%d/%m/%Y}")
