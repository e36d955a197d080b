"""The commit of an import: the plan written in ONE transaction, so that a process killed half-way
leaves the database as it was. New members go through `members_create_bulk`; changed members are
updated by one statement per set of changed columns, with an audit row each.

The database must not have moved since the validation: a changed record is checked in bulk, a
key taken since is refused by the UNIQUE constraint (Stale).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from dangvien.accounts.models import User
from dangvien.core.db import bulk
from dangvien.core.models import AuditEvent
from dangvien.members.imports.columns import member_fields
from dangvien.members.imports.plan import CHUNK, plan_records
from dangvien.members.models import Member
from dangvien.members.search import name_keys_refresh
from dangvien.members.services import cards_follow_records, member_names, members_create_bulk

# SQLite page cache of the commit: index upkeep of a national file touches far more pages than
# the default 2 MB hold.
LARGE_CACHE_KIB = 256 * 1024
AUDIT_FIELDS = ["at", "actor", "action", "target_type", "target_id", "summary", "before", "after"]


class Stale(Exception):
    """The database moved since the validation: a key is taken, or a record changed."""


def commit_plan(
    path: Path,
    *,
    user: User,
    task: Any,
    expected: int = 0,
    on_batch: Callable[[int], None] = lambda done: None,
) -> dict[str, Any]:
    """Write the plan file in one transaction; Stale if the database moved since the validation.

    SQLite's page cache is raised for the transaction (index upkeep of a national file touches
    far more pages than the default 2 MB hold) and restored after.
    """
    records = plan_records(path)
    _kind, filename, fields = next(records)
    end: list[tuple] = []

    def creates() -> Iterator[list[tuple]]:
        for record in records:
            if record[0] == "creates":
                yield record[1]
            elif record[0] == "end":
                end.append(record)

    with (
        _foreign_keys_checked_here() as checked_here,
        transaction.atomic(),
        bulk.cache_size(LARGE_CACHE_KIB),
    ):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {Member._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
        # The bulk writer uses the driver's own cursor: its errors are the driver's.
        integrity_errors = (IntegrityError, connection.Database.IntegrityError)  # type: ignore[attr-defined]
        try:
            result = members_create_bulk(
                acting_user=user,
                fields=fields,
                rows=creates(),
                summary=f"Tạo hồ sơ qua nhập tệp «{filename}»",
                expected=expected,
                on_batch=on_batch,
            )
        except integrity_errors as error:
            # A CCCD or card number taken since the validation: the UNIQUE constraint refuses
            # it (cheaper than looking every number up again first).
            if _key_taken(error):
                raise Stale from error
            raise
        created = result.count
        (_kind, updates, unchanged, _rows) = end[0]
        _recheck_updates(updates)
        updated = _write_updates(updates, filename, user=user)
        # The card numbers written are registered in the card registry (which the record copies).
        carded = [pk for pk, changes in updates if "party_card_number" in changes]
        if "party_card_number" in fields:
            carded += range(result.first_id, result.first_id + created)
        cards_follow_records(carded)
        for _pk, changes in updates:
            for name in result.referenced.keys() & changes.keys():
                result.referenced[name].add(changes[name][1])
        if checked_here:
            _check_references(result.referenced, user)
        counts = {"create": created, "update": updated, "unchanged": unchanged}
        AuditEvent.objects.create(
            actor=user,
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            target_type=task._meta.label_lower,
            target_id=task.pk,
            summary=(
                f"Nhập tệp «{filename}»: tạo {created}, cập nhật {updated}, "
                f"không đổi {unchanged} đảng viên"
            )[:300],
            after={"filename": filename, **counts},
        )
    return {"filename": filename, **counts}


def _key_taken(error: Exception) -> bool:
    """Whether the error is a UNIQUE constraint on the CCCD or the card number (SQLite and
    PostgreSQL both name the column)."""
    fields = member_fields()
    return any(fields[key].column in str(error) for key in ("citizen_id", "party_card_number"))


@contextlib.contextmanager
def _foreign_keys_checked_here() -> Iterator[bool]:
    """SQLite: its foreign key checks off for the commit (True), which checks the references
    it writes set-wise instead (`_check_references`).

    SQLite looks up every reference of every row written: 1.4 million name keys their member,
    every member its cell and reference values (3 s of a national import). The rows the commit
    derives refer to the members it has just written, and those to a few thousand cells and
    reference values, which one query per table checks. (`PRAGMA foreign_key_check`, which the
    demo load runs, would read whole tables.) The pragma cannot change inside a transaction:
    there (tests) SQLite keeps checking, and so on PostgreSQL.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield False
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        enforced = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA foreign_keys=OFF")
    try:
        yield bool(enforced)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA foreign_keys={enforced}")


