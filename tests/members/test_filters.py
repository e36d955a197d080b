"""List filters of member records (members/filters.py), as the list page and the API use them."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.conftest import make_member

from dangvien.members.filters import MemberFilterForm, filter_members
from dangvien.members.models import (
    Ethnicity,
    Gender,
    Member,
    Occupation,
    Status,
    TheoryLevel,
)

ON = dt.date(2026, 6, 1)


def listed(params, members=None):
    members = members if members is not None else Member.objects.all()
    return [m.full_name for m in filter_members(members, params, on=ON)]


def test_without_filters_the_list_shows_members_in_the_party_in_name_order(world):
    Member.objects.filter(pk=world.b1.pk).update(status=Status.DECEASED)
    assert listed({}) == ["Nguyễn Văn An", "Trần Thị Bình", "Phạm Thị Dung"]
    assert listed({"status": "all"}) == [
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Văn Cường",
        "Phạm Thị Dung",
    ]
    assert listed({"status": "deceased"}) == ["Lê Văn Cường"]


def test_gender(world):
    assert listed({"gender": Gender.FEMALE}) == ["Trần Thị Bình", "Phạm Thị Dung"]


@pytest.mark.parametrize(
    ("born", "band", "inside"),
    [
        (dt.date(1996, 6, 1), "18-30", True),  # 30 today
        (dt.date(1995, 6, 1), "18-30", False),  # 31 today
        (dt.date(1995, 6, 1), "31-40", True),
        (dt.date(1955, 6, 2), "71+", False),  # 70, 71 tomorrow
        (dt.date(1955, 6, 1), "71+", True),
    ],
)
def test_age_band_counts_birthdays_to_the_day(world, born, band, inside):
    make_member("Đỗ Văn Tuổi", world.cell_c, date_of_birth=born)
    assert ("Đỗ Văn Tuổi" in listed({"age": band})) is inside


def test_ethnicity_and_reference_lists_by_code(world):
    tay = Ethnicity.objects.exclude(code__in=["01", "1"]).first()
    make_member("Hoàng Văn Tày", world.cell_c, ethnicity=tay)
    assert listed({"ethnicity": tay.code}) == ["Hoàng Văn Tày"]
    theory = TheoryLevel.objects.first()
    occupation = Occupation.objects.first()
    if theory is not None and occupation is not None:
        Member.objects.filter(pk=world.a2.pk).update(theory_level=theory, occupation=occupation)
        assert listed({"theory_level": theory.code}) == ["Trần Thị Bình"]
        assert listed({"occupation": occupation.code}) == ["Trần Thị Bình"]


def test_admission_year(world):
    make_member("Vũ Thị Mới", world.cell_c, admission_date=dt.date(2024, 11, 3))
    assert listed({"admission_year": "2024"}) == ["Vũ Thị Mới"]


def test_sort_by_admission_date(world):
    make_member("Vũ Thị Mới", world.cell_c, admission_date=dt.date(2024, 11, 3))
    assert listed({"sort": "-admission"})[0] == "Vũ Thị Mới"


def test_q_matches_word_starts_and_numbers(world):
    assert listed({"q": "thi"}) == ["Trần Thị Bình", "Phạm Thị Dung"]
    assert listed({"q": "01234567"}) == ["Nguyễn Văn An"]


def test_a_bad_value_is_ignored_and_the_form_says_why(world):
    assert listed({"admission_year": "năm ngoái", "gender": "X"}) == listed({})
    form = MemberFilterForm({"admission_year": "năm ngoái"})
    assert not form.is_valid()
    assert form.errors["admission_year"] == ["Năm vào Đảng phải là một số, ví dụ 2015."]


def test_the_org_members_page_filters_with_htmx(as_persona, world):
    response = as_persona("secretary").get(
        f"/to-chuc/{world.cell_a.pk}/", {"gender": "F"}, HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert "Trần Thị Bình" in text
    assert "Nguyễn Văn An" not in text


def test_the_org_members_page_shows_the_filter_controls(as_persona, world):
    text = as_persona("secretary").get(f"/to-chuc/{world.cell_a.pk}/").content.decode()
    for label in ["Giới tính", "Độ tuổi", "Dân tộc", "Năm vào Đảng", "Sắp xếp"]:
        assert label in text
