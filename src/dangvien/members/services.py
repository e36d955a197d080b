"""Writes to member records: one transaction each, with the audit row in it."""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import CharField, F, ForeignKey, QuerySet, Value
from django.db.models.functions import Concat, Substr

from dangvien.accounts.models import Role, RoleAssignment, User
from dangvien.accounts.types import ActingUser, Actor
from dangvien.core.audit import audit_record, snapshot
from dangvien.core.db import bulk
from dangvien.core.models import AuditEvent
from dangvien.core.paths import subtree_q
from dangvien.core.text import fold, name_sort_key, normalize
from dangvien.members.dossier import dossier_row_add as dossier_row_add
from dangvien.members.dossier import dossier_row_update as dossier_row_update
from dangvien.members.dossier import member_photo_set as member_photo_set
from dangvien.members.dossier import supplement_record as supplement_record
from dangvien.members.models import (
    IN_PARTY,
    Award,
    LostContact,
    Member,
    Membership,
    NameKey,
    Status,
    StatusPeriod,
)
from dangvien.members.search import (
    key_words,
    name_keys_for,
    name_keys_rebase,
    name_keys_refresh,
    name_keys_repath,
)
from dangvien.members.selectors import party_age_start
from dangvien.orgs.models import Organization

_AUDITED = [
    "full_name",
    "gender",
    "date_of_birth",
    "citizen_id",
    "party_card_number",
    "record_number",
    "admission_date",
    "recognition_date",
    "status",
    "org",
]


def _max_length(name: str) -> int:
    field = Member._meta.get_field(name)
    assert isinstance(field, CharField)
    return field.max_length or 0


def member_names(full_name: str) -> dict[str, str]:
    """The stored forms of a name: as written (NFC), folded for search, and its sort key.

    PostgreSQL refuses a value longer than its column where SQLite keeps it: a name too long is a
    ValidationError, and the derived forms are cut to their columns (a cut sort key still orders
    every name whose key differs within the kept digits).
    """
    name = normalize(full_name)
    if len(name) > _max_length("full_name"):
        raise ValidationError(
            f"Họ và tên dài quá {_max_length('full_name')} ký tự ({len(name)} ký tự)."
        )
    return {
        "full_name": name,
        "name_fold": fold(name)[: _max_length("name_fold")],
        "name_sort": name_sort_key(name)[: _max_length("name_sort")],
    }


def _require_cell(org: Organization, message: str) -> None:
    if not org.level.holds_members:
        raise ValidationError(message)
    if org.dissolved_on is not None:
        raise ValidationError(f"«{org.name}» đã giải thể ngày {org.dissolved_on:%d/%m/%Y}.")


# The party card registry (procedures) keeps every card; a record written here or by the import
# with a card number is registered there by the hook it installs when the app is ready.
CardsFollow = Callable[[Iterable[int]], None]
_cards_follow: list[CardsFollow] = []


def register_cards_follow(hook: CardsFollow) -> None:
    _cards_follow[:] = [hook]


def cards_follow_records(member_ids: Iterable[int]) -> None:
    """Register the card numbers these records were written with (the card registry's hook)."""
    for hook in _cards_follow:
        hook(member_ids)


@transaction.atomic
def member_create(
    *,
    acting_user: ActingUser,
    full_name: str,
    gender: str,
    date_of_birth: dt.date,
    org: Organization,
    admission_date: dt.date,
    status: str = Status.PROBATIONARY,
    joined_on: dt.date | None = None,
    **fields: Any,
) -> Member:
    """A new record in `org` from `joined_on` (default: the admission date)."""
    if not normalize(full_name):
        raise ValidationError("Họ và tên không được để trống.")
    org.refresh_from_db()  # its path is copied onto the member: not a stale one
    _require_cell(org, f"«{org.name}» không phải chi bộ: đảng viên sinh hoạt tại chi bộ.")
    member = Member.objects.create(
        **member_names(full_name),
        gender=gender,
        date_of_birth=date_of_birth,
        admission_date=admission_date,
        status=status,
        org=org,
        org_path=org.path,
        **fields,
    )
    name_keys_refresh(member)
    start = joined_on or admission_date
    StatusPeriod.objects.create(member=member, status=status, valid_from=start)
    Membership.objects.create(member=member, org=org, valid_from=start)
    if member.party_card_number:
        cards_follow_records([member.pk])
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.CREATE,
        target=member,
        summary=f"Tạo hồ sơ đảng viên {member.full_name}",
        after=snapshot(member, _AUDITED),
    )
    return member


