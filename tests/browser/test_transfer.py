"""A transfer on a phone between cells of two different upper committees, seen from both ends:
the secretary of the sending cell opens it and gives the letter; the other district's staff find
it among the transfers to receive and record its receipt; the sender sees it done."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from tests.browser.support import BROWSER, ROOT, Server, log_in, shot

pytestmark = BROWSER

# A second upper committee with one cell, and its staff, in the module's server database.
SECOND_DISTRICT = """
import datetime as dt, json, django
django.setup()
from dangvien.accounts.models import Role, RoleAssignment, User
from dangvien.orgs.models import GrassrootsKind, OrgLevel, Organization
from dangvien.orgs.services import org_create

def org(name, level, parent, kind=None):
    return org_create(acting_user=None, name=name, level=OrgLevel.objects.get(code=level),
                      parent=parent, on=dt.date(2015, 1, 1),
                      kind=GrassrootsKind.objects.get(code=kind) if kind else None)

province = Organization.objects.get(parent=None)
upper = org("Đảng bộ quận Tây Hồ", "upper", province)
grassroots = org("Đảng bộ phường Bưởi", "grassroots_committee", upper, "ward")
cell = org("Chi bộ Tổ dân phố số 9", "cell", grassroots)
staff = User.objects.create_user("quanuy2", password=%(password)r)
RoleAssignment.objects.create(user=staff, role=Role.UPPER_STAFF, org=upper)
print(json.dumps({"upper2": upper.pk, "cell_c": cell.pk}))
"""


@pytest.fixture(scope="module")
def district(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, int]]:
    import json

    var = max(tmp_path_factory.getbasetemp().glob("dangvien-var*"), key=lambda p: p.stat().st_mtime)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env.update(
        DANGVIEN_VAR=str(var),
        DJANGO_SETTINGS_MODULE="dangvien.settings",
        PYTHONPATH=str(ROOT / "src"),
    )
    done = subprocess.run(
        [sys.executable, "-c", SECOND_DISTRICT % {"password": server.password}],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    yield json.loads(done.stdout.strip().splitlines()[-1])


def _day(days_ago: int) -> str:
    today = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    return (today - dt.timedelta(days=days_ago)).isoformat()


def test_a_transfer_between_two_districts_seen_from_both_ends(
    page: Any, server: Server, district: dict[str, int]
) -> None:
    from playwright.sync_api import expect

    # The sending cell's secretary opens the transfer and gives the letter.
    log_in(page, server, "bithu")
    page.goto(f"{server.url}/to-chuc/{server.ids['cell_a']}/chuyen-sinh-hoat/")
    page.get_by_role("link", name="Giới thiệu chuyển đi").click()
    page.get_by_label("Tìm đảng viên").fill("Bình")
    page.get_by_role("button", name="Tìm").click()
    page.locator(".pick-list a").first.click()
    page.get_by_label("Tên chi bộ nơi đến").fill("Tổ dân phố số 9")
    page.get_by_role("button", name="Tìm").click()
    destination = page.get_by_label("Chi bộ Tổ dân phố số 9")
    expect(destination).to_be_checked()
    # Only the name and the place in the tree: nothing of the other district's members.
    expect(page.get_by_text("Đảng bộ phường Bưởi · Đảng bộ quận Tây Hồ")).to_be_visible()
    page.get_by_label("Lý do").select_option(value="new_job")
    page.get_by_label("Ngày phát sinh", exact=False).fill(_day(10))
    shot(page, "80-chuyen-sinh-hoat-mo", full_page=True)
    page.get_by_role("button", name="Mở hồ sơ chuyển sinh hoạt").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chuyển sinh hoạt đảng chính thức")
    page.get_by_role("link", name="Giới thiệu chuyển sinh hoạt đảng (cấp giấy giới thiệu)").click()
    page.get_by_label("Ngày").fill(_day(5))
    page.get_by_label("Số, ký hiệu văn bản").fill("Số 12-GGT")
    page.get_by_role("button", name="Ghi bước").click()
    expect(page.get_by_text("Đã ghi bước")).to_be_visible()
    case_url = page.url
    # The receipt is the destination's to record, not the sender's.
    expect(
        page.get_by_role("link", name="Nơi đến tiếp nhận sinh hoạt đảng chính thức")
    ).to_have_count(0)

    # The other district's staff find it among the transfers to receive and record the receipt.
    page.context.clear_cookies()
    log_in(page, server, "quanuy2")
    page.goto(f"{server.url}/to-chuc/{district['upper2']}/chuyen-sinh-hoat/?xem=den")
    page.get_by_role("link", name="Trần Thị Bình").click()
    assert page.url == case_url
    expect(page.locator("#chuyen-sinh-hoat").locator("..")).to_contain_text(
        "Chi bộ Khu dân cư số 1"
    )
    page.get_by_role("link", name="Nơi đến tiếp nhận sinh hoạt đảng chính thức").click()
    page.get_by_label("Ngày").fill(_day(1))
    shot(page, "81-chuyen-sinh-hoat-tiep-nhan")
    page.get_by_role("button", name="Ghi bước").click()
    expect(page.locator(".subtitle")).to_contain_text("Đã chuyển sinh hoạt")
    page.get_by_role("link", name="Hồ sơ đảng viên").click()
    expect(page.get_by_text("Chi bộ Tổ dân phố số 9").first).to_be_visible()

    # Back at the sending end: the transfer is done, listed with the closed ones.
    page.context.clear_cookies()
    log_in(page, server, "bithu")
    page.goto(f"{server.url}/to-chuc/{server.ids['cell_a']}/chuyen-sinh-hoat/?xem=di&trang-thai=")
    item = page.locator(".case-item", has_text="Trần Thị Bình")
    expect(item).to_contain_text("Đã chuyển sinh hoạt")
    expect(item).to_contain_text("Chi bộ Tổ dân phố số 9")
    shot(page, "82-chuyen-sinh-hoat-noi-di")
