"""Row triggers that run a body of statements after a write to a table, on SQLite and PostgreSQL.

Migrations do not import this module: each keeps a frozen copy of the SQL it ran, so that editing
this module never changes what an old migration does. New code (and the drift test, which checks
the database holds what the current definitions would create) builds its SQL here.
"""

from __future__ import annotations

from typing import Any


def create_sql(vendor: str, name: str, table: str, event: str, body: str) -> list[str]:
    """The statements creating trigger `name` after `event` on `table`, running `body` for each
    row (on PostgreSQL through a function of the same name)."""
    if vendor == "sqlite":
        return [f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {body} END"]
    if vendor == "postgresql":
        return [
            f"CREATE FUNCTION {name}() RETURNS trigger AS $$ "
            f"BEGIN {body} RETURN NULL; END; $$ LANGUAGE plpgsql",
            f"CREATE TRIGGER {name} AFTER {event} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}()",
        ]
    return []


def drop_sql(vendor: str, name: str, table: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}"]
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]
    return []


def create(schema_editor: Any, name: str, table: str, event: str, bodies: dict[str, str]) -> None:
    """The trigger `name` with the body for the database's vendor (`bodies` by vendor: `sqlite`,
    `postgresql`); nothing on another database."""
    vendor = schema_editor.connection.vendor
    if vendor in bodies:
        for sql in create_sql(vendor, name, table, event, bodies[vendor]):
            schema_editor.execute(sql)


def drop(schema_editor: Any, name: str, table: str) -> None:
    for sql in drop_sql(schema_editor.connection.vendor, name, table):
        schema_editor.execute(sql)


def installed(connection: Any, prefix: str) -> dict[str, tuple[str, str]]:
    """The triggers whose name starts with `prefix`: name → (table, what the database keeps of
    its definition: the CREATE statement on SQLite, the function's source on PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, tbl_name, sql FROM sqlite_master "
                "WHERE type = 'trigger' AND substr(name, 1, %s) = %s",
                [len(prefix), prefix],
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgname, c.relname, p.prosrc FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE NOT t.tgisinternal AND left(t.tgname, %s) = %s",
                [len(prefix), prefix],
            )
        else:
            return {}
        return {name: (table, sql) for name, table, sql in cursor.fetchall()}
