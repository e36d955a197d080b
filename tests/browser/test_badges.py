"""A badge on a phone: the cell's secretary opens the badge list of the next award day, finds a
member reaching 50 years of party age, proposes the badge; the district committee decides; the
secretary records the ceremony, and the badge is in the member's record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.browser.support import BROWSER, Server, log_in, seeded_copy, shot

pytestmark = BROWSER

# A member of cell A admitted on 20/12/1976: 50 years of party age on 20/12/2026, on the list of
# the award day after it, 3/2/2027.
SEED = """
import datetime as dt, django, json
django.setup()
from dangvien.members.models import Status
from dangvien.members.services import member_create
from dangvien.orgs.models import Organization
cell = Organization.objects.get(name="Chi bộ Khu dân cư số 1")
member = member_create(
    acting_user=None, full_name="Trịnh Văn Lão", gender="M", date_of_birth=dt.date(1950, 3, 8),
    org=cell, admission_date=dt.date(1976, 12, 20), status=Status.OFFICIAL,
)
print(json.dumps({"veteran": member.pk}))
"""


@pytest.fixture(scope="module")
def prepared_var(
    prepared_var: tuple[Path, dict[str, int]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, int]]:
    """This module's data in its own server's database (the other journeys count the cell's
    members)."""
    return seeded_copy(prepared_var, tmp_path_factory, "dangvien-badges", SEED)


def test_a_badge_from_the_list_to_the_ceremony(page: Any, server: Server) -> None:
    from playwright.sync_api import expect

    log_in(page, server, "bithu")
    page.goto(f"{server.url}/thu-tuc/")
    page.locator("a[href*='/huy-hieu-dang/']", has_text="Chi bộ Khu dân cư số 1").click()
    page.get_by_label("Đợt trao tặng").select_option(value="2027-02-03")
    item = page.locator("li.case-item", has_text="Trịnh Văn Lão")
    expect(item).to_contain_text("Huy hiệu 50 năm")
    expect(item).to_contain_text("đủ 50 năm tuổi đảng ngày 20/12/2026")
    item.get_by_role("checkbox").check()
    shot(page, "85-huy-hieu-danh-sach")
    page.get_by_role("button", name="Đề nghị tặng cho những người đã chọn").click()
    expect(page.get_by_text("Đã đề nghị tặng Huy hiệu Đảng cho 1 đảng viên.")).to_be_visible()
    item = page.locator("li.case-item", has_text="Trịnh Văn Lão")
    item.get_by_role("link", name="Đã đề nghị").click()
    page.wait_for_url("**/thu-tuc/*/")
    case_url = page.url
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tặng Huy hiệu Đảng")
    page.get_by_role("button", name="Đăng xuất").click()

    log_in(page, server, "quanuy")
    page.goto(case_url)
    page.get_by_role("link", name="Quyết định tặng Huy hiệu Đảng").click()
    # The day the form offers: today, where the installation is.
    page.get_by_label("Số, ký hiệu văn bản").fill("Số 120-QĐ/TU")
    page.get_by_role("button", name="Ghi bước").click()
    page.wait_for_url(case_url)
    page.get_by_role("button", name="Đăng xuất").click()

    log_in(page, server, "bithu")
    page.goto(case_url)
    page.get_by_role("link", name="Trao tặng Huy hiệu Đảng").click()
    page.get_by_role("button", name="Ghi bước").click()
    page.wait_for_url(case_url)
    expect(page.locator("main")).to_contain_text("Đã trao tặng")
    page.goto(f"{server.url}/dang-vien/{server.ids['veteran']}/")
    expect(page.locator("main")).to_contain_text("Huy hiệu 50 năm tuổi Đảng")
    expect(page.locator("main")).to_contain_text("Tuổi đảng")
    shot(page, "86-huy-hieu-trong-ho-so", full_page=True)