# Bulk creation: what creating a member writes, for any number of rows, by the bulk writer.
NameIndex = tuple[str, str, tuple[tuple[str, str, str, int], ...]]
# SQLite sorts an index's entries in runs the size of the page cache, then merges them: runs of
# 16 MiB sort faster than one run of 256 MiB (the name keys' five wide indexes).
SORT_CACHE_KIB = 16 * 1024
# The member's columns the service derives (never the caller's): name forms and the cell's path.
DERIVED_FIELDS = ("name_fold", "name_sort", "org_path")
# The columns of a batch's own history rows (MemberBatch).
STATUS_FIELDS = ["member", "status", "valid_from", "valid_to", "note"]
MEMBERSHIP_FIELDS = ["member", "org", "kind", "valid_from", "valid_to"]


@functools.lru_cache(maxsize=50_000)
def _name_index(name: str) -> NameIndex:
    """Folded and sort forms of a name and its search keys (key, word, word2, position): names
    repeat a lot in a large file, so they are made once per name."""
    keys = tuple((key, *key_words(key), position) for position, key in name_keys_for(name))
    names = member_names(name)
    return names["name_fold"], names["name_sort"], keys


def _name_key_indexes(action: str) -> None:
    """Drop ("drop") or build ("create") NameKey's indexes by plain SQL (as members.search's
    rebuild does): the schema editor's context cannot be entered inside a transaction on SQLite."""
    editor = connection.schema_editor()
    with connection.cursor() as cursor:
        if action == "create" and connection.vendor == "postgresql":
            # PostgreSQL builds no index on a table with deferred checks pending (the foreign
            # keys of the rows just written): check them now, and defer again after.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for index in NameKey._meta.indexes:
            if action == "drop":
                cursor.execute(f"DROP INDEX IF EXISTS {editor.quote_name(str(index.name))}")
            else:
                cursor.execute(str(index.create_sql(NameKey, editor)))
        if action == "create" and connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@dataclass
class BulkCreated:
    first_id: int  # the members written have the ids first_id … first_id + count - 1
    count: int
    # The foreign keys written (field → values), for a caller that checks references set-wise.
    referenced: dict[str, set[Any]]


@dataclass
class MemberBatch:
    """Members with their own histories, for a caller that knows more of them than the admission
    date (the demo: several status periods, memberships across cells, closed records).

    `members` are rows in the order of `fields`, without ids: the k-th gets `first_id + k`.
    `statuses` (STATUS_FIELDS) and `memberships` (MEMBERSHIP_FIELDS) name their member by that
    id, so the caller numbers its members before writing them: it must number them as the
    service does (the next id after MAX(id), batch after batch, no gap), and says where it
    started in `first_id`. The service keeps assigning the ids (contiguous ids are what
    `BulkCreated` and the derived rows' INSERT … SELECT rely on) and checks the caller agrees:
    a batch starting elsewhere, or a history row naming a member outside its batch, or a member
    without a status period or a membership, is a ValueError (and nothing is written)."""

    first_id: int
    members: list[tuple]
    statuses: list[tuple]
    memberships: list[tuple]


@transaction.atomic
def members_create_bulk(
    *,
    acting_user: ActingUser,
    fields: Sequence[str],
    rows: Iterable[list[tuple] | MemberBatch],
    summary: str,
    expected: int = 0,
    on_batch: Callable[[int], None] = lambda done: None,
) -> BulkCreated:
    """New members from `rows` (batches of tuples in the order of `fields`, `full_name` first,
    `org`, `status` and `admission_date` among them), each with what `member_create` writes for
    one: the member (name forms and cell path derived), its first status period and membership
    from the admission date, its search keys, and a creation audit row saying `summary`.

    A batch may instead be a `MemberBatch`, which brings its members' status periods and
    memberships: they are written as given in place of the first ones derived; everything else
    (ids, name forms, path, search keys, audit rows) is the same. `rows` is iterated once, batch
    after batch: a generator keeps a large load streaming.

    The values are already checked (the import's validation) and in the columns' form: dates as
    ISO text, empty text as "". Ids follow MAX(id). When the rows more than double the members
    (`expected`), the secondary indexes of the tables written are dropped and built once at the
    end (filling an indexed table row by row costs far more); UNIQUE constraints stay, the last
    guard of the keys, and their IntegrityError reaches the caller.
    """
    writer = _BulkMembers(list(fields), acting_user, summary, expected)
    for batch in rows:
        writer.write(batch)
        on_batch(writer.next_id - writer.first_id)
    writer.finish()
    return BulkCreated(writer.first_id, writer.next_id - writer.first_id, writer.referenced)


