"""The demo load writes its members through `members_create_bulk`, the one service that says what
creating a member writes (tested row for row against `member_create` in
tests/members/test_members_create_bulk.py): each demo member has a row in every table creating one
member writes to, and a member without the demo's extras (an account, dossier history) in exactly
those."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.db.models import ForeignKey, Model

from dangvien.accounts.models import User
from dangvien.core.models import AuditEvent
from dangvien.demo import services as demo_services
from dangvien.demo.people import HISTORY_EVERY
from dangvien.members import services as member_services
from dangvien.members.models import Member, Membership, NameKey, StatusPeriod
from dangvien.members.services import BulkCreated, MemberBatch, member_create
from dangvien.orgs.models import Organization

MEMBER = Member._meta.label_lower


def member_tables() -> list[tuple[type[Model], str]]:
    """Every table with a foreign key to a member: (model, the key's column name)."""
    found = []
    for relation in Member._meta.related_objects:
        field = relation.field
        if isinstance(field, ForeignKey) and not relation.many_to_many:
            found.append((relation.related_model, field.attname))
    return found


def tables_of(member_id: int) -> set[str]:
    """The tables holding a row of this member (the audit log by its target)."""
    written = {
        model._meta.label
        for model, column in member_tables()
        if model._base_manager.filter(**{column: member_id}).exists()
    }
    if AuditEvent.objects.filter(target_type=MEMBER, target_id=member_id).exists():
        written.add(AuditEvent._meta.label)
    return written


def members_with_rows_in(label: str, ids: range) -> int:
    if label == AuditEvent._meta.label:
        rows = AuditEvent.objects.filter(target_type=MEMBER, target_id__in=ids)
        return rows.values("target_id").distinct().count()
    model, column = next((m, c) for m, c in member_tables() if m._meta.label == label)
    rows = model._base_manager.filter(**{f"{column}__in": ids})
    return rows.values(column).distinct().count()


def test_the_demo_load_creates_its_members_with_the_service(db, monkeypatch):
    calls: list[tuple[dict, BulkCreated]] = []
    real = member_services.members_create_bulk

    def spy(**kwargs):
        batches = []

        def seen(rows):
            for batch in rows:
                batches.append(type(batch))
                yield batch

        created = real(**{**kwargs, "rows": seen(kwargs["rows"])})
        calls.append(({**kwargs, "batches": batches}, created))
        return created

    monkeypatch.setattr(demo_services, "members_create_bulk", spy)
    call_command("demo", scale="tiny", stdout=StringIO())

    [(arguments, created)] = calls
    assert set(arguments["batches"]) == {MemberBatch}
    ids = range(created.first_id, created.first_id + created.count)
    assert Member.objects.count() == created.count > 0
    assert set(Member.objects.values_list("pk", flat=True)) == set(ids)
    # One creation audit row per member, the service's.
    audits = AuditEvent.objects.filter(target_type=MEMBER, action=AuditEvent.Action.CREATE)
    assert audits.filter(target_id__in=ids).count() == created.count

    cell = Organization.objects.filter(level__holds_members=True).first()
    one = member_create(
        acting_user=None,
        full_name="Hoàng Thị Ngọc Ánh",
        gender="F",
        date_of_birth=dt.date(1998, 4, 30),
        org=cell,
        admission_date=dt.date(2024, 1, 10),
    )
    by_creating = tables_of(one.pk)
    assert {m._meta.label for m in (StatusPeriod, Membership, NameKey, AuditEvent)} <= by_creating
    # Every demo member has a row in every table creating a member writes to …
    for label in by_creating:
        assert members_with_rows_in(label, ids) == created.count, label
    # … and one without an account, a dossier history or a part in a demo procedure (a case, an
    # introduction, a candidate to help, a party card), in those tables only.
    from dangvien.procedures.models import Candidate, Case, Introducer, PartyCard

    accounts = set(User.objects.exclude(member=None).values_list("member_id", flat=True))
    in_procedures = {
        *Case.objects.exclude(member=None).values_list("member_id", flat=True),
        *Introducer.objects.values_list("member_id", flat=True),
        *Candidate.helpers.through.objects.values_list("member_id", flat=True),
    }
    plain = next(
        pk
        for pk in ids
        if pk not in accounts | in_procedures and (pk - created.first_id) % HISTORY_EVERY
    )
    # The card registry holds the card of nearly every official member: a procedure's row.
    assert tables_of(plain) - {PartyCard._meta.label} == by_creating
