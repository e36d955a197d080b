"""Lost contact on a phone: a member came back to the cell after a year and a half away; the
secretary records the period from the record, a mistyped period is refused with its reason, and
the party age on the record no longer counts the time away."""

from __future__ import annotations

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
    acting_user=None, full_name="Đinh Văn Xa", gender="M", date_of_birth=dt.date(1970, 3, 8),
    org=cell, admission_date=dt.date(2000, 3, 8), status=Status.OFFICIAL,
)
print(json.dumps({"away": member.pk}))
"""


@pytest.fixture(scope="module")
def prepared_var(
    prepared_var: tuple[Path, dict[str, int]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, int]]:
    return seeded_copy(prepared_var, tmp_path_factory, "dangvien-lost-contact", SEED)


def test_a_period_of_lost_contact_is_recorded_and_not_counted(page: Any, server: Server) -> None:
    from playwright.sync_api import expect

    record = f"{server.url}/dang-vien/{server.ids['away']}/"
    log_in(page, server, "bithu")
    page.goto(record)
    page.get_by_role("link", name="Thời gian mất liên lạc").click()
    # The end before the start: refused, nothing recorded.
    page.get_by_label("Mất liên lạc từ ngày").fill("2015-06-01")
    page.get_by_label("Liên lạc lại từ ngày").fill("2015-01-01")
    page.get_by_role("button", name="Ghi", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("phải sau ngày mất liên lạc")
    expect(page.locator("main")).to_contain_text("Chưa ghi thời gian mất liên lạc nào.")
    page.get_by_label("Mất liên lạc từ ngày").fill("2015-01-01")
    page.get_by_label("Liên lạc lại từ ngày").fill("2016-07-01")
    page.get_by_label("Ghi chú (căn cứ, lý do)").fill("Đi làm ăn xa, không báo chi bộ")
    page.get_by_role("button", name="Ghi", exact=True).click()
    expect(page.get_by_text("Đã ghi thời gian mất liên lạc")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Từ 01/01/2015 đến 01/07/2016 (547 ngày)")
    shot(page, "95-mat-lien-lac")
    page.goto(record)
    expect(page.locator("main")).to_contain_text(
        "mất liên lạc với tổ chức đảng từ 01/01/2015 đến 01/07/2016 (547 ngày)"
    )
