"""The triggers in the database are those the current definitions (reports/marks.py, through
core/db/triggers.py) would create: a change to either comes with a migration. And the audit log's
triggers can be removed by their migration's reverse and made again."""

from __future__ import annotations

import importlib

from django.db import connection

from dangvien.core.db import triggers
from dangvien.members.models import Member
from dangvien.reports import marks


def test_the_marking_triggers_in_the_database_are_what_the_code_would_create(db):
    expected = marks.expected(connection.vendor)
    found = triggers.installed(connection, marks.PREFIX)
    assert sorted(found) == sorted(expected)
    for name, (table, statements) in expected.items():
        kept_table, kept = found[name]
        assert kept_table == table
        if connection.vendor == "sqlite":
            assert kept == statements[0]
        else:  # PostgreSQL keeps the function's source: what the first statement put between $$
            assert kept == statements[0].split("$$")[1]


def test_the_marking_triggers_name_columns_the_members_table_has(db):
    columns = {f.column for f in Member._meta.concrete_fields}
    assert set(marks.MEMBER_COLUMNS) <= columns


class _Editor:
    """The part of a schema editor a RunPython function of a trigger migration uses."""

    def __init__(self) -> None:
        self.connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def _audit_triggers() -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'core_auditevent' ORDER BY name"
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
                "AND tgrelid = 'core_auditevent'::regclass ORDER BY tgname"
            )
        return [name for (name,) in cursor.fetchall()]


def test_the_audit_log_triggers_migration_reverses(db):
    migration = importlib.import_module("dangvien.core.migrations.0002_audit_append_only")
    installed = _audit_triggers()
    assert installed
    migration.uninstall(None, _Editor())
    assert _audit_triggers() == []
    migration.install(None, _Editor())
    assert _audit_triggers() == installed
