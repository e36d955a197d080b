"""The data-quality pages as a secretary and staff see them: the dashboard, running a check, the
fix list leading to the records to correct; scoping beyond the walk's statuses."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.conftest import make_member

from dangvien.members.models import Member
from dangvien.quality.services import quality_check


def test_the_dashboard_before_any_check_offers_to_run_one(world, as_persona):
    page = as_persona("secretary").get(reverse("quality_dashboard", args=[world.cell_a.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Chưa kiểm tra chất lượng hồ sơ" in text
    assert "Kiểm tra ngay" in text


def test_staff_run_the_check_and_see_the_score_children_and_rules(world, as_persona):
    client = as_persona("grassroots")
    start = reverse("quality_start", args=[world.grassroots1.pk])
    response = client.post(start)
    assert response.status_code == 302
    assert response["Location"] == reverse("quality_dashboard", args=[world.grassroots1.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Đã kiểm tra xong" in page
    assert "0,00%" in page  # every member of the world has an error
    assert "3 đảng viên đang sinh hoạt" in page
    assert "Thiếu số CCCD" in page  # a rule with its count …
    assert f"{reverse('quality_fixes', args=[world.grassroots1.pk])}?loi=missing_cccd" in page
    assert reverse("quality_dashboard", args=[world.cell_a.pk]) in page  # … children, ranked
    assert reverse("quality_dashboard", args=[world.cell_b.pk]) in page
    assert "Kiểm tra lại" in page


def test_children_are_ranked_lowest_score_first(world, as_persona):
    # Cell A's records are corrected (a2 is a woman born in 1980), cell B's are not.
    Member.objects.filter(pk__in=[world.a1.pk, world.a2.pk]).update(
        recognition_date=dt.date(2011, 3, 2)
    )
    Member.objects.filter(pk=world.a2.pk).update(
        party_card_number="07654321", citizen_id="001180012399"
    )
    quality_check(acting_user=None, org=world.grassroots1)
    page = as_persona("grassroots").get(reverse("quality_dashboard", args=[world.grassroots1.pk]))
    text = page.content.decode()
    children = text[text.index("Các tổ chức trực thuộc") :]
    assert children.index("Chi bộ 2") < children.index("Chi bộ 1")  # 0 % before 100 %
    assert "100,00%" in children


def test_the_fix_list_links_each_record_to_its_edit_page(world, as_persona):
    quality_check(acting_user=None, org=world.cell_a)
    client = as_persona("secretary")
    page = client.get(reverse("quality_fixes", args=[world.cell_a.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Nguyễn Văn An" in text and "Trần Thị Bình" in text
    assert reverse("member_edit", args=[world.a2.pk]) in text
    assert "Hồ sơ không có số CCCD." in text
    # The edit page the link leads to is the secretary's to use.
    assert client.get(reverse("member_edit", args=[world.a2.pk])).status_code == 200


def test_the_fix_list_filters_by_rule_and_answers_htmx_with_the_list_alone(world, as_persona):
    quality_check(acting_user=None, org=world.cell_a)
    client = as_persona("secretary")
    url = reverse("quality_fixes", args=[world.cell_a.pk]) + "?loi=missing_cccd"
    text = client.get(url).content.decode()
    assert "Trần Thị Bình" in text and "Nguyễn Văn An" not in text  # a1 has a CCCD
    assert "Xin đảng viên xuất trình thẻ căn cước" in text  # the rule explained
    partial = client.get(url, HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and "Trần Thị Bình" in partial.content.decode()
    assert "HX-Request" in partial["Vary"]
    unknown = client.get(reverse("quality_fixes", args=[world.cell_a.pk]) + "?loi=khong-co")
    assert "Nguyễn Văn An" in unknown.content.decode()  # an unknown rule: no filter


def test_a_record_saved_after_the_check_is_marked_so(world, as_persona):
    quality_check(acting_user=None, org=world.cell_a)
    Member.objects.filter(pk=world.a2.pk).update(updated_at=dt.datetime.now(dt.UTC))
    text = as_persona("secretary").get(reverse("quality_fixes", args=[world.cell_a.pk]))
    assert "đã được sửa sau lần kiểm tra" in text.content.decode()


def test_a_duplicate_elsewhere_is_counted_but_not_named(world, as_persona):
    twin = make_member("Trần Thị Bình", world.cell_c, gender="F")  # same name and birth date
    quality_check(acting_user=None, org=None)
    text = as_persona("secretary").get(
        reverse("quality_fixes", args=[world.cell_a.pk]) + "?loi=duplicate_name_birth"
    )
    content = text.content.decode()
    assert "Trùng họ tên và ngày sinh" in content
    assert "1 hồ sơ ngoài phạm vi của đồng chí" in content
    assert reverse("member_detail", args=[twin.pk]) not in content
    # The province sees both, each pointing to the other.
    province = as_persona("province").get(
        reverse("quality_fixes", args=[world.province.pk]) + "?loi=duplicate_name_birth"
    )
    assert reverse("member_detail", args=[twin.pk]) in province.content.decode()


def test_the_fix_list_costs_the_same_queries_for_one_or_many_records(world, as_persona):
    quality_check(acting_user=None, org=None)
    client = as_persona("province")
    url = reverse("quality_fixes", args=[world.province.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url + "?loi=missing_card_number")
    for i in range(12):
        make_member(f"Đảng Viên {i}", world.cell_b, date_of_birth=dt.date(1960, 1, i + 1))
    quality_check(acting_user=None, org=None)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url + "?loi=missing_card_number")
    assert page.content.decode().count('class="card fix"') == 15  # a2, b1, c1 and the 12
    assert len(many) == len(few)


def test_out_of_scope_nodes_are_not_found(world, as_persona):
    quality_check(acting_user=None, org=None)
    secretary = as_persona("secretary")
    for name in ("quality_dashboard", "quality_fixes"):
        assert secretary.get(reverse(name, args=[world.cell_b.pk])).status_code == 404
    assert secretary.post(reverse("quality_start", args=[world.cell_b.pk])).status_code == 404
    assert (
        as_persona("member").get(reverse("quality_dashboard", args=[world.cell_a.pk])).status_code
        == 404
    )


def test_the_quality_pages_are_in_the_menu_and_on_the_home_page(world, as_persona):
    client = as_persona("upper")
    home = client.get(reverse("home")).content.decode()
    assert reverse("quality_home") in home
    assert reverse("quality_dashboard", args=[world.upper1.pk]) in home
    assert client.get(reverse("quality_home"))["Location"] == reverse(
        "quality_dashboard", args=[world.upper1.pk]
    )
    member = as_persona("member").get(reverse("handbook_feed")).content.decode()
    assert reverse("quality_home") not in member


def test_records_in_no_cell_are_listed_at_the_top_for_those_who_see_every_record(world, as_persona):
    Member.objects.filter(pk=world.c1.pk).update(org=None, org_path="")
    quality_check(acting_user=None, org=None)
    url = reverse("quality_dashboard", args=[world.province.pk])
    admin = as_persona("admin").get(url).content.decode()
    assert "không thuộc tổ chức nào" in admin
    assert reverse("member_detail", args=[world.c1.pk]) in admin
    province = as_persona("province").get(url).content.decode()  # sees the subtree, not c1
    assert reverse("member_detail", args=[world.c1.pk]) not in province
    assert "3 đảng viên đang sinh hoạt" in province  # c1 is counted in no node