class _BulkMembers:
    """The writes of `members_create_bulk`: member rows, name keys and a batch's own histories
    by the bulk writer, and the rows derived from the members (first status period and
    membership when the batch brings none, audit) by INSERT … SELECT.

    Every value that is the same for all rows (the membership's kind, the audit row's time,
    actor, action and summary …) is a constant of the statement, not a value bound per row."""

    def __init__(self, fields: list[str], user: Actor, summary: str, expected: int) -> None:
        if fields[0] != "full_name":
            raise ValueError("members_create_bulk: full_name comes first.")
        if set(fields) & {"id", *DERIVED_FIELDS}:
            raise ValueError(
                f"members_create_bulk: id and {', '.join(DERIVED_FIELDS)} are the service's."
            )
        self.fields = fields
        self.org_at = fields.index("org")
        self.members = bulk.table_with(Member, ["id", *fields, *DERIVED_FIELDS])
        self.statuses = bulk.table_with(
            StatusPeriod, ["member", "status", "valid_from"], valid_to=None
        )
        self.memberships = bulk.table_with(
            Membership,
            ["member", "org", "valid_from"],
            kind=Membership.Kind.OFFICIAL,
            valid_to=None,
        )
        self.given_statuses = bulk.table_with(StatusPeriod, STATUS_FIELDS)
        self.given_memberships = bulk.table_with(Membership, MEMBERSHIP_FIELDS)
        self.audits = bulk.table_with(
            AuditEvent,
            ["target_id"],
            actor=getattr(user, "pk", None),
            action=AuditEvent.Action.CREATE,
            target_type=Member._meta.label_lower,
            summary=summary[:300],
            before=None,
            after=None,
        )
        self.keys = bulk.table_with(
            NameKey, ["member", "key", "word", "word2", "position", "org_path", "name_sort"]
        )
        self.paths = dict(Organization.objects.values_list("pk", "path"))
        foreign = {f.name for f in Member._meta.concrete_fields if isinstance(f, ForeignKey)}
        self.referenced: dict[str, set[Any]] = {n: set() for n in fields if n in foreign}
        self.writer = bulk.Writer()
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(Member._meta.db_table)
            cursor.execute(f"SELECT MAX(id) FROM {table}")
            self.first_id = self.next_id = (cursor.fetchone()[0] or 0) + 1
        # The tables' secondary indexes, dropped here and built in `finish` (inside this
        # transaction: a failed load rolls the drop back). Only the indexes still there are
        # dropped, so under a caller that dropped them itself (bulk.fast_load) nothing is, and
        # that caller builds them: one owner per index, never two.
        self.rebuilt: list[str] = []  # SQLite: the CREATE statements of the dropped indexes
        self.rebuilt_keys: list[str] = []  # … of NameKey's (PostgreSQL: ["namekey"])
        if expected > self.first_id - 1:
            if connection.vendor == "sqlite":
                self.rebuilt = bulk.drop_secondary_indexes([Member, StatusPeriod, Membership])
                self.rebuilt_keys = bulk.drop_secondary_indexes([NameKey])
            else:
                _name_key_indexes("drop")
                self.rebuilt_keys = ["namekey"]

    def write(self, batch: list[tuple] | MemberBatch) -> None:
        rows = batch.members if isinstance(batch, MemberBatch) else batch
        first = self.next_id
        last = first + len(rows)
        histories: list[tuple[bulk.Table, list[tuple]]] = []
        if isinstance(batch, MemberBatch):
            _check_batch(batch, first)
            histories = [
                (self.given_statuses, batch.statuses),
                (self.given_memberships, batch.memberships),
            ]
        members, keys = [], []
        paths, org_at = self.paths, self.org_at
        for pk, row in enumerate(rows, start=first):
            name_fold, name_sort, name_keys = _name_index(row[0])
            path = paths[row[org_at]]
            members.append((pk, *row, name_fold, name_sort, path))
            keys += [(pk, key, w1, w2, at, path, name_sort) for key, w1, w2, at in name_keys]
        self.next_id = last
        for name, values in self.referenced.items():
            values.update(map(operator.itemgetter(self.fields.index(name)), rows))
        self.writer.write([(self.members, members), (self.keys, keys), *histories])
        # The first status period and membership (from the admission date) unless the batch
        # brought its own, and the audit row of each member, are read from the member rows just
        # written, by SQL.
        qn = connection.ops.quote_name
        columns = {f.name: f.column for f in Member._meta.concrete_fields}
        member_id, status, org, admitted = (
            qn(columns[name]) for name in ("id", "status", "org", "admission_date")
        )
        if not histories:
            statuses, memberships = self.statuses, self.memberships
            bulk.insert_select(statuses, [member_id, status, admitted], Member, first, last - 1)
            bulk.insert_select(memberships, [member_id, org, admitted], Member, first, last - 1)
        bulk.insert_select(self.audits, [member_id], Member, first, last - 1)

    def finish(self) -> None:
        if self.next_id == self.first_id:
            return
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [Member]):
                    cursor.execute(sql)
        with connection.cursor() as cursor:
            for sql in self.rebuilt:
                cursor.execute(sql)
        if self.rebuilt_keys == ["namekey"]:
            _name_key_indexes("create")
        elif self.rebuilt_keys:
            # The members' indexes are built with the caller's cache (a large one keeps the
            # table they each read in memory); the name keys' with smaller sorter runs.
            with connection.cursor() as cursor, bulk.cache_size(SORT_CACHE_KIB):
                for sql in self.rebuilt_keys:
                    cursor.execute(sql)


