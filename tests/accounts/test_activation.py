"""Members open their accounts with a one-time code from their secretary, then sign in with their
CCCD."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from tests.conftest import make_member

from dangvien.accounts.models import ActivationCode, Role, RoleAssignment, User
from dangvien.members.activation import activation_complete, activation_issue

NEW_PASSWORD = "hoa-sen-nở-2026"


@pytest.fixture
def newcomer(world):
    return make_member("Vũ Thị Hạnh", world.cell_a, citizen_id="001180012345")


def test_a_secretary_issues_a_code_and_the_member_gets_an_account(world, newcomer):
    code = activation_issue(acting_user=world.users["secretary"], member=newcomer)
    assert re.fullmatch(r"\d{8}", code)
    user = User.objects.get(member=newcomer)
    assert user.username == "001180012345" and not user.has_usable_password()
    assert RoleAssignment.objects.get(user=user).role == Role.MEMBER
    assert code not in ActivationCode.objects.get().code_hash  # kept hashed


def test_only_those_who_manage_the_record_issue_codes(world, newcomer):
    for persona in ("member", "editor", "other_upper"):
        with pytest.raises(ValidationError):
            activation_issue(acting_user=world.users[persona], member=newcomer)


def test_the_member_activates_once_then_signs_in_with_the_cccd(world, newcomer):
    code = activation_issue(acting_user=world.users["secretary"], member=newcomer)
    client = Client()
    response = client.post(
        reverse("activation"),
        {
            "identifier": "001 180 012 345",
            "code": code,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response["Location"] == reverse("handbook_feed")
    client.logout()
    # Through the login page: the failed-login lock on every path needs the request.
    response = client.post(reverse("login"), {"username": "001180012345", "password": NEW_PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    with pytest.raises(ValidationError, match="mã kích hoạt không đúng"):
        activation_complete(identifier="001180012345", code=code, password="khac-hoan-toan-99")


def test_a_new_code_replaces_the_old_one(world, newcomer):
    old = activation_issue(acting_user=world.users["secretary"], member=newcomer)
    new = activation_issue(acting_user=world.users["secretary"], member=newcomer)
    with pytest.raises(ValidationError):
        activation_complete(identifier="001180012345", code=old, password=NEW_PASSWORD)
    assert activation_complete(identifier="001180012345", code=new, password=NEW_PASSWORD)


def test_wrong_codes_and_weak_passwords_are_explained(world, newcomer):
    code = activation_issue(acting_user=world.users["secretary"], member=newcomer)
    client = Client()
    wrong = client.post(
        reverse("activation"),
        {
            "identifier": "001180012345",
            "code": "00000000",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert "mã kích hoạt không đúng" in wrong.content.decode()
    weak = client.post(
        reverse("activation"),
        {
            "identifier": "001180012345",
            "code": code,
            "password1": "12345678",
            "password2": "12345678",
        },
    )
    assert weak.status_code == 200 and "_auth_user_id" not in client.session
    assert not User.objects.get(member=newcomer).has_usable_password()


def test_repeated_wrong_codes_lock_the_form(world, newcomer, settings):
    settings.AXES_FAILURE_LIMIT = 3
    activation_issue(acting_user=world.users["secretary"], member=newcomer)
    client = Client()
    data = {
        "identifier": "001180012345",
        "code": "11111111",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    statuses = [client.post(reverse("activation"), data).status_code for _ in range(4)]
    assert statuses[-1] == 429
    # What the lock keeps of the failed requests holds no code, password or CCCD.
    from axes.models import AccessAttempt

    kept = " ".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert "11111111" not in kept and NEW_PASSWORD not in kept and "001180012345" not in kept


def test_the_slip_shows_the_code_and_a_qr_code(as_persona, world, newcomer):
    client = as_persona("secretary")
    url = reverse("activation_issue", args=[newcomer.pk])
    assert "Cấp mã kích hoạt" in client.get(url).content.decode()
    html = client.post(url).content.decode()
    assert "<svg" in html and "001180012345" in html
    assert re.search(r'aria-label="Mã kích hoạt \d{8}"', html)
