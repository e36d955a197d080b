"""Bulk writing: executemany on SQLite, COPY on PostgreSQL, never the ORM per row.

Columns are read from the models, so a field added later with a default still gets a value: the
caller fills the columns it knows and the writer appends each other field's default. Used by the
demo load and by members' bulk creation (the import).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.db.models import NOT_PROVIDED, Model
from django.utils import timezone


class Table:
    """Insert statement of one model: the generated columns, then every other field's default.

    On SQLite the defaults are written into the statement as literals (made by SQLite's own
    `quote()`, so any text is safe): binding a constant for every row cost more than the rest of
    the insert for a wide table (members: 48 columns, 14 of them generated). COPY gets them per
    row.
    """

    def __init__(self, model: type[Model], fields: Sequence[str]) -> None:
        self.model = model
        self.table: str = model._meta.db_table
        generated: list[Any] = [model._meta.get_field(name) for name in fields]
        self.others: list[Any] = [
            f for f in model._meta.concrete_fields if f not in generated and not f.primary_key
        ]
        self.generated = len(generated)
        self.constants: tuple[Any, ...] = tuple(_default(f) for f in self.others)
        self.columns: list[str] = [f.column for f in [*generated, *self.others]]
        self._literals: tuple[tuple[Any, ...], list[str]] | None = None

    def complete(self, rows: list[tuple]) -> list[tuple]:
        if not self.constants:
            return rows
        return [row + self.constants for row in rows]

    def constants_sql(self, mark: str = "%s") -> tuple[list[str], list[Any]]:
        """The constants as SQL expressions and the parameters they take: literals on SQLite,
        typed placeholders elsewhere (an untyped one in a SELECT list would be text)."""
        if connection.vendor == "sqlite":
            return self.sqlite_literals(), []
        casts = [f"CAST({mark} AS {f.db_type(connection)})" for f in self.others]
        return casts, list(self.constants)

    def sqlite_literals(self) -> list[str]:
        if self._literals is None or self._literals[0] != self.constants:
            literals: list[str] = []
            if self.constants:
                connection.ensure_connection()
                quote = ", ".join(["quote(?)"] * len(self.constants))
                literals = list(
                    connection.connection.execute(f"SELECT {quote}", self.constants).fetchone()
                )
            self._literals = (self.constants, literals)
        return self._literals[1]

    def sqlite_insert(self) -> str:
        """INSERT with a placeholder per generated column and the constants as literals."""
        qn = connection.ops.quote_name
        columns = ", ".join(qn(c) for c in self.columns)
        values = ", ".join([*(["?"] * self.generated), *self.sqlite_literals()])
        return f"INSERT INTO {qn(self.table)} ({columns}) VALUES ({values})"


def table_with(model: type[Model], fields: Sequence[str], **fixed: Any) -> Table:
    """The model's `Table`, with auto_now columns given the time of the write and the `fixed`
    fields (by name) the same value in every row: constants of the statement."""
    table = Table(model, fields)
    now = connection.ops.adapt_datetimefield_value(timezone.now())

    def constant(f: Any, default: Any) -> Any:
        if f.name in fixed:
            return f.get_db_prep_save(fixed[f.name], connection)
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            return now
        return default

    table.constants = tuple(
        constant(f, c) for f, c in zip(table.others, table.constants, strict=True)
    )
    return table


def insert_select(
    table: Table, expressions: list[str], source: type[Model], first: int, last: int
) -> None:
    """Rows derived from the `source` rows with ids first…last by one INSERT … SELECT:
    `expressions` (SQL over the source row) give the table's generated columns, the constants
    the rest."""
    qn = connection.ops.quote_name
    mark = "?" if connection.vendor == "sqlite" else "%s"
    constants, params = table.constants_sql(mark)
    sql = (
        f"INSERT INTO {qn(table.table)} ({', '.join(qn(c) for c in table.columns)}) "
        f"SELECT {', '.join([*expressions, *constants])} FROM {qn(source._meta.db_table)} "
        f"WHERE {qn('id')} BETWEEN {mark} AND {mark}"
    )
    if connection.vendor == "sqlite":  # the plain connection: the literals may hold a "%"
        connection.ensure_connection()
        connection.connection.execute(sql, [*params, first, last])
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, first, last])


@contextlib.contextmanager
def cache_size(kib: int) -> Iterator[None]:
    """SQLite: the page cache set to `kib` KiB for a while (it also sizes the sorter's runs),
    restored after."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        size = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size=-{kib}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size={size}")


