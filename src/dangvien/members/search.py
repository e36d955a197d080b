"""Ranked member search over the NameKey index (DOMAIN.md §10).

Order of results: the exact full name first, then names starting with the query, then names with
a word starting with it anywhere; within each tier Vietnamese name order (`name_sort`). A query of
digits finds a card number, a CCCD or a phone number exactly.

Each tier is read from `NameKey` (one row per word start of the folded name) in one of three ways,
chosen by a count capped at `SPARSE_CAP`:

- sparse (fewer matches than the cap in the whole country): the key range of the (key, name_sort)
  index, the few matches sorted;
- dense in a small scope: every key of the scope through the (org_path, key) index;
- dense in a large scope: one stream per (word, position) in name order through the
  (word, position, name_sort, member) index (two words or more: (word, word2, …)), each cut after
  a page, merged. A scope inside one top node (a province, a commune of it) reads its streams from
  the (top node, word, position, name_sort, member) index instead: at national scale a province is
  2% of the country, and a country-wide stream would be read fifty rows for each one in scope.

Candidates are then checked against the caller's scoped queryset (`members`), which stays the
authority on what a user may see and which filters apply.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet

from dangvien.accounts.access import VIEW, reach
from dangvien.accounts.types import Actor
from dangvien.core.paths import SEGMENT, path_upper_bound, subtree_q
from dangvien.core.text import fold
from dangvien.members.models import Member, NameKey

PAGE_SIZE = 20
SPARSE_CAP = 2000  # matches of a key range read and sorted whole
SMALL_SCOPE = 20000  # keys in a scope read whole through (org_path, key)
WALK_LIMIT = 50000  # keys walked in name order at most for one page
KEY_LENGTH = 120
TOP = "\uffff"  # above every folded character: q <= key < q + TOP is "key starts with q"

# The top node of a key's member (a province in the national tree), indexed as an expression: the
# query spells it exactly as the index does (NameKey.Meta.indexes, "members_namekey_root").
ROOT_EXPRESSION = f'SUBSTR("org_path", 1, {SEGMENT})'

_DIGITS = re.compile(r"^[0-9 .\-+]{3,20}$")


def name_keys_for(full_name: str) -> list[tuple[int, str]]:
    """(position, key) of every word start of the folded name."""
    words = fold(full_name).split(" ")
    return [(i, " ".join(words[i:])[:KEY_LENGTH]) for i in range(len(words)) if words[i] != ""]


def key_words(key: str) -> tuple[str, str]:
    """The first two words of a key (the second "" for a one-word key)."""
    words = key.split(" ", 2)
    return words[0], words[1] if len(words) > 1 else ""


def _rows_for(member_id: int, full_name: str, org_path: str, name_sort: str) -> list[NameKey]:
    return [
        NameKey(
            member_id=member_id,
            key=key,
            word=key_words(key)[0],
            word2=key_words(key)[1],
            position=position,
            org_path=org_path,
            name_sort=name_sort,
        )
        for position, key in name_keys_for(full_name)
    ]


def name_keys_refresh(member: Member) -> None:
    """Rewrite the member's search keys: call after any change of full_name or org/org_path."""
    with transaction.atomic():
        NameKey.objects.filter(member_id=member.pk).delete()
        NameKey.objects.bulk_create(
            _rows_for(member.pk, member.full_name, member.org_path, member.name_sort)
        )


def name_keys_repath(member_ids: Iterable[int], org_path: str) -> None:
    """Members moved to another cell: their keys follow (names unchanged)."""
    NameKey.objects.filter(member_id__in=list(member_ids)).update(org_path=org_path)


def name_keys_rebase(*, old_path: str, new_path: str) -> None:
    """A subtree moved: its keys' copied paths follow (like member_paths_rebase)."""
    from django.db.models import Value
    from django.db.models.functions import Concat, Substr

    NameKey.objects.filter(subtree_q("org_path", old_path)).update(
        org_path=Concat(Value(new_path), Substr("org_path", len(old_path) + 1))
    )


def name_keys_rows(
    rows: Iterable[tuple[int, str, str, str]],
) -> list[tuple[int, str, str, str, int, str, str]]:
    """Plain rows (member_id, key, word, word2, position, org_path, name_sort) for bulk writers."""
    out: list[tuple[int, str, str, str, int, str, str]] = []
    for member_id, full_name, org_path, name_sort in rows:
        out += [
            (member_id, key, *key_words(key), position, org_path, name_sort)
            for position, key in name_keys_for(full_name)
        ]
    return out


