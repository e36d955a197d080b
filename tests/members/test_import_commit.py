"""The import's commit as the worker runs it: outside any transaction, where SQLite's own foreign
key checks are off for the bulk write and the commit checks the references it writes itself."""

from __future__ import annotations

import pickle

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from tests.members.import_files import row, xlsx

from dangvien.core.models import AuditEvent
from dangvien.jobs.models import Job
from dangvien.members.imports.plan import plan_path, plan_records
from dangvien.members.models import Ethnicity, Member, Membership, NameKey, StatusPeriod

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's foreign key pragma"),
]


@pytest.fixture(autouse=True)
def _audit_rows_removed_after(db):
    """The flush ending a transactional test deletes every row, which the audit log's trigger
    refuses: the rows go first, with the trigger set aside for the moment."""
    yield
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s",
            ["core_auditevent_no_delete"],
        )
        (sql,) = cursor.fetchone()
        cursor.execute("DROP TRIGGER core_auditevent_no_delete")
        cursor.execute("DELETE FROM core_auditevent")
        cursor.execute(sql)


@pytest.fixture
def staff(world, as_persona):
    return as_persona("grassroots")


def check(client, content: bytes, name: str) -> Job:
    file = SimpleUploadedFile(name, content)
    response = client.post(reverse("import_start"), {"file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    task = Job.objects.order_by("-id").first()
    assert task.status == "done", task.message
    return task


def commit(client, task: Job) -> Job:
    assert client.post(reverse("import_commit", args=[task.pk])).status_code == 302
    return Job.objects.order_by("-id").first()


def foreign_keys_enforced() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        return bool(cursor.fetchone()[0])


def indexes() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name")
        return [name for (name,) in cursor.fetchall()]


def test_each_member_written_has_its_period_membership_keys_and_a_history_naming_the_file(
    world, staff
):
    name = "danh sách 50% 'mới'.xlsx"  # a quote and a percent sign: the summary is a literal
    task = check(staff, xlsx([row(n) for n in range(1, 31)]), name)
    done = commit(staff, task)
    assert done.status == "done", done.message
    assert foreign_keys_enforced()  # restored after the commit

    created = Member.objects.filter(full_name__startswith="Nguyễn Văn Thử")
    assert created.count() == 30
    assert StatusPeriod.objects.filter(member__in=created, valid_to__isnull=True).count() == 30
    assert Membership.objects.filter(member__in=created, org=world.cell_a).count() == 30
    assert NameKey.objects.filter(member__in=created, position=0).count() == 30
    member = created.get(citizen_id="001080000007")
    (event,) = AuditEvent.objects.filter(target_type="members.member", target_id=member.pk)
    assert event.action == AuditEvent.Action.CREATE and event.actor == world.users["grassroots"]
    assert event.summary == f"Tạo hồ sơ qua nhập tệp «{name}»"
    page = staff.get(reverse("member_detail", args=[member.pk])).content.decode()
    assert "Tạo hồ sơ qua nhập tệp «danh sách 50% &#x27;mới&#x27;.xlsx»" in page


def test_a_number_taken_since_the_check_refuses_the_whole_commit(world, staff):
    task = check(staff, xlsx([row(1), row(2)]), "ds.xlsx")
    other = check(staff, xlsx([row(2)]), "mot.xlsx")
    assert commit(staff, other).status == "done"
    before = (Member.objects.count(), AuditEvent.objects.count(), indexes())

    done = commit(staff, task)
    assert done.status == "failed" and "đã thay đổi" in done.message
    assert (Member.objects.count(), AuditEvent.objects.count(), indexes()) == before
    assert foreign_keys_enforced()


def test_a_plan_pointing_to_a_reference_value_that_is_gone_writes_nothing(world, staff):
    task = check(staff, xlsx([row(1), row(2)]), "ds.xlsx")
    # The plan's rows name an ethnicity no row has (as if deleted since the check).
    path = plan_path(task)
    records = list(plan_records(path))
    at = records[0][2].index("ethnicity")
    missing = Ethnicity.objects.order_by("-pk").first().pk + 1000
    records = [
        (kind, [(*r[:at], missing, *r[at + 1 :]) for r in rest[0]])
        if kind == "creates"
        else (kind, *rest)
        for kind, *rest in records
    ]
    with path.open("wb") as out:
        for record in records:
            pickle.dump(record, out)
    before = (Member.objects.count(), NameKey.objects.count(), indexes())

    done = commit(staff, task)
    assert done.status == "failed"
    assert (Member.objects.count(), NameKey.objects.count(), indexes()) == before
    assert foreign_keys_enforced()