def _check_batch(batch: MemberBatch, first: int) -> None:
    """The caller's numbering is the service's, and each member has its history (what
    `member_create` gives every member: a status period and a membership)."""
    last = first + len(batch.members) - 1
    if batch.first_id != first:
        raise ValueError(
            f"members_create_bulk: the batch numbers its members from {batch.first_id}, "
            f"the service gives them {first} onward."
        )
    for name, history in (("statuses", batch.statuses), ("memberships", batch.memberships)):
        ids = {row[0] for row in history}
        if ids and (min(ids) < first or max(ids) > last):
            raise ValueError(
                f"members_create_bulk: {name} name members outside the batch ({first}…{last})."
            )
        if len(ids) != len(batch.members):
            raise ValueError(f"members_create_bulk: members of the batch without {name}.")


@transaction.atomic
def member_set_status(
    *, acting_user: ActingUser, member: Member, status: str, on: dt.date, note: str = ""
) -> Member:
    """Change the status from `on`, closing the current status period (replacing it, if it
    started on `on`: the day counts the last status set for it).

    Leaving the Party (death, striking off, …) closes the membership on `on`; coming back into it
    opens a new one in the member's cell.
    """
    if status not in Status.values:
        raise ValidationError(f"Tình trạng «{status}» không hợp lệ.")
    member.refresh_from_db(from_queryset=Member.objects.select_for_update())
    if status == member.status:
        raise ValidationError(f"Đảng viên đã ở tình trạng «{member.get_status_display()}».")
    periods = StatusPeriod.objects.filter(member=member)
    current = periods.open().first()
    if current is not None and current.valid_from > on:
        raise ValidationError(
            f"Ngày {on:%d/%m/%Y} trước ngày bắt đầu tình trạng hiện tại "
            f"({current.valid_from:%d/%m/%Y})."
        )
    periods.close_on(on)
    open_memberships = Membership.objects.filter(member=member, valid_to__isnull=True)
    if status not in IN_PARTY:
        _require_memberships_start_by(open_memberships, on)
    before = snapshot(member, _AUDITED)
    StatusPeriod.objects.create(member=member, status=status, valid_from=on, note=note)
    member.status = status
    update = ["status"]
    if status == Status.OFFICIAL and member.recognition_date is None:
        member.recognition_date = on
        update.append("recognition_date")
    if status not in IN_PARTY:
        open_memberships.close_on(on)
    elif member.org_id is not None and not open_memberships.exists():
        Membership.objects.create(member=member, org_id=member.org_id, valid_from=on)
    member.party_age_from = party_age_start(member)
    member.save(update_fields=[*update, "party_age_from"])
    member_roles_follow(member_ids=[member.pk])
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.UPDATE,
        target=member,
        summary=f"Chuyển tình trạng sang «{member.get_status_display()}»",
        before=before,
        after=snapshot(member, _AUDITED),
    )
    return member


