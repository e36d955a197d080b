"""Creating members in bulk (the import) writes what creating one member writes, table by table."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps

from dangvien.core.models import AuditEvent
from dangvien.members.models import Member, Membership, NameKey, StatusPeriod
from dangvien.members.services import MemberBatch, member_create, members_create_bulk

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


FIELDS = ["full_name", "gender", "date_of_birth", "admission_date", "org", "status"]


def next_member_id() -> int:
    return (Member.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1


def history_batch(first_id: int, cell_id: int, names: list[str]) -> MemberBatch:
    """Members with the history member_create gives one (open period and membership from the
    admission date), brought by the caller."""
    members, statuses, memberships = [], [], []
    for pk, name in enumerate(names, start=first_id):
        members.append((name, "F", BORN.isoformat(), ADMITTED.isoformat(), cell_id, "probationary"))
        statuses.append((pk, "probationary", ADMITTED.isoformat(), None, ""))
        memberships.append((pk, cell_id, "official", ADMITTED.isoformat(), None))
    return MemberBatch(first_id, members, statuses, memberships)


def test_a_member_brought_with_its_history_is_written_as_member_create_writes_it(world):
    staff = world.users["secretary"]
    before = counts()
    one = member_create(
        acting_user=staff,
        full_name="Hoàng Thị Ngọc Ánh",
        gender="F",
        date_of_birth=BORN,
        org=world.cell_a,
        admission_date=ADMITTED,
    )
    by_one = written(before)

    before = counts()
    first = next_member_id()
    created = members_create_bulk(
        acting_user=staff,
        fields=FIELDS,
        rows=[history_batch(first, world.cell_a.pk, ["Hoàng Thị Ngọc Ánh"])],
        summary="Tạo hồ sơ",
    )
    by_bulk = written(before)

    assert (created.first_id, created.count) == (first, 1)
    assert by_bulk == by_one
    assert rows_of(Member.objects.get(pk=first)) == rows_of(one)


def test_a_whole_history_is_written_as_brought(world):
    first = next_member_id()
    batch = history_batch(first, world.cell_a.pk, ["Lê Văn Tám"])
    batch.members[0] = (*batch.members[0][:5], "official")
    joined = (dt.date(2024, 1, 10), dt.date(2025, 1, 10))
    batch.statuses[:] = [
        (first, "probationary", joined[0].isoformat(), joined[1].isoformat(), "Kết nạp"),
        (first, "official", joined[1].isoformat(), None, "Công nhận"),
    ]
    batch.memberships[:] = [
        (first, world.cell_b.pk, "official", joined[0].isoformat(), "2024-06-01"),
        (first, world.cell_a.pk, "official", "2024-06-01", None),
    ]
    members_create_bulk(acting_user=None, fields=FIELDS, rows=[batch], summary="Tạo hồ sơ")

    assert list(
        StatusPeriod.objects.filter(member_id=first)
        .order_by("valid_from")
        .values_list("status", "valid_from", "valid_to", "note")
    ) == [
        ("probationary", joined[0], joined[1], "Kết nạp"),
        ("official", joined[1], None, "Công nhận"),
    ]
    assert list(
        Membership.objects.filter(member_id=first)
        .order_by("valid_from")
        .values_list("org", "valid_to")
    ) == [(world.cell_b.pk, dt.date(2024, 6, 1)), (world.cell_a.pk, None)]
    assert AuditEvent.objects.filter(target_type="members.member", target_id=first).count() == 1


def test_batches_are_written_one_by_one_as_the_caller_makes_them(world):
    """A generator of batches streams: the first is written before the second is asked for."""
    first = next_member_id()
    seen: list[int] = []

    def batches():
        yield history_batch(first, world.cell_a.pk, ["Lê Văn Tám", "Trần Thị Hoa"])
        seen.append(Member.objects.filter(pk__gte=first).count())
        yield history_batch(first + 2, world.cell_a.pk, ["Phạm Văn Đồng"])

    created = members_create_bulk(acting_user=None, fields=FIELDS, rows=batches(), summary="x")

    assert seen == [2]
    assert created.count == 3


@pytest.mark.parametrize(
    "spoil, message",
    [
        (lambda b: setattr(b, "first_id", b.first_id + 1), "numbers its members from"),
        (
            lambda b: b.statuses.append((b.first_id + 5, "official", "2025-01-10", None, "")),
            "outside",
        ),
        (lambda b: b.memberships.pop(), "without memberships"),
    ],
)
def test_a_batch_numbered_otherwise_than_the_service_is_refused(world, spoil, message):
    before = counts()
    batch = history_batch(next_member_id(), world.cell_a.pk, ["Lê Văn Tám", "Trần Thị Hoa"])
    spoil(batch)
    with pytest.raises(ValueError, match=message):
        members_create_bulk(acting_user=None, fields=FIELDS, rows=[batch], summary="x")
    assert counts() == before


def test_the_ids_and_derived_columns_are_the_services(world):
    row = ("Lê Văn Tám", "M", BORN.isoformat(), ADMITTED.isoformat(), world.cell_a.pk, "official")
    with pytest.raises(ValueError, match="are the service's"):
        members_create_bulk(
            acting_user=None, fields=[*FIELDS, "org_path"], rows=[[(*row, "x")]], summary="x"
        )
