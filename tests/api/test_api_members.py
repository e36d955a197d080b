import pytest
from tests.conftest import make_member
from tests.walk.oracle import PERSONAS, VISIBLE_MEMBERS

from dangvien.core.models import AuditEvent


def names(response):
    assert response.status_code == 200, response.content
    return [member["full_name"] for member in response.json()["items"]]


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_each_persona_lists_exactly_the_members_in_scope(as_persona, world, persona):
    listed = as_persona(persona).get("/api/v1/members").json()["items"]
    assert {member["id"] for member in listed} == {
        getattr(world, name).pk for name in VISIBLE_MEMBERS[persona]
    }


def test_list_item_shows_status_and_cell(as_persona, world):
    item = as_persona("secretary").get("/api/v1/members").json()["items"][0]
    assert item == {
        "id": world.a1.pk,
        "full_name": "Nguyễn Văn An",
        "gender": {"code": "M", "label": "Nam"},
        "date_of_birth": "1980-05-17",
        "status": {"code": "official", "label": "Chính thức"},
        "org": {"id": world.cell_a.pk, "name": "Chi bộ 1"},
    }


def test_members_are_ordered_by_given_name_in_vietnamese(as_persona, world):
    for name in ["Bùi Đức Ân", "Đỗ Thị Ánh", "Vũ Văn Anh"]:
        make_member(name, world.cell_c)
    listed = names(as_persona("province").get("/api/v1/members", {"org": world.cell_c.pk}))
    assert listed == ["Vũ Văn Anh", "Đỗ Thị Ánh", "Bùi Đức Ân", "Phạm Thị Dung"]


def test_org_keeps_the_members_of_its_subtree(as_persona, world):
    client = as_persona("upper")
    assert names(client.get("/api/v1/members", {"org": world.cell_b.pk})) == ["Lê Văn Cường"]
    assert names(client.get("/api/v1/members", {"org": world.grassroots1.pk})) == [
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Văn Cường",
    ]


def test_org_out_of_scope_answers_like_a_missing_one(as_persona, world):
    client = as_persona("upper")
    out_of_scope = client.get("/api/v1/members", {"org": world.cell_c.pk})
    missing = client.get("/api/v1/members", {"org": 987654321})
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.json() == missing.json()


@pytest.mark.parametrize("query", ["Bình", "binh", "BINH", "thi binh", "Trần Thị Bình"])
def test_search_ignores_tones_and_marks(as_persona, world, query):
    assert names(as_persona("province").get("/api/v1/members", {"q": query})) == ["Trần Thị Bình"]


def test_search_matches_d_for_đ(as_persona, world):
    make_member("Đặng Văn Đức", world.cell_a)
    client = as_persona("secretary")
    assert names(client.get("/api/v1/members", {"q": "dang van duc"})) == ["Đặng Văn Đức"]
    assert names(client.get("/api/v1/members", {"q": "Đức"})) == ["Đặng Văn Đức"]


@pytest.mark.parametrize("query", ["01234567", "001080012345"])
def test_search_by_card_number_or_citizen_id(as_persona, world, query):
    assert names(as_persona("secretary").get("/api/v1/members", {"q": query})) == ["Nguyễn Văn An"]


def test_search_stays_in_scope(as_persona, world):
    assert names(as_persona("secretary").get("/api/v1/members", {"q": "dung"})) == []


def test_pages_give_the_next_offset_without_counting(as_persona, world):
    client = as_persona("secretary")
    first = client.get("/api/v1/members", {"limit": 1}).json()
    assert [m["full_name"] for m in first["items"]] == ["Nguyễn Văn An"]
    assert first["next"] == 1
    assert "count" not in first
    last = client.get("/api/v1/members", {"limit": 1, "offset": 1}).json()
    assert [m["full_name"] for m in last["items"]] == ["Trần Thị Bình"]
    assert last["next"] is None


@pytest.mark.parametrize("limit", [0, 201, "nhiều"])
def test_bad_page_size_is_refused_in_vietnamese(as_persona, world, limit):
    response = as_persona("secretary").get("/api/v1/members", {"limit": limit})
    assert response.status_code == 422
    assert response.json()["detail"] == "Tham số không hợp lệ."


