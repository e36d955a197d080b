"""The member list of a node: scoped, searchable with or without diacritics, paged without COUNT."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.conftest import make_member

from dangvien.members.models import Status
from dangvien.members.services import member_set_status


def members_url(org) -> str:
    return reverse("org_members", args=[org.pk])


def names_in(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/dang-vien/\d+/">([^<]+)</a>', html)


def test_secretary_sees_their_cell_sorted_by_given_name(as_persona, world):
    response = as_persona("secretary").get(members_url(world.cell_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert names_in(html) == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert "17/05/1980" in html  # dd/mm/yyyy


def test_grassroots_list_covers_the_subtree(as_persona, world):
    html = as_persona("grassroots").get(members_url(world.grassroots1)).content.decode()
    assert names_in(html) == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]


def test_breadcrumbs_show_only_ancestors_the_user_may_see(as_persona, world):
    html = as_persona("grassroots").get(members_url(world.cell_a)).content.decode()
    crumbs = html.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert "Đảng bộ phường Kim Mã" in crumbs
    assert "Đảng bộ quận Ba Đình" not in crumbs
    html = as_persona("province").get(members_url(world.cell_a)).content.decode()
    crumbs = html.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert "Đảng bộ Thành phố" in crumbs and "Đảng bộ quận Ba Đình" in crumbs


@pytest.mark.parametrize(
    ("persona", "org_name"),
    [
        ("secretary", "cell_b"),
        ("secretary", "grassroots1"),
        ("other_upper", "cell_a"),
        ("upper", "cell_c"),
        ("member", "cell_b"),
    ],
)
def test_org_out_of_scope_is_404(as_persona, world, persona, org_name):
    assert as_persona(persona).get(members_url(world.org(org_name))).status_code == 404


def test_missing_org_is_404(as_persona, world):
    assert as_persona("admin").get(reverse("org_members", args=[999999])).status_code == 404


def test_member_sees_only_themself_in_their_cell(as_persona, world):
    html = as_persona("member").get(members_url(world.cell_a)).content.decode()
    assert names_in(html) == ["Nguyễn Văn An"]


def test_editor_sees_the_org_but_no_member(as_persona, world):
    response = as_persona("editor").get(members_url(world.cell_a))
    assert response.status_code == 200
    assert names_in(response.content.decode()) == []
    assert "Không có đảng viên nào" in response.content.decode()


@pytest.mark.parametrize("query", ["nguyen van an", "Nguyễn Văn An", "NGUYEN", "van an"])
def test_search_by_name_with_or_without_diacritics(as_persona, world, query):
    html = as_persona("grassroots").get(members_url(world.grassroots1), {"q": query}).content
    assert names_in(html.decode()) == ["Nguyễn Văn An"]


def test_search_by_a_part_of_the_name(as_persona, world):
    # Any part of the folded name: "An" is also inside "Trần" and "Văn".
    html = as_persona("grassroots").get(members_url(world.grassroots1), {"q": "An"}).content
    assert "Nguyễn Văn An" in names_in(html.decode())
    html = as_persona("grassroots").get(members_url(world.grassroots1), {"q": "cường"}).content
    assert names_in(html.decode()) == ["Lê Văn Cường"]


def test_search_folds_d_with_stroke(as_persona, world):
    make_member("Đỗ Đức Đạt", world.cell_a)
    html = as_persona("secretary").get(members_url(world.cell_a), {"q": "do duc dat"}).content
    assert names_in(html.decode()) == ["Đỗ Đức Đạt"]


@pytest.mark.parametrize("query", ["01234567", "001080012345"])
def test_search_by_card_or_citizen_id(as_persona, world, query):
    html = as_persona("secretary").get(members_url(world.cell_a), {"q": query}).content
    assert names_in(html.decode()) == ["Nguyễn Văn An"]


def test_search_does_not_reach_outside_the_scope(as_persona, world):
    html = as_persona("secretary").get(members_url(world.cell_a), {"q": "cuong"}).content
    assert names_in(html.decode()) == []
    assert "Không tìm thấy đảng viên nào" in html.decode()


def test_htmx_search_returns_the_results_only(as_persona, world):
    client = as_persona("secretary")
    response = client.get(members_url(world.cell_a), {"q": "binh"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and "<table" in html
    assert names_in(html) == ["Trần Thị Bình"]
    assert "HX-Request" in response["Vary"]
    full = client.get(members_url(world.cell_a), {"q": "binh"}).content.decode()
    assert full.startswith("<!doctype html>") and 'id="ket-qua"' in full


def test_htmx_history_restore_gets_the_full_page(as_persona, world):
    response = as_persona("secretary").get(
        members_url(world.cell_a),
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()


def test_default_lists_members_in_the_party_and_the_filter_shows_the_others(as_persona, world):
    member_set_status(
        acting_user=None, member=world.a2, status=Status.DECEASED, on=world.a2.admission_date
    )
    client = as_persona("secretary")
    assert names_in(client.get(members_url(world.cell_a)).content.decode()) == ["Nguyễn Văn An"]
    gone = client.get(members_url(world.cell_a), {"status": "deceased"}).content.decode()
    assert names_in(gone) == ["Trần Thị Bình"]
    every = client.get(members_url(world.cell_a), {"status": "all"}).content.decode()
    assert names_in(every) == ["Nguyễn Văn An", "Trần Thị Bình"]


@pytest.fixture
def crowded_cell(world):
    """Cell A with 60 more members, named so that their order is known: 62 in all."""
    for i in range(60):
        make_member(f"Hoàng Văn Thành {i:02d}", world.cell_a)
    return world.cell_a


def test_pages_of_fifty_without_count(as_persona, crowded_cell):
    client = as_persona("secretary")
    with CaptureQueriesContext(connection) as queries:
        first = client.get(members_url(crowded_cell)).content.decode()
    assert not any("COUNT(" in q["sql"].upper() for q in queries)
    assert len(names_in(first)) == 50
    assert "Trang sau" in first and "Trang trước" not in first
    second = client.get(members_url(crowded_cell), {"page": 2}).content.decode()
    assert len(names_in(second)) == 12
    assert "Trang trước" in second and "Trang sau" not in second
    assert set(names_in(first)).isdisjoint(names_in(second))
    assert "đảng viên thứ 51 đến 62" in second


def test_page_links_keep_the_search(as_persona, crowded_cell):
    html = as_persona("secretary").get(members_url(crowded_cell), {"q": "thanh"}).content
    assert "?q=thanh&amp;page=2" in html.decode()


def test_page_past_the_end_and_bad_page_numbers(as_persona, world):
    client = as_persona("secretary")
    assert (
        "Không có đảng viên nào"
        in client.get(members_url(world.cell_a), {"page": 9}).content.decode()
    )
    assert client.get(members_url(world.cell_a), {"page": "abc"}).status_code == 200


def test_member_list_costs_a_fixed_number_of_queries(
    as_persona, world, crowded_cell, django_assert_num_queries
):
    client = as_persona("grassroots")
    # session, user, roles, the org, its visible ancestors, one page of members, and the five
    # reference lists of the filter form (ethnicity, religion, education, theory, occupation)
    with django_assert_num_queries(11):
        html = client.get(members_url(crowded_cell)).content.decode()
    assert len(names_in(html)) == 50
    # The HTMX partial: no breadcrumbs, but the filter lists, and a name search (the size of the
    # scope, counted once, then the keys of the small scope).
    with django_assert_num_queries(12):
        client.get(members_url(crowded_cell), {"q": "thanh"}, headers={"HX-Request": "true"})
