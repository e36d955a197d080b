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
    # session, user, roles, member, audit insert, org visible?, trail (+ savepoints),
    # one query per table of the dossier (7), the party cards, and the status history and
    # periods of lost contact for the party age
    with django_assert_max_num_queries(19):
        client.get(detail_url(world.a1))


# The dossier on the member page (issue 3).


def _fill_dossier(world, member) -> None:
    import datetime as dt

    from dangvien.members.services import dossier_row_add, supplement_record

    user = world.users["admin"]
    rows = [
        ("family", {"relation": "Mẹ", "full_name": "Đỗ Thị Lan", "birth_year": 1955}),
        (
            "work_history",
            {"start": dt.date(2002, 8, 1), "description": "Cán bộ UBND phường Kim Mã"},
        ),
        ("training", {"start": dt.date(1998, 9, 1), "school": "Học viện Hành chính"}),
        ("awards", {"date": dt.date(2020, 9, 2), "form": "Bằng khen của Thành ủy"}),
        ("positions", {"kind": "party", "title": "Phó Bí thư chi bộ"}),
    ]
    for table, values in rows:
        dossier_row_add(acting_user=user, member=member, table=table, values=values)
    supplement_record(
        acting_user=user,
        member=member,
        year=2024,
        changes={
            "theory_level": "trung_cap",
            "education": "12/12",
            "occupation": "can_bo_cong_chuc",
        },
        note="Bổ sung trình độ",
    )


def test_the_page_shows_the_whole_dossier_in_sections(as_persona, world):
    from dangvien.members.models import Member

    Member.objects.filter(pk=world.a1.pk).update(
        phone="0912345678",
        hometown="Xã Tam Hiệp, Huyện Thanh Trì, Hà Nội",
        residence_address="12 Hàng Bạc",
        residence_province_code=1,
        residence_ward_code=70,
        residence_original="12 Hàng Bạc, Phường Hàng Bạc, Quận Hoàn Kiếm, Hà Nội",
        introducer_1="Lê Văn Cường",
    )
    _fill_dossier(world, world.a1)
    html = as_persona("secretary").get(detail_url(world.a1)).content.decode()
    for section in [
        "Sơ yếu",
        "Quê quán và nơi ở",
        "Trình độ",
        "Vào Đảng",
        "Quá trình công tác",
        "Đào tạo",
        "Khen thưởng",
        "Kỷ luật",
        "Gia đình",
        "Chức vụ",
        "Bổ sung hằng năm",
    ]:
        assert f"<h3>{section}" in html, section
    assert html.count("<details") == 11
    assert "12 Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội" in html
    assert "Quận Hoàn Kiếm" in html  # the address as first written is kept
    assert "Trung cấp" in html and "Cán bộ, công chức" in html and "12/12" in html
    assert "Đỗ Thị Lan" in html and "(1955)" in html
    assert "Cán bộ UBND phường Kim Mã" in html and "Học viện Hành chính" in html
    assert "Bằng khen của Thành ủy" in html and "Phó Bí thư chi bộ" in html
    assert "Năm 2024" in html and "Lê Văn Cường" in html
    assert 'href="tel:0912345678"' in html
    assert reverse("member_photo", args=[world.a1.pk]) in html


def test_an_empty_dossier_says_what_is_missing(as_persona, world):
    html = as_persona("secretary").get(detail_url(world.a2)).content.decode()
    assert "Chưa có phiếu bổ sung." in html
    assert 'Kỷ luật <span class="count">(0)</span>' in html


def test_the_page_costs_the_same_queries_however_full_the_dossier(as_persona, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_persona("secretary")
    client.get(detail_url(world.a2))  # warm the session
    with CaptureQueriesContext(connection) as empty:
        client.get(detail_url(world.a2))
    _fill_dossier(world, world.a1)
    with CaptureQueriesContext(connection) as full:
        client.get(detail_url(world.a1))
    # The trail grows with each write but is one query; the dossier is one query per table.
    assert len(full) == len(empty)


def test_the_record_shows_the_party_age_and_how_it_was_computed(as_persona, world):
    from django.utils import timezone

    from dangvien.members.selectors import party_age_on

    age = party_age_on(world.a1, timezone.localdate())
    assert age is not None and age.counted_from == world.a1.admission_date
    html = as_persona("secretary").get(detail_url(world.a1)).content.decode()
    assert f"<dt>Tuổi đảng</dt><dd>{age.text}<br>" in html
    assert "Tính từ ngày quyết định kết nạp 02/03/2010" in html