def name_keys_rebuild(*, batch: int = 20000, progress: Any = None) -> int:
    """Rebuild the whole index in batches of members; returns the number of keys written."""
    table = NameKey._meta.db_table
    written = 0
    # Filling an indexed table row by row updates every index at each insert: write the rows
    # first, then build the indexes once (minutes instead of an hour at national scale).
    indexes = NameKey._meta.indexes
    editor = connection.schema_editor()
    with transaction.atomic():
        with connection.cursor() as cursor:
            for index in indexes:
                cursor.execute(f"DROP INDEX IF EXISTS {editor.quote_name(str(index.name))}")
        NameKey.objects.all().delete()
        last = 0
        while True:
            members = list(
                Member.objects.filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", "full_name", "org_path", "name_sort")[:batch]
            )
            if not members:
                break
            last = members[-1][0]
            rows = name_keys_rows(members)
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {table} "
                    "(member_id, key, word, word2, position, org_path, name_sort) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    rows,
                )
            written += len(rows)
            if progress is not None:
                progress(last, written)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Deferred foreign-key checks of the rows just written must run before PostgreSQL
                # builds an index on the table in the same transaction.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for index in indexes:
                cursor.execute(str(index.create_sql(NameKey, editor)))
    return written


# ---------------------------------------------------------------------------------------------
# Reading


@dataclass
class SearchPage:
    rows: list[Member]
    has_more: bool
    offset: int = 0


def _scope_sql(paths: list[str] | None) -> tuple[str, list[Any]]:
    if paths is None:
        return "", []
    if not paths:
        return " AND 0 = 1", []
    parts = " OR ".join("(org_path >= %s AND org_path < %s)" for _ in paths)
    params: list[Any] = []
    for path in paths:
        params += [path, path_upper_bound(path)]
    return f" AND ({parts})", params


def _hint(index: str) -> str:
    """SQLite may prefer another index than the one the strategy is built on: name it."""
    return f" INDEXED BY {index}" if connection.vendor == "sqlite" else ""


