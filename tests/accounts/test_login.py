"""Signing in and out, the failed-login lock (django-axes), changing one's password.

Axes keeps its counts in the database, so each test starts with none (the test's transaction is
rolled back)."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.conftest import PASSWORD


def failures(**who) -> int:
    return AccessAttempt.objects.filter(**who).aggregate(n=Sum("failures_since_start"))["n"] or 0


WRONG = "khong-phai-mat-khau"


def post_login(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_login_page_is_in_vietnamese(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi"' in html
    assert "Tên đăng nhập" in html and "Mật khẩu" in html


def test_secretary_logs_in_and_lands_on_the_key_figures_of_the_cell(client, world):
    response = post_login(client, "bithu_a", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    html = client.get(reverse("home")).content.decode()
    assert "Tổng quan" in html and "Chi bộ 1" in html
    assert '<span class="key-number">2</span> đảng viên' in html


def test_a_member_lands_on_the_handbook(client, world):
    post_login(client, "dv_a1", PASSWORD)
    assert client.get(reverse("home")).url == reverse("handbook_feed")


def test_login_follows_a_safe_next_but_not_another_site(client, world):
    target = reverse("org_members", args=[world.cell_a.pk])
    response = client.post(
        reverse("login"), {"username": "bithu_a", "password": PASSWORD, "next": target}
    )
    assert response["Location"] == target
    client.logout()
    response = client.post(
        reverse("login"),
        {"username": "bithu_a", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")


def test_wrong_password_says_so_in_vietnamese_and_is_recorded(client, world):
    response = post_login(client, "bithu_a", WRONG)
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert failures(username="bithu_a", ip_address="10.0.0.1") == 1


def test_right_password_is_refused_after_five_failures_for_the_username(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for i in range(5):
        post_login(client, "bithu_a", WRONG, ip=f"10.0.0.{i + 1}")
    response = post_login(client, "bithu_a", PASSWORD, ip="10.9.9.9")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Đã nhập sai quá nhiều lần" in html
    assert "15 phút" in html
    assert "_auth_user_id" not in client.session
    # Refused attempts are not recorded: the lock does not grow while the user keeps trying.
    assert failures(username="bithu_a") == 5


def test_four_failures_do_not_lock(client, world):
    for _ in range(4):
        post_login(client, "bithu_a", WRONG)
    assert post_login(client, "bithu_a", PASSWORD).status_code == 302


def test_failures_from_one_address_lock_every_username_from_it(client, world):
    for name in ["a", "b", "c", "d", "e"]:
        post_login(client, name, WRONG, ip="203.0.113.7")
    assert post_login(client, "bithu_a", PASSWORD, ip="203.0.113.7").status_code == 429
    assert post_login(client, "bithu_a", PASSWORD, ip="203.0.113.8").status_code == 302


def test_lock_ends_when_the_failures_leave_the_window(client, world, settings):
    for _ in range(5):
        post_login(client, "bithu_a", WRONG)
    # Age the failures: 10 minutes ago, so 5 minutes remain of the 15.
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=10))
    response = post_login(client, "bithu_a", PASSWORD)
    assert response.status_code == 429
    assert "khoảng 5 phút" in response.content.decode()
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=1)
    )
    assert post_login(client, "bithu_a", PASSWORD).status_code == 302


def test_username_case_does_not_escape_the_lock(client, world):
    for _ in range(5):
        post_login(client, "BITHU_A", WRONG, ip="10.0.0.2")
    assert post_login(client, "bithu_a", PASSWORD, ip="10.0.0.3").status_code == 429


def test_success_clears_the_usernames_failures(client, world):
    for _ in range(3):
        post_login(client, "bithu_a", WRONG)
    assert post_login(client, "bithu_a", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="bithu_a").exists()


def test_logout_answers_405_to_get_and_ends_the_session_on_post(as_persona):
    client = as_persona("secretary")
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("org_tree")).status_code == 302


@pytest.mark.parametrize("name", ["home", "org_tree", "password_change"])
def test_pages_send_anonymous_to_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_htmx_request_after_the_session_ended_reloads_the_login_page(client, world):
    response = client.get(
        reverse("org_children", args=[world.grassroots1.pk]),
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/to-chuc/"},
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("login") + "?next=/to-chuc/"


def test_logged_in_user_sees_the_login_page_with_a_way_back(as_persona):
    response = as_persona("secretary").get(reverse("login"))
    assert response.status_code == 200
    assert "đang đăng nhập với tên" in response.content.decode()


def test_password_change_in_vietnamese(as_persona, world):
    client = as_persona("secretary")
    assert "Đổi mật khẩu" in client.get(reverse("password_change")).content.decode()
    response = client.post(
        reverse("password_change"),
        {"old_password": WRONG, "new_password1": "x", "new_password2": "y"},
    )
    assert "Mật khẩu hiện tại không đúng" in response.content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "chi-bo-mot-2026-moi",
            "new_password2": "chi-bo-mot-2026-moi",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    world.users["secretary"].refresh_from_db()
    assert world.users["secretary"].check_password("chi-bo-mot-2026-moi")


def test_behind_a_proxy_failures_count_per_client_address(client, world, settings):
    settings.PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": "khong-co", "password": "sai"},
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    other_client = client.post(
        reverse("login"),
        {"username": "bithu_a", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    assert other_client.status_code == 302


def test_the_admin_login_is_locked_by_the_same_failures(client, world):
    for _ in range(5):
        post_login(client, "admin", WRONG)
    response = client.post(
        reverse("admin:login"),
        {"username": "admin", "password": PASSWORD, "next": "/quan-tri/"},
        REMOTE_ADDR="10.9.9.9",
    )
    assert response.status_code == 429
    assert "Đã nhập sai quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_at_the_admin_login_lock_the_login_page(client, world):
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "admin", "password": WRONG})
    assert post_login(client, "admin", PASSWORD, ip="10.9.9.9").status_code == 429


def test_a_members_cccd_login_is_locked_too(client, world):
    world.users["member"].set_password(PASSWORD)
    world.users["member"].save()
    for i in range(5):
        post_login(client, "001080012345", WRONG, ip=f"10.0.1.{i}")
    assert post_login(client, "001080012345", PASSWORD, ip="10.9.9.9").status_code == 429
    assert post_login(client, "dv_a1", PASSWORD, ip="10.9.9.8").status_code == 302


def test_an_htmx_login_after_the_lock_shows_the_page_whole(client, world):
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "admin", "password": WRONG})
    response = client.post(
        reverse("admin:login"),
        {"username": "admin", "password": PASSWORD},
        headers={"HX-Request": "true"},
    )
    assert response["HX-Retarget"] == "body"
    assert "Đã nhập sai quá nhiều lần" in response.content.decode()


def test_the_api_answers_anonymous_in_json_not_with_a_redirect(client, db):
    response = client.get("/api/v1/orgs")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")


def test_a_view_without_any_decorator_is_closed_to_anonymous(client, db, settings):
    settings.ROOT_URLCONF = "tests.web.bare_urls"
    response = client.get("/bare/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/bare/"


def test_the_pwa_files_are_open_to_anonymous(client, db):
    assert client.get(reverse("manifest")).status_code == 200
    assert client.get(reverse("service_worker")).status_code == 200
