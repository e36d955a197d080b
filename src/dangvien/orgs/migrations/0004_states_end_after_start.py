"""A node's state ends after it starts: it holds on one day at least. The empty states a node
dissolved the day it was founded, moved or renamed used to keep are deleted first; going back does
not bring them back."""

import contextlib
from collections.abc import Iterator
from typing import Any

from django.db import migrations, models


class AddConstraintKeepingTriggers(migrations.AddConstraint):
    """SQLite adds (and drops) a CHECK by rebuilding the table: the rebuild drops the table's
    triggers (the figure marks of the reports) and fails on triggers of other tables that read it.
    Set every trigger that names the table aside and put it back exactly as it was. Written out
    here, not imported, so this migration never changes."""

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        with _triggers_kept(
            schema_editor, to_state.apps.get_model(app_label, self.model_name_lower)
        ):
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        with _triggers_kept(
            schema_editor, to_state.apps.get_model(app_label, self.model_name_lower)
        ):
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class RemoveConstraintKeepingTriggers(migrations.RemoveConstraint):
    """The same for dropping a CHECK."""

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        with _triggers_kept(
            schema_editor, to_state.apps.get_model(app_label, self.model_name_lower)
        ):
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        with _triggers_kept(
            schema_editor, to_state.apps.get_model(app_label, self.model_name_lower)
        ):
            super().database_backwards(app_label, schema_editor, from_state, to_state)


@contextlib.contextmanager
def _triggers_kept(schema_editor: Any, model: Any) -> Iterator[None]:
    if schema_editor.connection.vendor != "sqlite":
        yield
        return
    table = model._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND (tbl_name = %s OR instr(sql, %s) > 0)",
            [table, table],
        )
        triggers = cursor.fetchall()
    for name, _sql in triggers:
        schema_editor.execute(f'DROP TRIGGER "{name}"', params=None)
    yield
    for _name, sql in triggers:
        schema_editor.execute(sql, params=None)


def _delete_empty_states(apps: Any, schema_editor: Any) -> None:
    apps.get_model("orgs", "OrgHistory").objects.filter(valid_to=models.F("valid_from")).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0003_period_constraints"),
    ]

    operations = [
        migrations.RunPython(_delete_empty_states, migrations.RunPython.noop, elidable=True),
        RemoveConstraintKeepingTriggers(
            model_name="orghistory", name="orgs_orghistory_ends_not_before_start"
        ),
        AddConstraintKeepingTriggers(
            model_name="orghistory",
            constraint=models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gt=models.F("valid_from")),
                name="orgs_orghistory_ends_after_start",
            ),
        ),
    ]
