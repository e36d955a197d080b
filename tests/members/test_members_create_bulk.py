"""Creating members in bulk (the import) writes what creating one member writes, table by table."""

from __future__ import annotations

import datetime as dt

from django.apps import apps

from dangvien.core.models import AuditEvent
from dangvien.members.models import Member, Membership, NameKey, StatusPeriod
from dangvien.members.services import member_create, members_create_bulk

BORN, ADMITTED = dt.date(1998, 4, 30), dt.date(2024, 1, 10)
SKIPPED = {"id", "citizen_id", "created_at", "updated_at"}  # differ by design or by the clock


def counts() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in apps.get_models()}


def written(before: dict[str, int]) -> dict[str, int]:
    return {label: n - before[label] for label, n in counts().items() if n != before[label]}


def rows_of(member: Member) -> dict[str, list]:
    fields = [f.attname for f in Member._meta.concrete_fields if f.attname not in SKIPPED]
    return {
        "member": list(Member.objects.filter(pk=member.pk).values_list(*fields)),
        "status": list(
            StatusPeriod.objects.filter(member=member).values_list(
                "status", "valid_from", "valid_to", "note"
            )
        ),
        "membership": list(
            Membership.objects.filter(member=member).values_list(
                "org", "kind", "valid_from", "valid_to"
            )
        ),
        "name keys": sorted(
            NameKey.objects.filter(member=member).values_list(
                "key", "word", "word2", "position", "org_path", "name_sort"
            )
        ),
        "audit": list(
            AuditEvent.objects.filter(
                target_type="members.member", target_id=member.pk
            ).values_list("actor", "action", "target_type")
        ),
    }


def test_a_member_created_in_bulk_is_written_as_member_create_writes_it(world):
    staff = world.users["secretary"]
    before = counts()
    one = member_create(
        acting_user=staff,
        full_name="Hoàng Thị Ngọc Ánh",
        gender="F",
        date_of_birth=BORN,
        org=world.cell_a,
        admission_date=ADMITTED,
        citizen_id="001198000001",
    )
    by_one = written(before)

    before = counts()
    fields = ["full_name", "gender", "date_of_birth", "citizen_id", "admission_date", "org"]
    fields.append("status")
    row = ("Hoàng Thị Ngọc Ánh", "F", BORN.isoformat(), "001198000002", ADMITTED.isoformat())
    created = members_create_bulk(
        acting_user=staff,
        fields=fields,
        rows=[[(*row, world.cell_a.pk, one.status)]],
        summary="Tạo hồ sơ qua nhập tệp «ds.xlsx»",
    )
    by_bulk = written(before)

    assert created.count == 1
    assert by_bulk == by_one  # the same tables, the same number of rows in each
    assert rows_of(Member.objects.get(pk=created.first_id)) == rows_of(one)
