from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from dangvien.accounts.models import ApiToken, hash_token
from dangvien.core.models import AuditEvent


def issue(username):
    out, err = StringIO(), StringIO()
    call_command("token", username, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_token_is_printed_once_and_only_its_hash_kept(world):
    token, notice = issue("quanuy_u1")
    assert "không hiện lại" in notice
    stored = ApiToken.objects.get(user=world.users["upper"])
    assert stored.key_hash == hash_token(token)
    response = Client().get("/api/v1/orgs", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_each_run_issues_a_new_token(world):
    first, _ = issue("quanuy_u1")
    second, _ = issue("quanuy_u1")
    assert first != second
    assert ApiToken.objects.filter(user=world.users["upper"]).count() == 2


def test_issuing_a_token_is_audited(world):
    issue("quanuy_u1")
    event = AuditEvent.objects.get(action=AuditEvent.Action.TOKEN)
    assert (event.target_type, event.target_id) == ("accounts.user", world.users["upper"].pk)


def test_unknown_user_is_refused_in_vietnamese(world):
    with pytest.raises(CommandError, match="Không có người dùng «khong_co»"):
        issue("khong_co")
    assert not ApiToken.objects.exists()


def test_deactivated_user_gets_no_token(world):
    world.users["upper"].is_active = False
    world.users["upper"].save()
    with pytest.raises(CommandError, match="đã bị khoá"):
        issue("quanuy_u1")