def test_a_page_of_fifty_costs_the_same_queries_as_a_page_of_five(
    as_persona, world, django_assert_num_queries
):
    for i in range(60):
        make_member(f"Hoàng Văn Số{i:02d}", world.cell_a)
    client = as_persona("secretary")
    # session, user, role assignments, the page of members (no COUNT)
    with django_assert_num_queries(4):
        page = client.get("/api/v1/members", {"limit": 50}).json()
    assert len(page["items"]) == 50
    assert page["next"] == 50
    with django_assert_num_queries(4):
        assert len(client.get("/api/v1/members", {"limit": 5}).json()["items"]) == 5
    with django_assert_num_queries(4):
        assert len(client.get("/api/v1/members").json()["items"]) == 50  # default page


def test_member_record_shows_identity_status_and_cards(as_persona, world):
    response = as_persona("province").get(f"/api/v1/members/{world.a1.pk}")
    assert response.status_code == 200
    record = response.json()
    assert record["full_name"] == "Nguyễn Văn An"
    assert record["status"] == {"code": "official", "label": "Chính thức"}
    assert record["org"] == {"id": world.cell_a.pk, "name": "Chi bộ 1"}
    assert record["citizen_id"] == "001080012345"
    assert record["party_card_number"] == "01234567"
    assert record["admission_date"] == "2010-03-02"
    assert record["date_of_birth"] == "1980-05-17"


def test_opening_a_record_is_written_to_the_audit_log(as_persona, world):
    as_persona("upper").get(f"/api/v1/members/{world.b1.pk}")
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW)
    assert event.actor == world.users["upper"]
    assert (event.target_type, event.target_id) == ("members.member", world.b1.pk)


def test_a_member_sees_their_own_record_only(as_persona, world):
    client = as_persona("member")
    assert client.get(f"/api/v1/members/{world.a1.pk}").status_code == 200
    assert client.get(f"/api/v1/members/{world.a2.pk}").status_code == 404


def test_record_out_of_scope_answers_like_a_missing_one_and_is_not_logged(as_persona, world):
    client = as_persona("other_upper")
    out_of_scope = client.get(f"/api/v1/members/{world.a1.pk}")
    missing = client.get("/api/v1/members/987654321")
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.json() == missing.json()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()


def test_editor_sees_no_member_records(as_persona, world):
    client = as_persona("editor")
    assert names(client.get("/api/v1/members")) == []
    assert client.get(f"/api/v1/members/{world.a1.pk}").status_code == 404


def test_search_ranks_the_exact_name_then_names_starting_with_it(as_persona, world):
    for name in ["Văn Thị Hoa", "Văn"]:
        make_member(name, world.cell_c)
    listed = names(as_persona("province").get("/api/v1/members", {"q": "van"}))
    assert listed == ["Văn", "Văn Thị Hoa", "Nguyễn Văn An", "Lê Văn Cường"]


def test_search_pages_without_count(as_persona, world):
    for i in range(3):
        make_member(f"Hoàng Văn {chr(ord('A') + i)}", world.cell_c)
    client = as_persona("province")
    first = client.get("/api/v1/members", {"q": "hoang", "limit": 2}).json()
    rest = client.get("/api/v1/members", {"q": "hoang", "limit": 2, "offset": 2}).json()
    assert [m["full_name"] for m in first["items"]] == ["Hoàng Văn A", "Hoàng Văn B"]
    assert first["next"] == 2
    assert [m["full_name"] for m in rest["items"]] == ["Hoàng Văn C"]
    assert rest["next"] is None


def test_list_filters(as_persona, world):
    client = as_persona("province")
    assert names(client.get("/api/v1/members", {"gender": "F"})) == [
        "Trần Thị Bình",
        "Phạm Thị Dung",
    ]
    assert names(client.get("/api/v1/members", {"gender": "F", "q": "thi binh"})) == [
        "Trần Thị Bình"
    ]
    assert names(client.get("/api/v1/members", {"status": "deceased"})) == []


def test_filters_are_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/members"]["get"]
    parameters = {p["name"] for p in operation["parameters"]}
    assert {"q", "org", "status", "gender", "age", "ethnicity", "admission_year", "sort"} <= (
        parameters
    )