def _default(field: Any) -> Any:
    if field.has_default() or field.db_default is not NOT_PROVIDED or not field.null:
        return field.get_db_prep_save(field.get_default(), connection)
    return None


class Writer:
    """Writes rows of `Table`s on the default connection, one transaction per batch."""

    def __init__(self) -> None:
        self.vendor = connection.vendor

    def write(self, batches: Sequence[tuple[Table, list[tuple]]]) -> None:
        with transaction.atomic():
            for table, rows in batches:
                if rows:
                    self._insert(table, rows)

    def _insert(self, table: Table, rows: list[tuple]) -> None:
        if self.vendor == "sqlite":
            sql = table.sqlite_insert()
            connection.ensure_connection()
            connection.connection.executemany(sql, rows)
            return
        qn = connection.ops.quote_name
        columns = ", ".join(qn(c) for c in table.columns)
        rows = table.complete(rows)
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                sql = f"COPY {qn(table.table)} ({columns}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(table.columns))
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {qn(table.table)} ({columns}) VALUES ({marks})", rows
                )

    def finish(self, models: Sequence[type[Model]]) -> None:
        """Sequences after ids chosen by hand, and planner statistics for the new data."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(models))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
            if self.vendor == "sqlite":
                cursor.execute("PRAGMA analysis_limit=2000")
                cursor.execute("ANALYZE")
            elif self.vendor == "postgresql" and not connection.in_atomic_block:
                for model in models:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def drop_secondary_indexes(models: Sequence[type[Model]]) -> list[str]:
    """SQLite: drop the tables' secondary indexes (UNIQUE ones stay: the last guard of the keys)
    and return their CREATE statements, to build each once after a bulk load: a sorted build
    instead of a B-tree insert per row."""
    tables = [model._meta.db_table for model in models]
    marks = ", ".join(["%s"] * len(tables))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND sql NOT LIKE 'CREATE UNIQUE%%' AND tbl_name IN ({marks})",
            tables,
        )
        found = cursor.fetchall()
        for name, _sql in found:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [sql for _name, sql in found]


@contextlib.contextmanager
def fast_load(models: Sequence[type[Model]]) -> Iterator[None]:
    """Bulk-load settings for SQLite, restored after (the load goes into an empty database).

    The secondary indexes of the `models`' tables are dropped and built once at the end (a sorted
    build instead of millions of random B-tree inserts); a rollback journal replaces the WAL, which
    would write every new page twice (pages appended to the file need no journal); foreign keys are
    checked by `PRAGMA foreign_key_check` at the end instead of row by row.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        saved = {}
        for name in ("synchronous", "cache_size", "journal_mode", "foreign_keys"):
            cursor.execute(f"PRAGMA {name}")
            saved[name] = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-262144")  # 256 MiB
        cursor.execute("PRAGMA journal_mode=TRUNCATE")
        cursor.execute("PRAGMA foreign_keys=OFF")
    indexes = drop_secondary_indexes(models)
    broken: list[Any] = []
    try:
        yield
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_key_check")
            broken = cursor.fetchmany(5)
    finally:
        # Also after a failed load: the database keeps its indexes and its journal mode (and
        # the load's own error is the one reported).
        with connection.cursor() as cursor:
            for sql in indexes:
                cursor.execute(sql)
            cursor.execute(f"PRAGMA journal_mode={saved['journal_mode']}")
            cursor.execute(f"PRAGMA synchronous={int(saved['synchronous'])}")
            cursor.execute(f"PRAGMA cache_size={int(saved['cache_size'])}")
            cursor.execute(f"PRAGMA foreign_keys={int(saved['foreign_keys'])}")
        if broken:
            raise IntegrityError(f"Dữ liệu nạp vi phạm khóa ngoại: {broken}")
