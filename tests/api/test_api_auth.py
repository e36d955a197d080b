import datetime as dt

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone
from ninja.errors import HttpError

from dangvien.accounts.auth import SessionAuth
from dangvien.accounts.models import ApiToken, hash_token


def test_anonymous_request_is_refused_in_vietnamese(as_persona):
    response = as_persona("anonymous").get("/api/v1/orgs")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Chưa đăng nhập")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_session_of_the_web_pages_opens_the_api(as_persona, world):
    response = as_persona("secretary").get("/api/v1/orgs")
    assert response.status_code == 200
    assert [org["name"] for org in response.json()] == ["Chi bộ 1"]


def test_bearer_token_opens_the_api(world, token_for):
    token = token_for("upper")
    response = Client().get("/api/v1/orgs", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert [org["name"] for org in response.json()] == ["Đảng bộ quận Ba Đình"]


def test_only_the_hash_of_a_token_is_stored(world, token_for):
    token = token_for("upper")
    stored = ApiToken.objects.get(user=world.users["upper"])
    assert stored.key_hash == hash_token(token)
    assert token not in stored.key_hash


@pytest.mark.parametrize("header", ["Bearer dv_khong-phai-ma-that", "Bearer ", "bearer sai"])
def test_unknown_token_is_refused(world, header):
    response = Client().get("/api/v1/orgs", headers={"Authorization": header})
    assert response.status_code == 401
    assert "detail" in response.json()


def test_bad_token_is_refused_even_with_a_session(as_persona):
    client = as_persona("province")
    response = client.get("/api/v1/orgs", headers={"Authorization": "Bearer dv_sai"})
    assert response.status_code == 401
    assert response.json()["detail"] == "Mã truy cập API không hợp lệ hoặc đã bị thu hồi."


def test_token_of_a_deactivated_user_is_refused(world, token_for):
    token = token_for("upper")
    world.users["upper"].is_active = False
    world.users["upper"].save()
    response = Client().get("/api/v1/orgs", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_last_use_is_written_at_most_once_a_minute(world, token_for):
    token = token_for("upper")
    client = Client(headers={"Authorization": f"Bearer {token}"})
    client.get("/api/v1/orgs")
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    client.get("/api/v1/orgs")
    assert ApiToken.objects.get().last_used_at == first

    long_ago = timezone.now() - dt.timedelta(minutes=2)
    ApiToken.objects.update(last_used_at=long_ago)
    client.get("/api/v1/orgs")
    latest = ApiToken.objects.get().last_used_at
    assert latest is not None
    assert latest > long_ago


def test_token_lookup_does_not_write_when_recently_used(
    world, token_for, django_assert_num_queries
):
    token = token_for("upper")
    client = Client(headers={"Authorization": f"Bearer {token}"})
    client.get("/api/v1/orgs")
    # token + user (one query), role assignments, the roots
    with django_assert_num_queries(3):
        assert client.get("/api/v1/orgs").status_code == 200


def test_session_auth_checks_csrf_on_unsafe_methods(world):
    request = RequestFactory().post("/api/v1/orgs")
    request.user = world.users["province"]
    request.COOKIES["sessionid"] = "x"
    with pytest.raises(HttpError) as refused:
        SessionAuth()(request)
    assert refused.value.status_code == 403
    assert "CSRF" in refused.value.message


def test_session_auth_lets_safe_methods_through(world):
    request = RequestFactory().get("/api/v1/orgs")
    request.user = world.users["province"]
    assert SessionAuth()(request) == world.users["province"]
