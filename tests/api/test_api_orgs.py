import datetime as dt

import pytest
from tests.conftest import make_org
from tests.walk.oracle import PERSONAS, ROOT_ORGS

from dangvien.restructuring.services import org_dissolve


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_each_persona_starts_the_tree_at_its_own_top(as_persona, world, persona):
    response = as_persona(persona).get("/api/v1/orgs")
    assert response.status_code == 200
    assert {org["id"] for org in response.json()} == {
        world.org(name).pk for name in ROOT_ORGS[persona]
    }


def test_one_org_tells_its_level_place_and_numbers(as_persona, world):
    response = as_persona("upper").get(f"/api/v1/orgs/{world.grassroots1.pk}")
    assert response.status_code == 200
    assert response.json() == {
        "id": world.grassroots1.pk,
        "name": "Đảng bộ phường Kim Mã",
        "level": {"code": "grassroots_committee", "name": world.grassroots1.level.name},
        "kind": {"code": "ward", "name": world.grassroots1.kind.name},
        "parent_id": world.upper1.pk,
        "depth": 3,
        "founded_on": "2015-01-01",
        "dissolved_on": None,
        "child_count": 2,
        "member_count": 3,
    }


def test_org_out_of_scope_answers_like_a_missing_one(as_persona, world):
    client = as_persona("other_upper")
    out_of_scope = client.get(f"/api/v1/orgs/{world.grassroots1.pk}")
    missing = client.get("/api/v1/orgs/987654321")
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.json() == missing.json()
    assert out_of_scope.json()["detail"] == "Không tìm thấy hoặc bạn không có quyền xem."


def test_children_are_paged_with_the_next_offset(as_persona, world):
    client = as_persona("province")
    first = client.get(f"/api/v1/orgs/{world.province.pk}/children", {"limit": 1}).json()
    assert [org["name"] for org in first["items"]] == ["Đảng bộ quận Ba Đình"]
    assert first["items"][0]["child_count"] == 1
    assert first["next"] == 1
    second = client.get(
        f"/api/v1/orgs/{world.province.pk}/children", {"limit": 1, "offset": first["next"]}
    ).json()
    assert [org["name"] for org in second["items"]] == ["Đảng bộ quận Tây Hồ"]
    assert second["next"] is None


def test_dissolved_children_only_on_request(as_persona, world):
    cell = make_org("Chi bộ 4", "cell", world.grassroots1)
    org_dissolve(acting_user=None, org=cell, on=dt.date(2024, 6, 30))
    client = as_persona("grassroots")
    url = f"/api/v1/orgs/{world.grassroots1.pk}/children"
    assert [org["name"] for org in client.get(url).json()["items"]] == ["Chi bộ 1", "Chi bộ 2"]
    everything = client.get(url, {"include_dissolved": "true"}).json()["items"]
    assert [org["name"] for org in everything] == ["Chi bộ 1", "Chi bộ 2", "Chi bộ 4"]
    assert everything[2]["dissolved_on"] == "2024-06-30"


def test_children_of_an_org_out_of_scope_are_not_found(as_persona, world):
    response = as_persona("secretary").get(f"/api/v1/orgs/{world.grassroots1.pk}/children")
    assert response.status_code == 404


def test_page_size_is_capped(as_persona, world):
    response = as_persona("province").get(
        f"/api/v1/orgs/{world.province.pk}/children", {"limit": 201}
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "Tham số không hợp lệ."
