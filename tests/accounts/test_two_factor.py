"""Two-factor login: enrolling an authenticator app, the code after the password, recovery codes,
and the installations that require it of administrators and province staff."""

from __future__ import annotations

import re
from base64 import b32encode

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.conftest import PASSWORD

from dangvien.core.models import AuditEvent


def code_of(device: TOTPDevice, drift: int = 0) -> str:
    """The app's code now; drift=1: the next step's (a code already used is refused, and the
    device accepts one step of clock difference)."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)
    return f"{value:0{device.digits}d}"


def sign_in(username: str, next_url: str = "") -> tuple[Client, str]:
    client = Client()
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post(reverse("login"), data)
    assert response.status_code == 302
    return client, response["Location"]


def enrol(client: Client, user) -> list[str]:
    """Enrol through the pages; the recovery codes shown once."""
    page = client.get(reverse("two_factor_enrol"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post(reverse("two_factor_enrol"), {"code": code_of(device)})
    assert done.status_code == 200
    return re.findall(r"<li><code>([0-9a-f]{10})</code></li>", done.content.decode())


def test_staff_enrol_with_a_qr_code_and_the_secret_then_get_ten_recovery_codes(as_persona, world):
    client = as_persona("upper")
    html = client.get(reverse("two_factor_enrol")).content.decode()
    assert "Đăng nhập hai lớp" in html and "<svg" in html
    device = TOTPDevice.objects.get(user=world.users["upper"], confirmed=False)
    secret = b32encode(device.bin_key).decode()
    assert secret[:4] in html
    wrong = client.post(reverse("two_factor_enrol"), {"code": "000000"})
    assert "Mã không đúng" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    done = client.post(reverse("two_factor_enrol"), {"code": code_of(device)})
    html = done.content.decode()
    assert "chỉ hiện một lần" in html
    codes = re.findall(r"<li><code>([0-9a-f]{10})</code></li>", html)
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    event = AuditEvent.objects.get(action=AuditEvent.Action.TWO_FACTOR)
    assert event.actor == world.users["upper"]


def test_once_enrolled_the_login_asks_for_the_code_after_the_password(world):
    user = world.users["upper"]
    client, _ = sign_in("quanuy_u1")
    enrol(client, user)
    client.post(reverse("logout"))

    client, location = sign_in("quanuy_u1", next_url=reverse("org_tree"))
    assert location.startswith(reverse("two_factor_verify"))
    # Until the code is given, every page sends back to it.
    page = client.get(reverse("org_tree"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("two_factor_verify"))
    htmx = client.get(reverse("org_tree"), headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"].startswith(reverse("two_factor_verify"))
    assert client.get("/api/v1/orgs").status_code == 401

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    response = client.post(location, {"code": code_of(device, drift=1)})
    assert response.status_code == 302 and response["Location"] == reverse("org_tree")
    assert client.get(reverse("org_tree")).status_code == 200


def test_a_wrong_code_is_refused_and_counts_toward_the_lock(world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client, _ = sign_in("quanuy_u1")
    enrol(client, world.users["upper"])
    client.post(reverse("logout"))
    client, location = sign_in("quanuy_u1")
    response = client.post(location, {"code": "000000"})
    assert response.status_code == 200 and "Mã không đúng" in response.content.decode()
    assert client.get(reverse("org_tree")).status_code == 302
    statuses = [client.post(location, {"code": "000000"}).status_code for _ in range(2)]
    assert statuses[-1] == 429
    # Locked: even the right code waits.
    device = TOTPDevice.objects.get(user=world.users["upper"], confirmed=True)
    locked = client.post(location, {"code": code_of(device, drift=1)})
    assert locked.status_code == 429 and "Đã nhập sai quá nhiều lần" in locked.content.decode()


def test_a_recovery_code_works_once(world):
    client, _ = sign_in("quanuy_u1")
    codes = enrol(client, world.users["upper"])
    client.post(reverse("logout"))

    client, location = sign_in("quanuy_u1")
    assert client.post(location, {"code": codes[0]})["Location"] == reverse("home")
    assert StaticToken.objects.filter(device__user=world.users["upper"]).count() == 9
    client.post(reverse("logout"))

    client, location = sign_in("quanuy_u1")
    again = client.post(location, {"code": codes[0]})
    assert again.status_code == 200 and "Mã không đúng" in again.content.decode()


def test_without_an_authenticator_nobody_is_asked_for_a_code(world):
    client, location = sign_in("quanuy_u1")
    assert location == reverse("home")
    assert client.get(reverse("org_tree")).status_code == 200


@pytest.mark.parametrize("persona,username", [("province", "thanhuy"), ("admin", "admin")])
def test_when_required_administrators_and_province_staff_must_enrol_first(
    world, settings, persona, username
):
    settings.DANGVIEN_REQUIRE_2FA = True
    client, location = sign_in(username, next_url=reverse("org_tree"))
    assert location.startswith(reverse("two_factor_enrol"))
    for url in [reverse("org_tree"), reverse("home"), reverse("admin:index")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("two_factor_enrol"))
    assert client.get("/api/v1/orgs").status_code == 401
    enrol(client, world.users[persona])
    assert client.get(reverse("org_tree")).status_code == 200


def test_when_required_other_roles_are_not_asked(world, settings):
    settings.DANGVIEN_REQUIRE_2FA = True
    client, location = sign_in("quanuy_u1")
    assert location == reverse("home")
    assert client.get(reverse("org_tree")).status_code == 200


def test_the_admin_wants_the_code_of_an_enrolled_administrator(world):
    """Signing in through the admin's own login page does not skip the second factor."""
    client, _ = sign_in("admin")
    enrol(client, world.users["admin"])
    client.post(reverse("logout"))
    client = Client()
    client.post(
        reverse("admin:login"), {"username": "admin", "password": PASSWORD, "next": "/quan-tri/"}
    )
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("org_tree"))["Location"].startswith(reverse("two_factor_verify"))


def test_the_admin_asks_nothing_more_of_an_administrator_without_a_device(as_persona):
    assert as_persona("admin").get(reverse("admin:index")).status_code == 200
