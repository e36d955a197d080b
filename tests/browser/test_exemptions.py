"""An exemption on a phone: the cell's secretary records an elderly member's application from the
record, the cell's resolution on the case page; the district committee takes note and finds the
member on its list of exemptions; the member asks to come back and the secretary records it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from tests.browser.support import BROWSER, Server, log_in, seeded_copy, shot

pytestmark = BROWSER

SEED = """
import datetime as dt, django, json
django.setup()
from dangvien.members.models import Status
from dangvien.members.services import member_create
from dangvien.orgs.models import Organization
cell = Organization.objects.get(name="Chi bộ Khu dân cư số 1")
member = member_create(
    acting_user=None, full_name="Lương Văn Thọ", gender="M", date_of_birth=dt.date(1948, 5, 2),
    org=cell, admission_date=dt.date(1972, 9, 2), status=Status.OFFICIAL,
)
upper = Organization.objects.get(name="Đảng bộ quận Ba Đình")
print(json.dumps({"elder": member.pk, "upper": upper.pk}))
"""


@pytest.fixture(scope="module")
def prepared_var(
    prepared_var: tuple[Path, dict[str, int]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, int]]:
    """This module's data in its own server's database (the other journeys count the cell's
    members)."""
    return seeded_copy(prepared_var, tmp_path_factory, "dangvien-exemptions", SEED)


def test_an_exemption_from_the_application_to_the_return(page: Any, server: Server) -> None:
    from playwright.sync_api import expect

    # Days safely past wherever the server's today falls.
    applied = dt.date.today() - dt.timedelta(days=10)
    resolved = dt.date.today() - dt.timedelta(days=5)
    record = f"{server.url}/dang-vien/{server.ids['elder']}/"

    log_in(page, server, "bithu")
    page.goto(record)
    page.get_by_role("link", name="Ghi đơn xin miễn").click()
    page.get_by_label("Xin miễn").select_option(label="Miễn công tác và sinh hoạt đảng")
    page.get_by_label("Lý do").select_option(label="Tuổi cao")
    page.get_by_label("Ngày làm đơn (hoặc báo cáo trực tiếp với chi bộ)").fill(applied.isoformat())
    shot(page, "90-mien-sinh-hoat-don")
    page.get_by_role("button", name="Ghi đơn xin miễn").click()
    page.wait_for_url("**/thu-tuc/*/")
    case_url = page.url
    expect(page.get_by_role("heading", level=1)).to_contain_text("Miễn công tác, sinh hoạt đảng")
    page.get_by_role("link", name="Nghị quyết chi bộ cho miễn").first.click()
    page.get_by_label("Ngày", exact=True).fill(resolved.isoformat())
    page.get_by_label("Số, ký hiệu văn bản").fill("05")
    page.get_by_role("button", name="Ghi bước").click()
    page.wait_for_url(case_url)
    page.goto(record)
    expect(page.locator("main")).to_contain_text("Miễn sinh hoạt")
    page.get_by_role("button", name="Đăng xuất").click()

    log_in(page, server, "quanuy")
    page.goto(case_url)
    page.get_by_role("link", name="Cấp ủy cấp trên trực tiếp nhận báo cáo").click()
    page.get_by_role("button", name="Ghi bước").click()
    page.wait_for_url(case_url)
    expect(page.locator("main")).to_contain_text("Đã cho miễn")
    page.goto(f"{server.url}/to-chuc/{server.ids['upper']}/mien-sinh-hoat/")
    item = page.locator("li.case-item", has_text="Lương Văn Thọ")
    expect(item).to_contain_text("Miễn công tác và sinh hoạt đảng")
    expect(item).to_contain_text(f"từ ngày {resolved:%d/%m/%Y}")
    shot(page, "91-mien-sinh-hoat-danh-sach")
    page.get_by_role("button", name="Đăng xuất").click()

    log_in(page, server, "bithu")
    page.goto(record)
    page.get_by_role("link", name="Ghi trở lại sinh hoạt").click()
    page.get_by_label("Lý do kết thúc").select_option(
        label="Đảng viên xin trở lại công tác, sinh hoạt"
    )
    page.get_by_label("Số nghị quyết của chi bộ").fill("09")
    page.get_by_role("button", name="Ghi kết thúc việc miễn").click()
    page.wait_for_url(record)
    expect(page.get_by_text("Đã ghi kết thúc việc miễn.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("đảng viên xin trở lại công tác, sinh hoạt")
    page.goto(f"{server.url}/to-chuc/{server.ids['upper']}/mien-sinh-hoat/")
    expect(page.locator("main")).not_to_contain_text("Lương Văn Thọ")