def _fetch(sql: str, params: list[Any]) -> list[tuple[int, str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _capped_count(where: str, params: list[Any], index: str, cap: int) -> int:
    table = NameKey._meta.db_table
    sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM {table}{_hint(index)} WHERE {where} LIMIT {cap}) t"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


class _SmallScope:
    """Whether a scope holds fewer than SMALL_SCOPE keys: counted once per search, when asked."""

    def __init__(self, paths: list[str] | None) -> None:
        self.paths = paths
        self.answer: bool | None = None

    def __call__(self) -> bool:
        if self.paths is None:
            return False
        if self.answer is None:
            scope, params = _scope_sql(self.paths)
            count = _capped_count("1 = 1" + scope, params, "members_namekey_scope", SMALL_SCOPE)
            self.answer = count < SMALL_SCOPE
        return self.answer


def _tier(
    query: str, tier: int, paths: list[str] | None, small_scope: _SmallScope
) -> Iterator[int]:
    """Member ids of one tier, in name order (may repeat a member: the caller skips repeats)."""
    table = NameKey._meta.db_table
    if tier == 0:
        word, word2 = key_words(query)
        match = "word = %s AND word2 = %s AND position = 0 AND key = %s"
        match_params = [word, word2, query]
    else:
        position = "position = 0 AND key > %s" if tier == 1 else "position > 0 AND key >= %s"
        match, match_params = f"{position} AND key < %s", [query, query + TOP]
    scope, scope_params = _scope_sql(paths)
    columns = f"SELECT member_id, key, name_sort FROM {table}"
    order = " ORDER BY name_sort, member_id"
    params = match_params + scope_params

    def rows_of(rows: list[tuple[int, str, str]]) -> Iterator[int]:
        # A database collation ignoring spaces (PostgreSQL locales) may widen the range: check.
        for member_id, key, _ in rows:
            if key.startswith(query):
                yield member_id

    if tier == 0:
        # One word: (word, word2 = "", position, …) reads only names made of that word. More
        # words: (key, name_sort) reads only that key (rarely at a later position). In a small
        # scope its own keys are fewer than the holders of a common full name in the country.
        if small_scope():
            index = "members_namekey_scope"
        else:
            index = "members_namekey_key" if " " in query else "members_namekey_words"
        yield from _walk(f"{columns}{_hint(index)} WHERE {match}{scope}{order}", params)
        return
    key_only = "key >= %s AND key < %s"
    if _capped_count(key_only, [query, query + TOP], "members_namekey_key", SPARSE_CAP) < (
        SPARSE_CAP
    ):
        yield from rows_of(
            _fetch(f"{columns}{_hint('members_namekey_key')} WHERE {match}{scope}{order}", params)
        )
        return
    if small_scope():
        yield from rows_of(
            _fetch(
                f"{columns}{_hint('members_namekey_scope')} WHERE {match}{scope}{order}",
                params,
            )
        )
        return
    yield from _merged(query, tier, paths)


MAX_WORDS = 300  # words a prefix may stand for in the dense plan (one letter: ~100-200)
ARMS_PER_QUERY = 400  # below SQLite's limit of 500 terms in a compound SELECT
POSITIONS = (1, 2, 3)  # word positions read one by one; later ones share one arm


def _seek(column: str, fixed: str, fixed_params: list[Any], prefix: str) -> list[str]:
    """Distinct values of `column` starting with `prefix` (where `fixed`): one index seek each."""
    table = NameKey._meta.db_table
    sql = (
        f"WITH RECURSIVE w(v) AS ("
        f"SELECT MIN({column}) FROM {table} WHERE {fixed}{column} >= %s AND {column} < %s "
        f"UNION ALL SELECT (SELECT MIN({column}) FROM {table} "
        f"WHERE {fixed}{column} > w.v AND {column} < %s) FROM w WHERE w.v IS NOT NULL) "
        f"SELECT v FROM w WHERE v IS NOT NULL LIMIT {MAX_WORDS}"
    )
    params = [*fixed_params, prefix, prefix + TOP, *fixed_params, prefix + TOP]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [value for (value,) in cursor.fetchall() if value.startswith(prefix)]


def _streams(query: str) -> list[tuple[str, list[Any], str]]:
    """(condition, params, index) of each stream a query's matches lie in.

    One word: its words (a prefix stands for a few dozen). Two words or more: the first word is
    complete, the second a prefix when it is the last: streams per (word, word2), so that the walk
    in name order is not through every name sharing only the first word.
    """
    words = query.split(" ")
    if len(words) == 1:
        return [
            ("word = %s", [word], "members_namekey_word")
            for word in _seek("word", "", [], words[0])
        ]
    second = (
        [words[1]] if len(words) > 2 else _seek("word2", "word = %s AND ", [words[0]], words[1])
    )
    return [
        ("word = %s AND word2 = %s", [words[0], word2], "members_namekey_words") for word2 in second
    ]


def _single_root(paths: list[str] | None) -> str | None:
    """The top node (province) all of a scope lies in, when it is one and the scope is part of the
    table only: its streams are read from the (top node, word, position, name_sort) index."""
    if not paths:
        return None
    roots = {path[:SEGMENT] for path in paths}
    return roots.pop() if len(roots) == 1 else None


def _root_streams(query: str, root: str) -> list[tuple[str, list[Any], str]]:
    """Streams of a query inside one top node: per word (one word), or of the first word (more;
    the key range keeps the right second words)."""
    words = query.split(" ")
    values = _seek("word", "", [], words[0]) if len(words) == 1 else [words[0]]
    return [
        (f"{ROOT_EXPRESSION} = %s AND word = %s", [root, word], "members_namekey_root")
        for word in values
    ]


def _merged(query: str, tier: int, paths: list[str] | None) -> Iterator[int]:
    """Dense matches in a large scope: one stream per (word, position) read in name order from
    the (word, position, name_sort, member) index, each cut at k rows, merged; k grows only when
    the caller wants more (filters rejecting most candidates)."""
    import heapq

    table = NameKey._meta.db_table
    scope, scope_params = _scope_sql(paths)
    arms: list[tuple[str, list[Any]]] = []
    root = _single_root(paths)
    sources = _streams(query) if root is None else _root_streams(query, root)
    for condition, condition_params, index in sources:
        positions = ["position = 0"] if tier == 1 else [f"position = {p}" for p in POSITIONS]
        if tier == 2:
            positions.append(f"position > {POSITIONS[-1]}")
        for position in positions:
            arms.append(
                (
                    f"SELECT member_id, key, name_sort FROM {table}"
                    f"{_hint(index)} WHERE {condition} AND {position} "
                    f"AND key >= %s AND key < %s{scope}",
                    [*condition_params, query, query + TOP, *scope_params],
                )
            )
    done, k = 0, 64
    while arms:
        streams = []
        for start in range(0, len(arms), ARMS_PER_QUERY):
            group = arms[start : start + ARMS_PER_QUERY]
            sql = " UNION ALL ".join(
                f"SELECT * FROM ({arm} ORDER BY name_sort, member_id LIMIT {k}) a{i}"
                for i, (arm, _) in enumerate(group)
            )
            params = [p for _, arm_params in group for p in arm_params]
            streams.append(
                _fetch(f"SELECT * FROM ({sql}) u ORDER BY name_sort, member_id LIMIT {k}", params)
            )
        rows = list(heapq.merge(*streams, key=lambda r: (r[2], r[0])))[:k]
        for member_id, key, _ in rows[done:]:
            if key.startswith(query):
                yield member_id
        if len(rows) < k or k >= WALK_LIMIT:
            return
        done, k = len(rows), k * 4


def _walk(sql: str, params: list[Any], prefix: str = "") -> Iterator[int]:
    """Read an ordered query in growing batches, so a short page reads few rows."""
    offset, size = 0, 64
    while offset < WALK_LIMIT:
        rows = _fetch(f"{sql} LIMIT {size} OFFSET {offset}", params)
        for member_id, key, _ in rows:
            if key.startswith(prefix):
                yield member_id
        if len(rows) < size:
            return
        offset += size
        size = min(size * 4, 4096)


def _digits_q(query: str) -> Q:
    digits = re.sub(r"[^0-9]", "", query)
    return Q(party_card_number=digits) | Q(citizen_id=digits) | Q(phone=digits)


def is_number_query(query: str) -> bool:
    return bool(_DIGITS.match(query.strip())) and any(ch.isdigit() for ch in query)


def member_search(
    members: QuerySet[Member],
    query: str,
    *,
    within: list[str] | None = None,
    limit: int = PAGE_SIZE,
    offset: int = 0,
) -> SearchPage:
    """A page of `members` matching `query`, best first.

    `within`: roots of the subtrees to search (the caller's scope or the org shown), None for the
    whole table; it only narrows the index read, `members` decides what is shown.
    """
    query = query.strip()[:KEY_LENGTH]
    if not query:
        if not members.query.order_by:
            members = members.order_by("name_sort", "pk")
        rows = list(members[offset : offset + limit + 1])
        return SearchPage(rows[:limit], len(rows) > limit, offset)
    if is_number_query(query):
        # A number is unique to a member or two: sorting them here spares compiling an ORDER BY.
        rows = list(members.filter(_digits_q(query)).order_by()[: limit + 1])
        rows.sort(key=lambda member: (member.name_sort, member.pk))
        return SearchPage(rows[:limit], len(rows) > limit, 0)
    folded = fold(query)
    if not folded:
        return SearchPage([], False, offset)
    wanted = offset + limit + 1
    found: list[int] = []
    seen: set[int] = set()
    batch = 64  # candidates checked per query; grows when the filters keep few of them
    small_scope = _SmallScope(within)
    for tier in (0, 1, 2):
        pending: list[int] = []
        for member_id in _tier(folded, tier, within, small_scope):
            if member_id in seen:
                continue
            seen.add(member_id)
            pending.append(member_id)
            if len(pending) >= batch:
                found += _allowed(members, pending)
                pending = []
                batch = min(batch * 2, 2048)
                if len(found) >= wanted:
                    break
        found += _allowed(members, pending)
        if len(found) >= wanted:
            break
    page_ids = found[offset : offset + limit]
    by_id = members.in_bulk(page_ids)
    return SearchPage([by_id[pk] for pk in page_ids], len(found) > offset + limit, offset)


def _allowed(members: QuerySet[Member], ids: list[int]) -> list[int]:
    """`ids` that the scoped (and filtered) queryset keeps, in their order."""
    if not ids:
        return []
    kept = set(members.filter(pk__in=ids).values_list("pk", flat=True))
    return [pk for pk in ids if pk in kept]


def name_match_q(query: str) -> Q:
    """Members with a word of the name starting with `query` (unranked: for lists in name order)."""
    folded = fold(query)[:KEY_LENGTH]
    if not folded:
        return Q()
    keys = NameKey.objects.filter(key__gte=folded, key__lt=folded + TOP).values("member_id")
    return Q(pk__in=keys)


def search_scope(user: Actor) -> list[str] | None:
    """Subtree roots that bound a user's search (None: everything)."""
    where = reach(user, Member, VIEW)
    return None if where.everywhere else list(where.roots)
