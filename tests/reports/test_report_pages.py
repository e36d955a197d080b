"""Report pages and API: the figures a user sees, the lists behind them, dates and the workbook."""

from __future__ import annotations

import datetime as dt
import io
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader
from tests import xlsx

from dangvien.core.dates import document_date
from dangvien.members.models import Status
from dangvien.members.services import member_set_status


def _html(client, name: str, org, query: str = "") -> str:
    response = client.get(reverse(name, args=[org.pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_report_home_opens_the_users_own_node(as_persona, world):
    response = as_persona("grassroots").get(reverse("report_home"))
    assert response["Location"] == reverse("report_summary", args=[world.grassroots1.pk])


def test_a_member_has_no_reports_and_is_told_so(as_persona, world):
    html = as_persona("member").get(reverse("report_home")).content.decode()
    assert "không được giao xem số liệu" in html
    assert 'href="/bao-cao/"' not in html  # no menu entry either


def test_summary_shows_the_figures_with_links_to_their_members(as_persona, world):
    html = _html(as_persona("upper"), "report_summary", world.upper1)
    assert "Tổng số đảng viên" in html
    link = reverse("report_members", args=[world.upper1.pk]) + "?chi-so=female&amp;ngay="
    assert re.search(re.escape(link) + r'[0-9-]+">1</a>', html)  # a2 is the one woman
    assert "33,33%" in html  # 1 of 3, with a decimal comma
    assert "Chi bộ 1" not in html or "Đảng bộ phường Kim Mã" in html  # children, by name
    assert re.search(r'Đảng bộ phường Kim Mã</a></th><td class="number">3<', html)


def test_the_list_behind_a_figure_names_its_members(as_persona, world):
    html = _html(as_persona("upper"), "report_members", world.upper1, "?chi-so=female")
    assert "Trần Thị Bình" in html
    assert "Nguyễn Văn An" not in html


def test_the_list_keeps_to_the_users_scope_and_unknown_figures_are_404(as_persona, world):
    client = as_persona("secretary")
    html = _html(client, "report_members", world.cell_a, "?chi-so=members")
    assert "Nguyễn Văn An" in html and "Lê Văn Cường" not in html
    url = reverse("report_members", args=[world.cell_a.pk])
    assert client.get(url + "?chi-so=khong-co").status_code == 404


def test_a_past_day_and_a_bad_day(as_persona, world):
    member_set_status(
        acting_user=None, member=world.b1, status=Status.DECEASED, on=dt.date(2024, 5, 1)
    )
    client = as_persona("grassroots")
    before = _html(client, "report_summary", world.grassroots1, "?ngay=2024-04-30")
    assert "30/04/2024" in before
    assert re.search(r'chi-so=members&amp;ngay=2024-04-30">3</a>', before)
    bad = _html(client, "report_summary", world.grassroots1, "?ngay=2999-01-01")
    assert "không được sau hôm nay" in bad


def test_changes_page_links_each_change_to_its_members(as_persona, world):
    member_set_status(
        acting_user=None, member=world.a2, status=Status.DECEASED, on=dt.date(2026, 4, 2)
    )
    client = as_persona("grassroots")
    html = _html(client, "report_changes", world.grassroots1, "?tu=2026-01-01&den=2026-10-31")
    assert "Từ trần" in html
    assert "chi-so=deceased&amp;tu=2026-01-01&amp;den=2026-10-31" in html
    listed = _html(
        client, "report_members", world.grassroots1, "?chi-so=deceased&tu=2026-01-01&den=2026-10-31"
    )
    assert "Trần Thị Bình" in listed
    reversed_period = _html(
        client, "report_changes", world.grassroots1, "?tu=2026-10-31&den=2026-01-01"
    )
    assert "Ngày bắt đầu phải trước" in reversed_period


def test_organizations_behind_a_count(as_persona, world):
    html = _html(as_persona("province"), "report_orgs", world.province, "?cap=cell")
    assert "Chi bộ 1" in html and "Chi bộ 3" in html
    kinds = _html(as_persona("province"), "report_orgs", world.province, "?loai-hinh=ward")
    assert "Đảng bộ phường Kim Mã" in kinds


def test_summary_costs_a_fixed_number_of_queries(as_persona, world):
    client = as_persona("province")
    url = reverse("report_summary", args=[world.province.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    from tests.conftest import make_org

    for n in range(5):
        make_org(f"Đảng bộ mới {n}", "upper", world.province)
    client.get(url)  # takes the new nodes into the kept figures (a few queries, once)
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(first)


def test_the_workbook_has_a_sheet_per_breakdown_under_a_party_heading(as_persona, world):
    response = as_persona("province").get(reverse("report_export", args=[world.province.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    names = xlsx.sheet_names(response.content)
    assert names[0] == "Tổ chức" and "Biến động" in names
    assert "Tổng số" in names and "Giới tính" in names
    sheet = xlsx.rows(response.content, "Tổng số")
    assert sheet[0][0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert sheet[1][0] == "ĐẢNG BỘ THÀNH PHỐ"
    rows = {row[0]: row[1] for row in sheet[7:] if row[0]}
    assert rows["Tổng số đảng viên"] == 4


def test_document_dates_follow_the_party_style():
    assert document_date("Hà Nội", dt.date(2018, 4, 3)) == "Hà Nội, ngày 03 tháng 4 năm 2018"
    assert document_date("Huế", dt.date(2021, 2, 14)) == "Huế, ngày 14 tháng 02 năm 2021"
    assert document_date("Huế", dt.date(2021, 12, 1)) == "Huế, ngày 01 tháng 12 năm 2021"


def test_api_summary_and_changes(as_persona, world):
    client = as_persona("upper")
    summary = client.get(f"/api/v1/reports/summary?org={world.upper1.pk}").json()
    assert summary["members"] == 3
    assert {o["code"]: o["count"] for o in summary["organizations"]} == {
        "grassroots_committee": 1,
        "cell": 2,
    }
    assert summary["grassroots"] == 1
    total = next(g for g in summary["groups"] if g["key"] == "gender")
    assert {f["key"]: f["value"] for f in total["figures"]} == {"male": 2, "female": 1}
    member_set_status(
        acting_user=None, member=world.a2, status=Status.DECEASED, on=dt.date(2026, 4, 2)
    )
    changes = client.get(
        f"/api/v1/reports/changes?org={world.upper1.pk}&from=2026-01-01&to=2026-10-31"
    ).json()
    assert changes["from"] == "2026-01-01"
    assert {c["key"]: c["value"] for c in changes["changes"]}["deceased"] == 1


def test_api_refuses_days_outside_the_partys_life(as_persona, world):
    client = as_persona("province")
    response = client.get(f"/api/v1/reports/summary?org={world.province.pk}&date=1900-01-01")
    assert response.status_code == 422
    assert "03/02/1930" in response.json()["detail"]
    bad = client.get(
        f"/api/v1/reports/changes?org={world.province.pk}&from=2026-05-01&to=2026-01-01"
    )
    assert bad.status_code == 422


def test_the_pdf_is_a_party_document_with_the_figures(as_persona, world):
    response = as_persona("province").get(reverse("report_pdf", args=[world.province.pk]))
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "ĐẢNG BỘ THÀNH PHỐ" in text
    assert "Tổng số đảng viên" in text
