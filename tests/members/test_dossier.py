"""The dossier: reference lists as data, history tables written through audited services, the
whole record read in a fixed number of queries (page and API)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvien.accounts.services import token_create
from dangvien.core.audit import audit_trail
from dangvien.members.models import (
    AcademicTitle,
    EducationLevel,
    Member,
    Occupation,
    Position,
    ProfessionalLevel,
    TheoryLevel,
    WorkPeriod,
)
from dangvien.members.selectors import members_visible_to, with_dossier
from dangvien.members.services import dossier_row_add, dossier_row_update, supplement_record


def names(model) -> list[str]:
    return list(model.objects.values_list("name", flat=True))


@pytest.mark.django_db
def test_reference_lists_are_seeded_in_their_order():
    assert names(TheoryLevel) == ["Sơ cấp", "Trung cấp", "Cao cấp", "Cử nhân"]
    assert names(AcademicTitle) == ["Phó Giáo sư", "Giáo sư"]
    assert names(EducationLevel)[0] == "12/12"
    assert {"10/10", "9/12", "7/10"} <= set(names(EducationLevel))
    assert {"Đại học", "Thạc sĩ", "Tiến sĩ"} <= set(names(ProfessionalLevel))
    assert {"Công nhân", "Nông dân", "Hưu trí", "Học sinh, sinh viên", "Khác"} <= set(
        names(Occupation)
    )


def add(world, table, **values):
    return dossier_row_add(
        acting_user=world.users["secretary"], member=world.a1, table=table, values=values
    )


def test_a_work_period_is_added_to_the_record_and_its_history(world):
    row = add(
        world, "work_history", start=dt.date(2005, 9, 1), description="Giáo viên Trường THCS Kim Mã"
    )
    assert list(world.a1.work_history.all()) == [row]
    event = audit_trail(world.a1).get(summary__startswith="Thêm giai đoạn công tác")
    assert event.actor == world.users["secretary"]
    assert event.after["description"] == "Giáo viên Trường THCS Kim Mã"
    assert Member.objects.get(pk=world.a1.pk).version == 2


def test_every_history_table_takes_rows(world):
    add(world, "family", relation="Bố", full_name="Nguyễn Văn Bảo", birth_year=1950)
    add(world, "training", start=dt.date(1998, 9, 1), school="Đại học Sư phạm Hà Nội")
    add(world, "awards", date=dt.date(2015, 5, 1), form="Giấy khen")
    add(world, "disciplines", date=dt.date(2016, 5, 1), form="Khiển trách")
    add(world, "positions", kind=Position.Kind.PARTY, title="Bí thư chi bộ")
    member = Member.objects.get(pk=world.a1.pk)
    assert [member.family.count(), member.training.count(), member.awards.count()] == [1, 1, 1]
    assert [member.disciplines.count(), member.positions.count()] == [1, 1]
    assert member.version == 6


def test_a_period_ending_before_it_starts_is_refused(world):
    with pytest.raises(ValidationError, match="Ngày kết thúc trước ngày bắt đầu"):
        add(
            world,
            "work_history",
            start=dt.date(2010, 1, 1),
            end=dt.date(2009, 1, 1),
            description="x",
        )
    assert not WorkPeriod.objects.exists()


def test_a_row_missing_what_it_needs_is_refused(world):
    with pytest.raises(ValidationError):
        add(world, "family", relation="Mẹ")  # no name


def test_an_unknown_table_or_field_is_refused_in_vietnamese(world):
    with pytest.raises(ValidationError, match="Không có mục hồ sơ «pets»"):
        add(world, "pets", name="Mèo")
    with pytest.raises(ValidationError, match="Mục không hợp lệ: colour"):
        add(world, "awards", date=dt.date(2015, 5, 1), form="Giấy khen", colour="đỏ")


def test_a_row_is_corrected_with_before_and_after_in_the_history(world):
    row = add(world, "awards", date=dt.date(2015, 5, 1), form="Giấy khen")
    dossier_row_update(acting_user=world.users["secretary"], row=row, values={"form": "Bằng khen"})
    event = audit_trail(world.a1).get(summary__startswith="Sửa khen thưởng")
    assert (event.before["form"], event.after["form"]) == ("Giấy khen", "Bằng khen")


def full_dossier(world, member):
    user = world.users["admin"]
    for table, values in [
        ("family", {"relation": "Vợ", "full_name": "Lê Thị Hoa", "birth_year": 1982}),
        ("work_history", {"start": dt.date(2004, 1, 1), "description": "Kỹ sư"}),
        ("training", {"start": dt.date(2000, 9, 1), "school": "Bách khoa Hà Nội"}),
        ("awards", {"date": dt.date(2018, 1, 1), "form": "Bằng khen"}),
        ("disciplines", {"date": dt.date(2019, 1, 1), "form": "Khiển trách"}),
        ("positions", {"kind": "party", "title": "Chi ủy viên"}),
    ]:
        for _ in range(2):
            dossier_row_add(acting_user=user, member=member, table=table, values=values)
    supplement_record(
        acting_user=user,
        member=member,
        year=2024,
        changes={
            "education": "12/12",
            "professional_level": "dai_hoc",
            "theory_level": "so_cap",
            "occupation": "can_bo_cong_chuc",
            "academic_title": "pgs",
        },
        note="",
    )


def test_the_whole_dossier_is_read_in_a_fixed_number_of_queries(world):
    full_dossier(world, world.a1)
    members = with_dossier(members_visible_to(world.users["admin"]))
    with CaptureQueriesContext(connection) as queries:
        member = members.get(pk=world.a1.pk)
        rows = [
            list(getattr(member, name).all())
            for name in (
                "family",
                "work_history",
                "training",
                "awards",
                "disciplines",
                "positions",
                "supplements",
            )
        ]
        _ = (
            member.education.name,
            member.theory_level.name,
            member.occupation.name,
            member.professional_level.name,
            member.academic_title.name,
            member.org.name,
        )
    assert [len(r) for r in rows] == [2, 2, 2, 2, 2, 2, 1]
    assert len(queries) == 8  # the member with its lists, then one per history table


def test_the_api_gives_the_dossier(world, client):
    full_dossier(world, world.a1)
    token = token_create(acting_user=None, user=world.users["secretary"])
    response = client.get(
        f"/api/v1/members/{world.a1.pk}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["theory_level"] == {"code": "so_cap", "name": "Sơ cấp"}
    assert body["academic_title"]["name"] == "Phó Giáo sư"
    assert [row["relation"] for row in body["family"]] == ["Vợ", "Vợ"]
    assert body["positions"][0]["title"] == "Chi ủy viên"
    assert body["supplements"][0]["year"] == 2024
    assert body["has_photo"] is False
    assert body["version"] > 1


def test_admin_screens_list_the_reference_lists(world, client):
    client.force_login(world.users["admin"])
    for model in (
        "educationlevel",
        "professionallevel",
        "academictitle",
        "theorylevel",
        "occupation",
    ):
        assert client.get(reverse(f"admin:members_{model}_changelist")).status_code == 200
    html = client.get(reverse("admin:members_theorylevel_changelist")).content.decode()
    assert "Cao cấp" in html


def test_demo_members_have_a_plausible_dossier(db, settings, tmp_path):
    """Demo statistics of the dossier look like real ones: retirees in residential cells, theory
    levels mostly sơ cấp, none for probationary members, a ceremony soon after the decision."""
    import io

    from django.core.management import call_command
    from django.db.models import Count

    from dangvien.members.models import IN_PARTY, FamilyMember, Status

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.VAR_DIR = tmp_path
    call_command("demo", scale="tiny", stdout=io.StringIO())
    members = Member.objects.filter(status__in=IN_PARTY)
    assert not members.filter(status=Status.PROBATIONARY, theory_level__isnull=False).exists()
    by_theory = dict(
        members.values_list("theory_level__code")
        .annotate(n=Count("pk"))
        .values_list("theory_level__code", "n")
    )
    assert by_theory["so_cap"] > by_theory.get("trung_cap", 0) > by_theory.get("cao_cap", 0)
    assert members.filter(occupation__code="huu_tri").exists()
    assert not members.filter(occupation__code="huu_tri", date_of_birth__year__gt=1970).exists()
    assert members.exclude(phone="").filter(phone__regex=r"^0[0-9]{9}$").count() > 0.8 * len(
        members
    )
    for member in members.exclude(admission_date=None)[:200]:
        days = (member.admission_ceremony_date - member.admission_date).days
        assert 0 <= days < 31
    assert FamilyMember.objects.exists()
