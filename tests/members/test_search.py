"""Ranked member search: exact name, then names starting with the query, then any word."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.conftest import make_member, make_org

from dangvien.members import search
from dangvien.members.models import Member, NameKey
from dangvien.members.search import (
    member_search,
    name_keys_for,
    name_keys_rebuild,
    name_keys_refresh,
    search_scope,
)
from dangvien.members.selectors import members_visible_to
from dangvien.members.services import member_names, members_move
from dangvien.restructuring.services import org_move


def found(query, members=None, **options):
    page = member_search(members if members is not None else Member.objects.all(), query, **options)
    return [member.full_name for member in page.rows]


def test_keys_are_the_word_starts_of_the_folded_name():
    assert name_keys_for("Nguyễn Văn Phong") == [
        (0, "nguyen van phong"),
        (1, "van phong"),
        (2, "phong"),
    ]


def test_exact_name_comes_first_then_names_starting_with_it_then_any_word(world):
    for name in ["Phong Văn Tài", "Nguyễn Văn Phong", "Phong", "Lê Phong Anh", "Phong Thị Bảo"]:
        make_member(name, world.cell_b)
    # Exact; then names starting with "phong" in name order (Bảo < Tài); then word matches
    # (Anh < Phong by given name).
    assert found("phong") == [
        "Phong",
        "Phong Thị Bảo",
        "Phong Văn Tài",
        "Lê Phong Anh",
        "Nguyễn Văn Phong",
    ]


@pytest.mark.parametrize(
    "query", ["nguyen van phong", "Nguyễn Văn Phong", "NGUYEN VAN", "van phong", "phon", "Phong"]
)
def test_any_part_of_the_name_with_or_without_tones_finds_it(world, query):
    make_member("Nguyễn Văn Phong", world.cell_b)
    assert "Nguyễn Văn Phong" in found(query)


@pytest.mark.parametrize("query", ["đặng thu", "dang thu", "Đặng", "DANG THU HA", "thu hà"])
def test_d_and_d_with_stroke_are_the_same_letter(world, query):
    make_member("Đặng Thu Hà", world.cell_b)
    assert found(query) == ["Đặng Thu Hà"]


def test_a_query_inside_a_word_does_not_match(world):
    make_member("Nguyễn Văn Phong", world.cell_b)
    assert found("hong") == []
    assert found("an phong") == []


@pytest.mark.parametrize("query", ["01234567", "001080012345", " 0123 4567 "])
def test_digits_find_the_card_number_or_cccd_exactly(world, query):
    assert found(query) == ["Nguyễn Văn An"]


def test_a_partial_number_finds_nothing(world):
    assert found("0123456") == []


def test_phone_number_is_found_when_the_dossier_has_it(world):
    if not any(f.name == "phone" for f in Member._meta.get_fields()):
        pytest.skip("the phone field arrives with the dossier")
    Member.objects.filter(pk=world.b1.pk).update(phone="0912345678")
    assert found("0912 345 678") == ["Lê Văn Cường"]


def test_search_stays_in_the_users_scope(world):
    secretary = world.users["secretary"]  # cell A: Nguyễn Văn An, Trần Thị Bình
    members = members_visible_to(secretary)
    assert found("van", members, within=search_scope(secretary)) == ["Nguyễn Văn An"]
    assert found("cuong", members, within=search_scope(secretary)) == []
    province = world.users["province"]
    everyone = members_visible_to(province)
    assert found("van", everyone, within=search_scope(province)) == [
        "Nguyễn Văn An",
        "Lê Văn Cường",
    ]


def test_the_scoped_queryset_decides_even_when_the_hint_is_wider(world):
    members = members_visible_to(world.users["secretary"])
    assert found("cuong", members, within=None) == []


def test_results_are_paged_with_more(world):
    for i in range(5):
        make_member(f"Hoàng Văn {chr(ord('A') + i)}", world.cell_c)
    first = member_search(Member.objects.all(), "hoang", limit=3)
    second = member_search(Member.objects.all(), "hoang", limit=3, offset=3)
    assert [m.full_name for m in first.rows] == ["Hoàng Văn A", "Hoàng Văn B", "Hoàng Văn C"]
    assert first.has_more
    assert [m.full_name for m in second.rows] == ["Hoàng Văn D", "Hoàng Văn E"]
    assert not second.has_more


@pytest.mark.parametrize(("cap", "small_scope"), [(2000, 20000), (1, 20000), (1, 1)])
def test_every_strategy_gives_the_same_ranking(world, monkeypatch, cap, small_scope):
    """Sparse (key range), small scope (org_path, key) and the walk in name order agree."""
    monkeypatch.setattr(search, "SPARSE_CAP", cap)
    monkeypatch.setattr(search, "SMALL_SCOPE", small_scope)
    for name in ["Văn Thị Hoa", "Trần Văn Bé", "Văn", "Lê Văn Văn", "Vân Thị Út"]:
        make_member(name, world.cell_a)
    # Vân folds to van too: tones and marks do not count in search.
    expected = [
        *["Văn", "Văn Thị Hoa", "Vân Thị Út"],
        *["Nguyễn Văn An", "Trần Văn Bé", "Lê Văn Cường", "Lê Văn Văn"],
    ]
    assert found("van", within=[world.province.path]) == expected
    assert found("van", within=None) == expected
    # A member matching twice (Lê Văn Văn) is listed once.
    assert found("van", within=[world.province.path]).count("Lê Văn Văn") == 1


def test_the_list_filters_apply_to_ranked_results(world):
    from dangvien.members.models import Status

    Member.objects.filter(pk=world.b1.pk).update(status=Status.DECEASED)
    assert found("van", Member.objects.filter(status=Status.OFFICIAL)) == ["Nguyễn Văn An"]


def test_a_new_member_is_found_at_once(world):
    make_member("Quách Thị Nụ", world.cell_c)
    assert found("nu") == ["Quách Thị Nụ"]


def test_a_renamed_member_is_found_by_the_new_name_only(world):
    member = world.c1
    for field, value in member_names("Phạm Thị Dung Hạnh").items():
        setattr(member, field, value)
    member.save()
    name_keys_refresh(member)
    assert found("hanh") == ["Phạm Thị Dung Hạnh"]
    assert NameKey.objects.filter(member=member).count() == 4


def test_moved_members_keep_being_found_in_their_new_cell(world):
    members_move(
        acting_user=None,
        source=world.cell_b,
        target=world.cell_c,
        on=dt.date(2024, 1, 1),
    )
    g2 = members_visible_to(world.users["other_upper"])
    assert found("cuong", g2, within=search_scope(world.users["other_upper"])) == ["Lê Văn Cường"]
    assert set(NameKey.objects.filter(member=world.b1).values_list("org_path", flat=True)) == {
        world.cell_c.path
    }


def test_keys_follow_a_subtree_that_moves(world):
    org_move(
        acting_user=None, org=world.grassroots1, new_parent=world.upper2, on=dt.date(2024, 1, 1)
    )
    world.cell_a.refresh_from_db()
    assert set(NameKey.objects.filter(member=world.a1).values_list("org_path", flat=True)) == {
        world.cell_a.path
    }
    upper2 = world.users["other_upper"]
    assert "Nguyễn Văn An" in found("an", members_visible_to(upper2), within=search_scope(upper2))


def test_rebuild_writes_the_keys_of_every_member(world):
    NameKey.objects.all().delete()
    make_org("Chi bộ 4", "cell", world.grassroots2)
    assert name_keys_rebuild(batch=2) == 12  # four members of three words
    assert found("binh") == ["Trần Thị Bình"]


def test_a_name_search_costs_a_few_queries_whatever_the_matches(world):
    for i in range(60):
        make_member(f"Nguyễn Văn {i:02d}", world.cell_c)
    with CaptureQueriesContext(connection) as queries:
        page = member_search(Member.objects.all(), "nguyen van", limit=20)
    assert len(page.rows) == 20
    assert len(queries) <= 6


@pytest.mark.parametrize(("cap", "small_scope"), [(2000, 20000), (1, 1)])
def test_queries_of_several_words_rank_the_same_in_every_strategy(
    world, monkeypatch, cap, small_scope
):
    monkeypatch.setattr(search, "SPARSE_CAP", cap)
    monkeypatch.setattr(search, "SMALL_SCOPE", small_scope)
    for name in ["Nguyễn Văn", "Nguyễn Vân Anh", "Nguyễn Bá Văn", "Trần Nguyễn Văn Tú"]:
        make_member(name, world.cell_a)
    assert found("nguyen van", within=[world.province.path]) == [
        "Nguyễn Văn",
        "Nguyễn Văn An",
        "Nguyễn Vân Anh",
        "Trần Nguyễn Văn Tú",
    ]
    assert found("nguyen van an", within=None) == ["Nguyễn Văn An", "Nguyễn Vân Anh"]


def test_the_search_page_shows_ranked_results_in_scope(as_persona, world):
    client = as_persona("secretary")
    page = client.get("/tim-kiem/", {"q": "binh"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Trần Thị Bình" in text
    partial = client.get("/tim-kiem/", {"q": "cuong"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Không tìm thấy đảng viên nào khớp với «cuong»" in partial  # Lê Văn Cường: cell B


def test_the_search_page_costs_the_same_queries_for_20_results_as_for_2(as_persona, world):
    client = as_persona("province")
    client.get("/tim-kiem/", {"q": "van"}, HTTP_HX_REQUEST="true")
    with CaptureQueriesContext(connection) as few:
        client.get("/tim-kiem/", {"q": "van"}, HTTP_HX_REQUEST="true")
    for i in range(30):
        make_member(f"Lý Văn {i:02d}", world.cell_c)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/tim-kiem/", {"q": "van"}, HTTP_HX_REQUEST="true")
    assert response.content.decode().count("<li>") == 20
    assert len(many) <= len(few) + 1  # one more: the «more» check of a full page


def test_a_scope_inside_one_top_node_reads_only_its_streams(world, monkeypatch):
    """National tree: several provinces. A dense query in one of them (or in a committee of it)
    walks the (top node, word, …) index and finds its members only, in name order."""
    monkeypatch.setattr(search, "SPARSE_CAP", 1)
    monkeypatch.setattr(search, "SMALL_SCOPE", 1)
    other = make_org("Đảng bộ tỉnh Khác", "province", None)
    other_cell = make_org("Chi bộ Xa", "cell", make_org("Đảng bộ xã Xa", "upper", other))
    for name in ["Văn Thị Xa", "Đỗ Văn Xa"]:
        make_member(name, other_cell)
    make_member("Bùi Văn Gần", world.cell_a)
    assert search._single_root([other_cell.path]) == other.path
    assert found("van", within=[other.path]) == ["Văn Thị Xa", "Đỗ Văn Xa"]
    assert found("van", within=[world.upper1.path]) == [
        "Nguyễn Văn An",
        "Lê Văn Cường",
        "Bùi Văn Gần",
    ]
    assert found("van xa", within=[other_cell.path]) == ["Đỗ Văn Xa"]  # a later word
    assert found("thi xa", within=[other_cell.path]) == ["Văn Thị Xa"]
    assert found("do van", within=[other.path]) == ["Đỗ Văn Xa"]
    # Both provinces: the country-wide streams, everyone in name order.
    assert search._single_root([other.path, world.province.path]) is None
    assert found("van", within=[other.path, world.province.path])[:2] == [
        "Văn Thị Xa",
        "Nguyễn Văn An",
    ]
