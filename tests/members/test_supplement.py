"""The yearly supplement (phiếu bổ sung hồ sơ): stored and applied together, once a year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dangvien.core.audit import audit_trail
from dangvien.members.models import Member, Supplement
from dangvien.members.services import supplement_record


def record(world, **kwargs):
    values = {"year": 2025, "changes": {}, "note": ""} | kwargs
    return supplement_record(acting_user=world.users["secretary"], member=world.a1, **values)


def test_a_supplement_changes_the_record_and_is_kept(world):
    supplement = record(
        world,
        changes={
            "theory_level": "trung_cap",
            "occupation": "vien_chuc",
            "phone": "+84 912.345.678",
        },
        note="Học xong trung cấp lý luận chính trị",
    )
    member = Member.objects.get(pk=world.a1.pk)
    assert member.theory_level.name == "Trung cấp"
    assert member.occupation.name == "Viên chức"
    assert member.phone == "0912345678"
    assert member.version == 2
    assert supplement.changes == {
        "theory_level": "trung_cap",
        "occupation": "vien_chuc",
        "phone": "0912345678",
    }
    assert list(member.supplements.values_list("year", flat=True)) == [2025]


def test_the_change_is_in_the_history_with_before_and_after(world):
    record(world, changes={"foreign_languages": "Tiếng Anh B1"})
    event = audit_trail(world.a1).get(summary="Phiếu bổ sung hồ sơ năm 2025")
    assert event.before == {"foreign_languages": ""}
    assert event.after == {"foreign_languages": "Tiếng Anh B1"}


def test_a_supplement_without_changes_is_recorded_all_the_same(world):
    record(world, note="Không có thay đổi")
    assert Supplement.objects.get(member=world.a1).changes == {}
    assert Member.objects.get(pk=world.a1.pk).version == 1


def test_a_second_supplement_in_the_same_year_is_refused(world):
    record(world, changes={"it_skills": "Cơ bản"})
    with pytest.raises(ValidationError, match="đã có phiếu bổ sung hồ sơ năm 2025"):
        record(world, changes={"it_skills": "Nâng cao"})
    assert Member.objects.get(pk=world.a1.pk).it_skills == "Cơ bản"


def test_a_supplement_cannot_change_identity_or_status(world):
    with pytest.raises(ValidationError, match="không thay đổi được các mục: họ và tên"):
        record(world, changes={"full_name": "Người Khác"})
    assert not Supplement.objects.exists()


def test_an_unknown_code_is_refused_and_nothing_is_stored(world):
    with pytest.raises(ValidationError) as caught:
        record(world, changes={"theory_level": "tien_si", "it_skills": "Cơ bản"})
    assert "Không có «tien_si» trong danh mục lý luận chính trị" in str(caught.value)
    assert not Supplement.objects.exists()
    assert Member.objects.get(pk=world.a1.pk).it_skills == ""


def test_a_value_too_long_is_refused_and_nothing_is_stored(world):
    with pytest.raises(ValidationError):
        record(world, changes={"it_skills": "x" * 500})
    assert not Supplement.objects.exists()


def test_a_year_in_the_future_is_refused(world):
    with pytest.raises(ValidationError, match="Năm bổ sung không hợp lệ"):
        record(world, year=dt.date.today().year + 1)
