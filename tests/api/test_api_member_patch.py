"""PATCH a member record through the API: version, problems, conflicts."""

from __future__ import annotations

import json

from dangvien.members.models import Member


def patch(client, member_id, body):
    return client.patch(
        f"/api/v1/members/{member_id}", json.dumps(body), content_type="application/json"
    )


def test_patch_saves_with_the_version_read(as_persona, world):
    client = as_persona("secretary")
    version = client.get(f"/api/v1/members/{world.a2.pk}").json()["version"]
    response = patch(client, world.a2.pk, {"version": version, "phone": "0912345678"})
    assert response.status_code == 200, response.content
    assert response.json()["version"] == version + 1
    assert Member.objects.get(pk=world.a2.pk).phone == "0912345678"


def test_patch_with_an_old_version_is_a_conflict(as_persona, world):
    client = as_persona("secretary")
    version = client.get(f"/api/v1/members/{world.a2.pk}").json()["version"]
    patch(client, world.a2.pk, {"version": version, "phone": "0911111111"})
    late = patch(client, world.a2.pk, {"version": version, "phone": "0922222222"})
    assert late.status_code == 409
    assert (
        late.json()["changes"][0]
        == {
            "field": "phone",
            "label": "số điện thoại",
            "yours": "0922222222",
            "saved": "0911111111",
        }
        or late.json()["changes"][0]["saved"] == "0911111111"
    )


def test_patch_problems_are_explained(as_persona, world):
    client = as_persona("secretary")
    version = client.get(f"/api/v1/members/{world.a2.pk}").json()["version"]
    bad = patch(client, world.a2.pk, {"version": version, "citizen_id": "123"})
    assert bad.status_code == 422
    assert bad.json()["problems"][0]["rule"] == "cccd_length"
    status = patch(client, world.a2.pk, {"version": version, "status": "deceased"})
    assert status.status_code == 422
    date = patch(client, world.a2.pk, {"version": version, "admission_date": "không phải ngày"})
    assert date.status_code == 422


def test_only_managers_of_the_record_patch(as_persona, world):
    assert patch(as_persona("member"), world.a1.pk, {"version": 1, "phone": "1"}).status_code == 404
    assert patch(as_persona("other_upper"), world.a1.pk, {"version": 1}).status_code == 404
