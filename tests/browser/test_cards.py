"""A lost party card on a phone: the cell's secretary records the card lost; the district
committee requests a new card and registers its number; the secretary hands it out at the cell
meeting from the card queue. The record shows the new number, and its card history the void one
with its reason."""

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
    acting_user=None, full_name="Mai Văn Thẻ", gender="M", date_of_birth=dt.date(1985, 4, 9),
    org=cell, admission_date=dt.date(2015, 5, 19), recognition_date=dt.date(2016, 5, 19),
    status=Status.OFFICIAL, party_card_number="45678912",
    party_card_issued_date=dt.date(2016, 7, 1),
)
print(json.dumps({"holder": member.pk}))
"""


@pytest.fixture(scope="module")
def prepared_var(
    prepared_var: tuple[Path, dict[str, int]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, int]]:
    """This module's data in its own server's database (the other journeys count the cell's
    members)."""
    return seeded_copy(prepared_var, tmp_path_factory, "dangvien-cards", SEED)


def test_a_lost_card_reissued(page: Any, server: Server) -> None:
    from playwright.sync_api import expect

    record = f"{server.url}/dang-vien/{server.ids['holder']}/"
    log_in(page, server, "bithu")
    page.goto(record)
    expect(page.locator("main")).to_contain_text("45678912")
    page.get_by_role("link", name="Sổ thẻ đảng viên").click()
    cards_url = page.url
    page.get_by_label("Lý do").select_option(label="Mất thẻ")
    page.get_by_label("Ghi chú", exact=True).fill("Mất khi đi công tác")
    page.get_by_role("button", name="Ghi hủy thẻ").click()
    expect(page.get_by_text("Đã ghi hủy thẻ.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Hủy thẻ: mất thẻ (Mất khi đi công tác)")
    page.get_by_role("button", name="Đăng xuất").click()

    log_in(page, server, "quanuy")
    page.goto(cards_url)
    page.get_by_role("button", name="Đề nghị cấp thẻ").click()
    expect(page.get_by_text("Đã ghi đề nghị cấp thẻ đảng viên.")).to_be_visible()
    # A number of the wrong shape is refused with the rule's reason.
    page.get_by_label("Số thẻ").fill("1234")
    page.get_by_role("button", name="Ghi số thẻ").click()
    expect(page.get_by_text("không đúng mẫu", exact=False)).to_be_visible()
    page.get_by_label("Số thẻ").fill("56789123")
    shot(page, "87-the-dang-vien-ghi-so")
    page.get_by_role("button", name="Ghi số thẻ").click()
    expect(page.get_by_text("Đã ghi số thẻ.")).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()

    log_in(page, server, "bithu")
    page.goto(f"{server.url}/thu-tuc/")
    page.locator("a[href*='/the-dang-vien/']", has_text="Chi bộ Khu dân cư số 1").click()
    page.get_by_role("link", name="Đã có số thẻ, chờ trao thẻ").click()
    item = page.locator("li.case-item", has_text="Mai Văn Thẻ")
    expect(item).to_contain_text("56789123")
    item.get_by_role("checkbox").check()
    page.get_by_role("button", name="Ghi đã trao thẻ").click()
    expect(page.get_by_text("Đã ghi trao thẻ cho 1 đảng viên.")).to_be_visible()

    page.goto(record)
    main = page.locator("main")
    expect(main).to_contain_text("Thẻ số 56789123 · Đang dùng · cấp lại thay thẻ 45678912")
    expect(main).to_contain_text("Thẻ số 45678912 · Đã hủy")
    shot(page, "88-the-dang-vien-lich-su", full_page=True)
