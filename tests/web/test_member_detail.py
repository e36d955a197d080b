"""The member record page: scoped, every opening audited, the history shown to those entitled."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from dangvien.core.audit import audit_trail
from dangvien.core.models import AuditEvent
from dangvien.members.models import Status
from dangvien.members.services import member_set_status


def detail_url(member) -> str:
    return reverse("member_detail", args=[member.pk])


def views_of(member) -> list[AuditEvent]:
    return list(audit_trail(member).filter(action=AuditEvent.Action.VIEW))


def test_secretary_opens_a_record_of_their_cell(as_persona, world):
    response = as_persona("secretary").get(detail_url(world.a1))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nguyễn Văn An" in html
    assert "001080012345" in html and "01234567" in html
    assert "17/05/1980" in html and "02/03/2010" in html
    assert "Chính thức" in html and "Chi bộ 1" in html


def test_every_opening_writes_a_view_audit_row(as_persona, world):
    client = as_persona("secretary")
    client.get(detail_url(world.a1))
    client.get(detail_url(world.a1))
    rows = views_of(world.a1)
    assert len(rows) == 2
    assert {row.actor for row in rows} == {world.users["secretary"]}


def test_secretary_sees_the_history_with_who_and_what(as_persona, world):
    member_set_status(
        acting_user=world.users["secretary"],
        member=world.a2,
        status=Status.EXEMPTED,
        on=world.a2.admission_date,
    )
    html = as_persona("secretary").get(detail_url(world.a2)).content.decode()
    assert "Lịch sử hồ sơ" in html
    assert "Xem hồ sơ" in html  # this very opening
    assert "bithu_a" in html
    assert "Chuyển tình trạng sang «Miễn sinh hoạt»" in html
    # before → after of the change, in words
    assert "<td>Chính thức</td><td>Miễn sinh hoạt</td>" in html
    assert "Tạo hồ sơ đảng viên Trần Thị Bình" in html
    assert "Hệ thống" in html  # the record was created with no acting user


def test_member_sees_their_own_record_and_its_history(as_persona, world):
    html = as_persona("member").get(detail_url(world.a1)).content.decode()
    assert "Nguyễn Văn An" in html and "Lịch sử hồ sơ" in html


@pytest.mark.parametrize(
    ("persona", "member_name"),
    [
        ("secretary", "b1"),
        ("secretary", "c1"),
        ("member", "a2"),
        ("grassroots", "c1"),
        ("other_upper", "a1"),
        ("editor", "a1"),
    ],
)
def test_record_out_of_scope_is_a_plain_404_and_not_audited(
    as_persona, world, persona, member_name
):
    member = getattr(world, member_name)
    response = as_persona(persona).get(detail_url(member))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html
    assert member.full_name not in html
    assert views_of(member) == []


def without_csrf_token(html: str) -> str:
    """Tokens are masked afresh for each response; everything else must be identical."""
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", html)


def test_missing_record_answers_the_same_404(as_persona, world):
    client = as_persona("secretary")
    missing = client.get(reverse("member_detail", args=[999999]))
    hidden = client.get(detail_url(world.b1))
    assert missing.status_code == hidden.status_code == 404
    assert without_csrf_token(missing.content.decode()) == without_csrf_token(
        hidden.content.decode()
    )


def test_content_editor_cannot_see_the_record_nor_its_history(as_persona, world):
    response = as_persona("editor").get(detail_url(world.a1))
    assert response.status_code == 404
    assert "Lịch sử hồ sơ" not in response.content.decode()


def test_anonymous_is_sent_to_login_and_nothing_is_audited(client, world):
    response = client.get(detail_url(world.a1))
    assert response.status_code == 302
    assert views_of(world.a1) == []


def test_record_page_costs_a_fixed_number_of_queries(
    as_persona, world, django_assert_max_num_queries
):
    client = as_persona("secretary")
    for _ in range(5):
        client.get(detail_url(world.a1))
    # session, user, roles, member, audit insert, org visible?, trail (+ savepoints)
    with django_assert_max_num_queries(10):
        client.get(detail_url(world.a1))
