"""Today's figures kept per node, so a report of any node as of today reads one row.

Each path of the tree has a `FigureNode`: `own` counts the members whose cell it is (every
measure of `reports/measures.py`) and the node itself as an organization (by level, and by kind
for a grassroots organization); `total` is its own plus every node's below. Triggers in the
database mark the paths a write touches (`FigureDirty`, migration `reports 0002`); before figures
are read, `refresh` recounts the own figures of the marked paths with the very filters of the
report and adds the difference to the node and each of its ancestors. A path is a string, so a
node that moves leaves its old path (recounted to nothing) and its new one (recounted) marked, and
the ancestors of both are corrected.

Ages move with the calendar: when the day changes, the members who crossed an age or party-age
boundary since the figures' day, and the nodes whose history starts or ends in between, are
marked too. `rebuild` recounts everything: after a bulk load, and when the measures changed (a
new `VERSION` of the code, a reference-list code renamed); until then the reports count directly.

Admissions and recognitions are kept the same way for the changes reports (`DatedEvent`): each
with the path its cell had on that day, so a year of a province's admissions is one index range
instead of a walk through the memberships and the tree's history of each member admitted that
year in the whole country. The triggers mark the members a write may change (`EventDirty`): their
dates, their memberships, the history of a node they belonged to; `events_current` re-derives
their events before a changes report reads them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Max, Model, Q, Value
from django.utils import timezone

from dangvien.core.dates import years_before
from dangvien.core.paths import SEGMENT
from dangvien.core.periods import valid_on_q
from dangvien.members.models import IN_PARTY, Member, Membership
from dangvien.orgs.models import OrgHistory
from dangvien.orgs.selectors import tree_on
from dangvien.reports import marks
from dangvien.reports.measures import (
    AGE_BANDS,
    PARTY_AGE_BANDS,
    REFERENCE_GROUPS,
    member_groups,
)
from dangvien.reports.models import (
    DatedEvent,
    EventDirty,
    FigureDirty,
    FigureNode,
    FigureState,
)

# Raise when a measure's filter changes (the keys alone would not show it): figures recount.
VERSION = 3
CHUNK = 500  # paths per query: far below every database's limit of bound parameters
Counts = dict[str, int]


LEVEL = "orgs_level_"  # + the level's id: nodes of that level
KIND = "orgs_kind_"  # + the kind's id, or "none": grassroots organizations of that kind


def org_level_key(level_id: int) -> str:
    return f"{LEVEL}{level_id}"


def org_kind_key(kind_id: int | None) -> str:
    return f"{KIND}{kind_id or 'none'}"


def today() -> dt.date:
    return timezone.localdate()


def meanings(day: dt.date) -> dict[str, str]:
    """What each reference-list measure counts (its filter, naming the entry's id), by key."""
    references = {key for _field, key, _title in REFERENCE_GROUPS}
    return {m.key: str(m.q) for g in member_groups(day) if g.key in references for m in g.measures}


def counted_alike(state: FigureState, day: dt.date) -> bool:
    """The kept figures were counted with today's measures. A new entry in a reference list is
    fine (nobody has it yet; whoever gets it is marked); a measure whose key now counts something
    else, or whose filter moved to another key (a code renamed), is not."""
    if state.version != VERSION:
        return False
    now, kept = meanings(day), state.meanings
    moved = set(kept.values())
    return all(
        kept[key] == meaning if key in kept else meaning not in moved
        for key, meaning in now.items()
    )


def prefixes(path: str) -> list[str]:
    """The path of every node from the root down to the node itself."""
    return [path[:end] for end in range(SEGMENT, len(path) + 1, SEGMENT)]


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


# --- Counting --------------------------------------------------------------------------------


def _own(paths: list[str] | None, day: dt.date) -> dict[str, Counts]:
    """The own figures of `paths` (every path when None) on `day`, zeros left out."""
    if paths is None:
        return _own_of(Q(), Q(), day)
    own: dict[str, Counts] = {}
    for chunk in _chunks(paths):
        own.update(_own_of(Q(org_path__in=chunk), Q(path__in=chunk), day))
    return own


def _own_of(members_q: Q, nodes_q: Q, day: dt.date) -> dict[str, Counts]:
    measures = [m for g in member_groups(day) for m in g.measures]
    members = (
        Member.objects.filter(members_q, status__in=IN_PARTY)
        .exclude(org_path="")
        .annotate(status_on=F("status"))
        .values("org_path")
        .annotate(**{m.key: Count("pk", filter=m.q) for m in measures})
        .order_by()
    )
    own: dict[str, Counts] = defaultdict(dict)
    for row in members:
        path = row.pop("org_path")
        own[path] = {key: value for key, value in row.items() if value}
    nodes = (
        tree_on(day)
        .filter(nodes_q)
        .values_list("path", "level_id", "level__is_grassroots", "org__kind_id")
    )
    for path, level_id, grassroots, kind_id in nodes:
        counts = own[path]
        keys = [org_level_key(level_id)] + ([org_kind_key(kind_id)] if grassroots else [])
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    return dict(own)


def subtract(into: Counts, counts: Counts) -> None:
    _add(into, counts, -1)


def _add(into: Counts, delta: Counts, sign: int = 1) -> None:
    for key, value in delta.items():
        total = into.get(key, 0) + sign * value
        if total:
            into[key] = total
        else:
            into.pop(key, None)


# --- Keeping them ----------------------------------------------------------------------------


def _lock() -> FigureState | None:
    """Take the write lock before reading anything (SQLite: the first write of the transaction;
    PostgreSQL: the state row), so two refreshes never apply the same marks twice."""
    FigureState.objects.update(refreshed_at=timezone.now())
    if connection.vendor == "postgresql":
        return FigureState.objects.select_for_update().first()
    return FigureState.objects.first()


@transaction.atomic
def rebuild(day: dt.date | None = None) -> int:
    """Recount every node's figures for `day` (today); returns the number of paths kept."""
    day = day or today()
    _lock()
    own = _own(None, day)
    totals: dict[str, Counts] = {path: dict(counts) for path, counts in own.items()}
    # Bottom-up: each node's total is added once to its parent's.
    for depth in sorted({len(p) // SEGMENT for p in totals}, reverse=True):
        for path in [p for p in totals if len(p) // SEGMENT == depth]:
            if depth > 1:
                _add(totals.setdefault(path[:-SEGMENT], {}), totals[path])
    FigureDirty.objects.all().delete()
    FigureNode.objects.all().delete()
    FigureNode.objects.bulk_create(
        (FigureNode(path=p, own=own.get(p, {}), total=t) for p, t in totals.items()),
        batch_size=2000,
    )
    EventDirty.objects.all().delete()
    DatedEvent.objects.all().delete()
    _derive_events(Q())
    FigureState.objects.all().delete()
    FigureState.objects.create(
        as_of=day, version=VERSION, meanings=meanings(day), refreshed_at=timezone.now()
    )
    return len(totals)


def _mark_calendar(since: dt.date, day: dt.date) -> None:
    """Mark the paths whose figures change with the calendar between `since` and `day`: members
    who crossed an age or party-age boundary, nodes whose history starts or ends."""
    crossed = Q(pk__in=[])
    for field, bands in (
        ("date_of_birth", AGE_BANDS),
        ("admission_date", PARTY_AGE_BANDS),
        ("party_age_from", PARTY_AGE_BANDS),
    ):
        for low, _high in bands:
            if low:
                crossed |= Q(
                    **{
                        f"{field}__gt": years_before(since, low),
                        f"{field}__lte": years_before(day, low),
                    }
                )
    paths = set(
        Member.objects.filter(crossed, status__in=IN_PARTY)
        .values_list("org_path", flat=True)
        .distinct()
    )
    paths.update(
        OrgHistory.objects.filter(
            Q(valid_from__gt=since, valid_from__lte=day) | Q(valid_to__gt=since, valid_to__lte=day)
        ).values_list("path", flat=True)
    )
    FigureDirty.objects.bulk_create(
        [FigureDirty(path=p) for p in paths if p], ignore_conflicts=True, batch_size=CHUNK
    )


def _apply(paths: list[str], day: dt.date) -> None:
    """Recount the own figures of `paths` and carry the differences up to every ancestor."""
    new = _own(paths, day)
    wanted = sorted({q for p in paths for q in prefixes(p)})
    rows: dict[str, FigureNode] = {}
    for chunk in _chunks(wanted):
        rows.update((r.path, r) for r in FigureNode.objects.filter(path__in=chunk))
    created: dict[str, FigureNode] = {}
    changed: dict[str, FigureNode] = {}
    for path in paths:
        old = rows[path].own if path in rows else {}
        delta = dict(new.get(path, {}))
        subtract(delta, old)
        if not delta:
            continue
        for prefix in prefixes(path):
            node = rows.get(prefix)
            if node is None:
                node = rows[prefix] = created[prefix] = FigureNode(path=prefix, own={}, total={})
            elif prefix not in created:
                changed[prefix] = node
            _add(node.total, delta)
        rows[path].own = new.get(path, {})
    FigureNode.objects.bulk_create(created.values(), batch_size=2000)
    FigureNode.objects.bulk_update(changed.values(), ["own", "total"], batch_size=500)


def refresh(day: dt.date | None = None) -> bool:
    """Bring the stored figures up to `day` (today). False when there are none to bring up (never
    built, or counted with other measures): the caller counts directly."""
    day = day or today()
    state = FigureState.objects.first()
    if state is None or state.as_of > day or not counted_alike(state, day):
        return False
    if state.as_of == day and not FigureDirty.objects.exists():
        return True
    with transaction.atomic():
        state = _lock()
        if state is None or state.as_of > day:
            return False
        if state.as_of < day:
            _mark_calendar(state.as_of, day)
        paths, stamp = _marks(FigureDirty, "path")
        if paths:
            _apply(paths, day)
            _unmark(FigureDirty, "path", paths, stamp)
        # Figures may now be kept under keys of new reference entries: remember what they mean.
        FigureState.objects.filter(pk=state.pk).update(
            as_of=day, meanings={**state.meanings, **meanings(day)}
        )
    return True


def _marks(model: type[Model], field: str) -> tuple[list[Any], int]:
    """The marked keys and the last stamp read with them."""
    stamp = model._default_manager.aggregate(stamp=Max("stamp"))["stamp"] or 0
    return list(model._default_manager.values_list(field, flat=True)), stamp


def _unmark(model: type[Model], field: str, keys: list[Any], stamp: int) -> None:
    """Clear the marks taken in; a key marked again since (a later stamp) stays marked."""
    for chunk in _chunks(keys):
        model._default_manager.filter(**{f"{field}__in": chunk, "stamp__lte": stamp}).delete()


# --- Dated events ----------------------------------------------------------------------------

EVENT_DATES: dict[str, str] = {
    DatedEvent.Kind.ADMITTED: "admission_date",
    DatedEvent.Kind.RECOGNISED: "recognition_date",
}


def _derive_events(members: Q) -> None:
    """Write the admissions and recognitions of the members of `members` (a filter over
    Membership), each with the path, on that day, of every official cell the member held that
    day: one INSERT … SELECT per kind."""
    columns = ", ".join(connection.ops.quote_name(c) for c in ("member_id", "kind", "day", "path"))
    table = connection.ops.quote_name(DatedEvent._meta.db_table)
    for kind, date_field in EVENT_DATES.items():
        day = F(f"member__{date_field}")
        rows = (
            Membership.objects.filter(
                members,
                valid_on_q(day),
                valid_on_q(day, "org__history__"),
                kind=Membership.Kind.OFFICIAL,
            )
            .annotate(
                event_kind=Value(str(kind)), event_day=day, event_path=F("org__history__path")
            )
            .values_list("member_id", "event_kind", "event_day", "event_path")
            .order_by()
        )
        sql, params = rows.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)


def events_current() -> bool:
    """Bring the kept admissions and recognitions up to date with every write. False when they
    are not kept (figures never built, or built by another version): the caller walks the
    histories."""
    state = FigureState.objects.first()
    if state is None or state.version != VERSION:
        return False
    if not EventDirty.objects.exists():
        return True
    with transaction.atomic():
        if _lock() is None:
            return False
        members, stamp = _marks(EventDirty, "member_id")
        for chunk in _chunks(members):
            DatedEvent.objects.filter(member_id__in=chunk).delete()
            _derive_events(Q(member_id__in=chunk))
        _unmark(EventDirty, "member_id", members, stamp)
    return True


# --- Reading them ----------------------------------------------------------------------------


def nodes_of(paths: Iterable[str], day: dt.date) -> dict[str, FigureNode] | None:
    """Each path's kept figures on `day` (an empty node for a path without members), or None
    when they are not kept for that day (any day but today, or figures not built): the caller
    counts directly."""
    if day != today() or not refresh(day):
        return None
    found = {path: FigureNode(path=path, own={}, total={}) for path in paths}
    for chunk in _chunks(list(found)):
        found.update((n.path, n) for n in FigureNode.objects.filter(path__in=chunk))
    return found


def totals_of(paths: Iterable[str], day: dt.date) -> dict[str, Counts] | None:
    """Each path's total figures on `day`, or None as `nodes_of`."""
    nodes = nodes_of(paths, day)
    return None if nodes is None else {path: node.total for path, node in nodes.items()}


def below_of(path: str, day: dt.date) -> Counts | None:
    """The figures of the nodes below `path` (its total less its own), or None as `nodes_of`."""
    nodes = nodes_of([path], day)
    if nodes is None:
        return None
    below = dict(nodes[path].total)
    subtract(below, nodes[path].own)
    return below


@contextlib.contextmanager
def marks_paused() -> Iterator[None]:
    """For a bulk load that calls `rebuild` after it (the demo): the marking triggers are dropped
    during the load and made again after, even when it fails. A trigger on every inserted row
    costs little on its own, but inside an enclosing transaction SQLite then keeps a statement
    journal for each row (the Hanoi load inside a test went from 100 s to over 15 minutes)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, NULL, sql FROM sqlite_master "
                "WHERE type = 'trigger' AND substr(name, 1, %s) = %s",
                [len(marks.PREFIX), marks.PREFIX],
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, tgrelid::regclass::text, pg_get_triggerdef(oid) FROM pg_trigger "
                "WHERE left(tgname, %s) = %s",
                [len(marks.PREFIX), marks.PREFIX],
            )
        triggers = list(cursor.fetchall()) if connection.vendor in ("sqlite", "postgresql") else []
        for name, table, _sql in triggers:
            cursor.execute(f"DROP TRIGGER {name}" + (f" ON {table}" if table else ""))
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, _table, sql in triggers:
                cursor.execute(sql)


def ensure_built(**_: Any) -> None:
    """After `migrate`: figures for a database that has none (instant when it is empty)."""
    tables = connection.introspection.table_names()
    if FigureState._meta.db_table in tables and not FigureState.objects.exists():
        rebuild()
