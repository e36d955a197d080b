"""The demo accounts: one per role, fixed usernames, placed where their role makes sense."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from dangvien.accounts.models import Role, RoleAssignment, User
from dangvien.members.models import IN_PARTY


@pytest.fixture
def demo(db, settings):
    call_command("demo", scale="tiny", stdout=StringIO())
    return (settings.VAR_DIR / "demo_password").read_text().strip()


def role_of(username: str) -> RoleAssignment:
    (assignment,) = RoleAssignment.objects.filter(user__username=username).select_related("org")
    return assignment


def test_each_role_has_its_account(demo):
    expected = {
        "admin": Role.SYSTEM_ADMIN,
        "thanhuy": Role.PROVINCE_STAFF,
        "quanuy": Role.UPPER_STAFF,
        "coso": Role.GRASSROOTS_STAFF,
        "bithu": Role.CELL_SECRETARY,
        "dangvien": Role.MEMBER,
        "bientap": Role.CONTENT_EDITOR,
        "quanuy2": Role.UPPER_STAFF,
        "bithu2": Role.CELL_SECRETARY,
    }
    assert {u: role_of(u).role for u in expected} == expected
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and role_of("admin").org is None
    assert all(User.objects.get(username=u).check_password(demo) for u in expected)


def test_accounts_sit_on_one_chain_of_the_tree(demo):
    province, upper = role_of("thanhuy").org, role_of("quanuy").org
    grassroots, cell = role_of("coso").org, role_of("bithu").org
    assert province is not None and upper is not None and grassroots is not None
    assert cell is not None
    assert (province.level.code, upper.level.code) == ("province", "upper")
    assert (grassroots.level.code, cell.level.code) == ("grassroots_committee", "cell")
    assert upper.parent_id == province.pk and grassroots.parent_id == upper.pk
    assert cell.parent_id == grassroots.pk
    assert role_of("bientap").org == province
    upper2, cell2 = role_of("quanuy2").org, role_of("bithu2").org
    assert upper2 is not None and cell2 is not None and upper2 != upper
    assert cell2.path.startswith(upper2.path)


def test_the_member_account_belongs_to_the_secretarys_cell(demo):
    member = User.objects.get(username="dangvien").member
    assert member is not None
    assert member.status in IN_PARTY
    assert member.org == role_of("bithu").org == role_of("dangvien").org


def test_password_is_kept_and_listed_with_the_address(demo, monkeypatch):
    out = StringIO()
    call_command("demo_accounts", stdout=out)
    text = out.getvalue()
    assert "Tài khoản" in text and "Vai trò" in text and "Tổ chức" in text
    assert "bithu2" in text and "Bí thư chi bộ" in text
    assert demo in text and "http://127.0.0.1:8000/" in text
    monkeypatch.setenv("DEMO_PASSWORD", "mat-khau-rieng-2026")
    out = StringIO()
    call_command("demo_accounts", stdout=out)
    assert "mat-khau-rieng-2026" in out.getvalue()


def test_demo_accounts_without_demo_says_so(db):
    out = StringIO()
    call_command("demo_accounts", stdout=out)
    assert "dangvien demo" in out.getvalue()