@transaction.atomic
def member_lost_contact_record(
    *,
    acting_user: ActingUser,
    member: Member,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    note: str = "",
) -> LostContact:
    """Record a period in which the member lost contact with the organization (from `start`,
    back on `end`), once contact is restored: party age no longer counts it. It must lie after
    the admission, in the past, inside the member's time in the Party (not struck off, not away
    by a transfer) and apart from the periods already recorded."""
    member.refresh_from_db(from_queryset=Member.objects.select_for_update())
    if end <= start:
        raise ValidationError("Ngày liên lạc lại phải sau ngày mất liên lạc.")
    if end > today:
        raise ValidationError(
            "Chỉ ghi thời gian mất liên lạc khi đảng viên đã liên lạc lại: ngày liên lạc lại "
            f"không thể sau hôm nay ({today:%d/%m/%Y})."
        )
    if member.admission_date is None or start < member.admission_date:
        raise ValidationError("Thời gian mất liên lạc phải sau ngày vào Đảng.")
    overlapping = LostContact.objects.filter(member=member, start__lt=end, end__gt=start).first()
    if overlapping is not None:
        raise ValidationError(f"Trùng với thời gian mất liên lạc đã ghi ({overlapping}).")
    out = (
        StatusPeriod.objects.filter(member=member, valid_from__lt=end)
        .exclude(valid_to__lte=start)
        .exclude(status__in=IN_PARTY)
        .first()
    )
    if out is not None:
        raise ValidationError(
            f"Trong thời gian này đảng viên có tình trạng «{out.get_status_display().lower()}» "
            f"(từ {out.valid_from:%d/%m/%Y}): thời gian đó đã không được tính tuổi đảng."
        )
    lost = LostContact.objects.create(member=member, start=start, end=end, note=note[:300])
    _party_age_follows(acting_user, member, f"Ghi thời gian mất liên lạc {lost}")
    return lost


@transaction.atomic
def member_lost_contact_remove(*, acting_user: ActingUser, lost: LostContact) -> None:
    """Remove a period of lost contact recorded by mistake (the audit row keeps what it was)."""
    member = Member.objects.select_for_update().get(pk=lost.member_id)
    said = str(lost)
    lost.delete()
    _party_age_follows(acting_user, member, f"Xóa thời gian mất liên lạc {said}")


def _party_age_follows(acting_user: ActingUser, member: Member, summary: str) -> None:
    before = {"party_age_from": str(member.party_age_from or "")}
    member.party_age_from = party_age_start(member)
    member.save(update_fields=["party_age_from"])
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.UPDATE,
        target=member,
        summary=summary,
        before=before,
        after={"party_age_from": str(member.party_age_from or "")},
    )


def _require_memberships_start_by(memberships: QuerySet[Membership], on: dt.date) -> None:
    """A period closed on `on` must have started by then."""
    later = memberships.filter(valid_from__gt=on).order_by("-valid_from").first()
    if later is not None:
        raise ValidationError(
            f"Ngày {on:%d/%m/%Y} trước ngày bắt đầu sinh hoạt tại «{later.org}» "
            f"({later.valid_from:%d/%m/%Y})."
        )


def member_paths_rebase(*, old_path: str, new_path: str) -> int:
    """After a subtree moves, its members' copied paths follow. Called inside org_move."""
    name_keys_rebase(old_path=old_path, new_path=new_path)
    return Member.objects.filter(subtree_q("org_path", old_path)).update(
        org_path=Concat(Value(new_path), Substr("org_path", len(old_path) + 1))
    )