def _check_references(referenced: dict[str, set[Any]], user: User) -> None:
    """Every cell and reference value the written members point to exists, and the actor of the
    audit rows (inside the transaction: no one can delete them meanwhile)."""
    fields = member_fields()
    wanted = [(fields[name].target_field, values - {None}) for name, values in referenced.items()]
    if getattr(user, "pk", None) is not None:
        wanted.append((get_user_model()._meta.pk, {user.pk}))
    for target, values in wanted:
        ids = sorted(values)
        found = 0
        for start in range(0, len(ids), CHUNK):
            found += target.model._base_manager.filter(
                **{f"{target.name}__in": ids[start : start + CHUNK]}
            ).count()
        if found != len(ids):
            raise IntegrityError(
                f"Nhập tệp: tham chiếu không tồn tại trong bảng {target.model._meta.db_table}."
            )


def _recheck_updates(updates: list[tuple[int, dict[str, tuple[Any, Any]]]]) -> None:
    by_id = dict(updates)
    ids = list(by_id)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        names = sorted({n for pk in chunk for n in by_id[pk]})
        rows = {row["pk"]: row for row in Member.objects.filter(pk__in=chunk).values("pk", *names)}
        for pk in chunk:
            row = rows.get(pk)
            if row is None:
                raise Stale
            for name, (before, _after) in by_id[pk].items():
                if row[name] != before:
                    raise Stale


def _name_forms(name: str) -> tuple[str, str]:
    names = member_names(name)
    return names["name_fold"], names["name_sort"]


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _write_updates(
    updates: list[tuple[int, dict[str, tuple[Any, Any]]]], filename: str, *, user: User
) -> int:
    if not updates:
        return 0
    groups: dict[tuple[str, ...], list[tuple]] = {}
    audits = []
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    summary = f"Cập nhật qua nhập tệp «{filename}»"[:300]
    for pk, changes in updates:
        names = tuple(sorted(changes))
        groups.setdefault(names, []).append((*(_iso(changes[n][1]) for n in names), pk))
        before = {n: _iso(b) for n, (b, _a) in changes.items()}
        after = {n: _iso(a) for n, (_b, a) in changes.items()}
        audits.append(
            (
                now,
                user.pk,
                AuditEvent.Action.UPDATE,
                Member._meta.label_lower,
                pk,
                summary,
                json.dumps(before, ensure_ascii=False),
                json.dumps(after, ensure_ascii=False),
            )
        )
    qn = connection.ops.quote_name
    for names, rows in groups.items():
        sets = [f"{qn(member_fields()[n].column)} = %s" for n in names]
        if "full_name" in names:
            # The derived name forms follow the name.
            index = names.index("full_name")
            rows = [(*r[:-1], *_name_forms(r[index]), r[-1]) for r in rows]
            sets += [f"{qn('name_fold')} = %s", f"{qn('name_sort')} = %s"]
        sets.append(f"{qn('version')} = {qn('version')} + 1")  # optimistic concurrency
        rows = [(*r[:-1], now, r[-1]) for r in rows]
        sets.append(f"{qn('updated_at')} = %s")
        sql = f"UPDATE {qn(Member._meta.db_table)} SET {', '.join(sets)} WHERE id = %s"
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    renamed = [pk for pk, changes in updates if "full_name" in changes]
    for start in range(0, len(renamed), CHUNK):
        for member in Member.objects.filter(pk__in=renamed[start : start + CHUNK]):
            name_keys_refresh(member)
    bulk.Writer().write([(bulk.table_with(AuditEvent, AUDIT_FIELDS), audits)])
    return len(updates)
