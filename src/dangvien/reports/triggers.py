"""The marking triggers of the kept figures (migrations `reports 0002` and `0003`): each one, on
SQLite and on PostgreSQL, runs a body of statements after a write to a table, for each row."""

from __future__ import annotations

from typing import Any

PREFIX = "reports_mark_"  # every marking trigger's name starts with it (stored.marks_paused)


def create(schema_editor: Any, name: str, table: str, event: str, bodies: dict[str, str]) -> None:
    """The trigger `PREFIX + name` after `event` on `table`, running the body for the database's
    vendor (`bodies` by vendor: `sqlite`, `postgresql`); nothing on another database."""
    vendor = schema_editor.connection.vendor
    body = bodies.get(vendor)
    if body is None:
        return
    trigger = f"{PREFIX}{name}"
    if vendor == "sqlite":
        schema_editor.execute(f"CREATE TRIGGER {trigger} AFTER {event} ON {table} BEGIN {body} END")
        return
    schema_editor.execute(
        f"CREATE FUNCTION {trigger}() RETURNS trigger AS $$ "
        f"BEGIN {body} RETURN NULL; END; $$ LANGUAGE plpgsql"
    )
    schema_editor.execute(
        f"CREATE TRIGGER {trigger} AFTER {event} ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {trigger}()"
    )


def drop(schema_editor: Any, name: str, table: str) -> None:
    vendor = schema_editor.connection.vendor
    trigger = f"{PREFIX}{name}"
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {trigger}()")