@transaction.atomic
def members_move(
    *,
    acting_user: ActingUser,
    source: Organization,
    target: Organization,
    on: dt.date,
    member_ids: list[int] | None = None,
) -> int:
    """Move members whose cell is `source` to `target` from `on` (restructuring, not transfer).
    A membership in `source` that began on `on` is replaced by the one in `target`."""
    source.refresh_from_db()
    target.refresh_from_db()  # its path is copied onto the members: not a stale one
    if source.pk == target.pk:
        raise ValidationError(f"Đảng viên đã sinh hoạt tại «{target.name}».")
    members = Member.objects.filter(org=source, status__in=IN_PARTY)
    if member_ids is not None:
        members = members.filter(pk__in=member_ids)
        if members.count() != len(set(member_ids)):
            raise ValidationError(f"Có đảng viên không sinh hoạt tại «{source.name}».")
    moving = list(members.values_list("pk", flat=True))
    if not moving:
        # Nothing to move: merging or splitting a committee without members of its own is fine.
        return 0
    _require_cell(target, f"«{target.name}» không phải chi bộ: không thể chuyển đảng viên vào.")
    closing = Membership.objects.filter(member_id__in=moving, org=source, valid_to__isnull=True)
    _require_memberships_start_by(closing, on)
    closing.close_on(on)
    Membership.objects.bulk_create(
        [Membership(member_id=pk, org=target, valid_from=on) for pk in moving], batch_size=1000
    )
    Member.objects.filter(pk__in=moving).update(org=target, org_path=target.path)
    member_roles_follow(member_ids=moving)
    name_keys_repath(moving, target.path)
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.MOVE,
        target=target,
        summary=f"Chuyển {len(moving)} đảng viên từ «{source.name}» sang «{target.name}»",
        before={"org": source.pk, "members": moving},
        after={"org": target.pk},
    )
    return len(moving)


def member_award_add(
    *,
    acting_user: ActingUser,
    member: Member,
    date: dt.date,
    form: str,
    issuer: str = "",
    reason: str = "",
) -> Award:
    """A line of the dossier's awards (khen thưởng), with its audit row: what a procedure that
    ends in an award (a badge handed at its ceremony) writes into the record."""
    award = Award.objects.create(
        member=member, date=date, form=form[:200], issuer=issuer[:200], reason=reason[:400]
    )
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.UPDATE,
        target=member,
        summary=f"Khen thưởng: {award.form} ngày {date:%d/%m/%Y}",
        after={"award": award.pk, "form": award.form, "date": date.isoformat()},
    )
    return award


def member_viewed(*, acting_user: ActingUser, member: Member) -> None:
    """Record that someone opened a member's record (personal data protection)."""
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.VIEW,
        target=member,
        summary=f"Xem hồ sơ {member.full_name}",
    )


# ---------------------------------------------------------------------------------------------
# The dossier: photo, history tables, yearly supplements. Implemented in
# members/dossier.py, imported here so that every write is found among the services.


def member_roles_follow(*, member_ids: Collection[int]) -> None:
    """Put the member role of these members' accounts where their records say: on the member's
    current cell while they are in the Party, nowhere once they have left it.

    Called in the transaction of every service that changes a member's cell or status; the
    change's own audit row records it. Other roles stay on their node: a secretary is bound to
    the cell they lead, not to the one they belong to."""
    if not member_ids:
        return
    accounts = User.objects.filter(member_id__in=member_ids)
    RoleAssignment.objects.filter(role=Role.MEMBER, user__in=accounts).exclude(
        org=F("user__member__org"), user__member__status__in=IN_PARTY
    ).delete()
    missing = (
        accounts.filter(member__status__in=IN_PARTY, member__org__isnull=False)
        .exclude(roles__role=Role.MEMBER)
        .values_list("pk", "member__org_id")
    )
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user_id=pk, role=Role.MEMBER, org_id=org_id) for pk, org_id in missing],
        batch_size=1000,
    )


@transaction.atomic
def membership_temporary_open(
    *,
    acting_user: ActingUser,
    member: Member,
    org: Organization,
    valid_from: dt.date,
    valid_to: dt.date,
) -> Membership:
    """A temporary membership at a host cell from `valid_from` to `valid_to` (exclusive): the
    member is listed there meanwhile and still counted only by the home cell (its official
    membership stays open)."""
    org.refresh_from_db()
    _require_cell(org, f"«{org.name}» không phải chi bộ: không thể sinh hoạt tạm thời tại đó.")
    if valid_to <= valid_from:
        raise ValidationError("Ngày kết thúc sinh hoạt tạm thời phải sau ngày bắt đầu.")
    if member.org_id == org.pk:
        raise ValidationError(f"Đảng viên đang sinh hoạt chính thức tại «{org.name}».")
    membership = Membership.objects.create(
        member=member,
        org=org,
        kind=Membership.Kind.TEMPORARY,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.UPDATE,
        target=member,
        summary=(
            f"Sinh hoạt tạm thời tại «{org.name}» từ {valid_from:%d/%m/%Y} đến {valid_to:%d/%m/%Y}"
        ),
        after={"membership": membership.pk, "org": org.pk, "kind": Membership.Kind.TEMPORARY},
    )
    return membership
