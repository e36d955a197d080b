"""Granting and removing roles writes the audit log, through the services and in the admin."""

from __future__ import annotations

from dangvien.accounts.models import Role, RoleAssignment
from dangvien.accounts.services import role_assign, role_remove
from dangvien.core.models import AuditEvent


def role_events(user) -> list[tuple[str, dict | None, dict | None]]:
    events = AuditEvent.objects.filter(
        target_type="accounts.user",
        target_id=user.pk,
        action__in=[AuditEvent.Action.ROLE_ASSIGN, AuditEvent.Action.ROLE_REMOVE],
    ).order_by("id")
    return [(e.action, e.before, e.after) for e in events]


def test_granting_a_role_is_audited_once(world):
    admin, upper = world.users["admin"], world.users["upper"]
    role_assign(acting_user=admin, user=upper, role=Role.GRASSROOTS_STAFF, org=world.grassroots1)
    role_assign(acting_user=admin, user=upper, role=Role.GRASSROOTS_STAFF, org=world.grassroots1)
    assert role_events(upper) == [
        ("role_assign", None, {"role": "grassroots_staff", "org": world.grassroots1.pk})
    ]
    event = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_ASSIGN)
    assert event.actor == admin
    assert "Cán bộ đảng ủy cơ sở" in event.summary and "Đảng bộ phường Kim Mã" in event.summary


def test_removing_a_role_is_audited(world):
    admin, upper = world.users["admin"], world.users["upper"]
    assignment = RoleAssignment.objects.get(user=upper, role=Role.UPPER_STAFF)
    role_remove(acting_user=admin, assignment=assignment)
    assert not RoleAssignment.objects.filter(user=upper).exists()
    assert role_events(upper) == [
        ("role_remove", {"role": "upper_staff", "org": world.upper1.pk}, None)
    ]


def _inline_data(user, rows: list[dict]) -> dict:
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": "01/01/2025",
        "date_joined_1": "00:00:00",
        "initial-date_joined_0": "01/01/2025",
        "initial-date_joined_1": "00:00:00",
        "roles-TOTAL_FORMS": str(len(rows)),
        "roles-INITIAL_FORMS": str(sum(1 for r in rows if r.get("id"))),
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"roles-{i}-{key}"] = value
        data[f"roles-{i}-user"] = str(user.pk)
    return data


def test_role_changes_in_the_admin_are_audited(as_persona, world):
    from django.urls import reverse

    client = as_persona("admin")
    upper = world.users["upper"]
    url = reverse("admin:accounts_user_change", args=[upper.pk])
    assert client.get(url).status_code == 200
    current = RoleAssignment.objects.get(user=upper)
    rows = [
        # The existing grant moves to another node: a removal and a grant.
        {"id": str(current.pk), "role": "upper_staff", "org": str(world.upper2.pk)},
        {"role": "content_editor", "org": str(world.province.pk)},
    ]
    response = client.post(url, _inline_data(upper, rows))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert role_events(upper) == [
        ("role_remove", {"role": "upper_staff", "org": world.upper1.pk}, None),
        ("role_assign", None, {"role": "upper_staff", "org": world.upper2.pk}),
        ("role_assign", None, {"role": "content_editor", "org": world.province.pk}),
    ]
    editor = RoleAssignment.objects.get(user=upper, role=Role.CONTENT_EDITOR)
    moved = RoleAssignment.objects.get(user=upper, role=Role.UPPER_STAFF)
    rows = [
        {"id": str(moved.pk), "role": "upper_staff", "org": str(world.upper2.pk)},
        {
            "id": str(editor.pk),
            "role": "content_editor",
            "org": str(world.province.pk),
            "DELETE": "on",
        },
    ]
    response = client.post(url, _inline_data(upper, rows))
    assert response.status_code == 302
    assert role_events(upper)[-1] == (
        "role_remove",
        {"role": "content_editor", "org": world.province.pk},
        None,
    )
    assert len(role_events(upper)) == 4  # the unchanged row wrote nothing
