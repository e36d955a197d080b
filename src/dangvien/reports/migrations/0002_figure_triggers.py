"""The database marks the paths whose figures a write changes (reports/stored.py): every write to
a member's cell, status or a field a report counts by, to a node's history, or to a node's kind,
whatever code makes it (services, the import, the demo load, the admin)."""

from django.db import migrations

# The trigger helper as it was when this migration was written (frozen: editing the code that
# creates triggers today must not change what this migration does).
PREFIX = "reports_mark_"


def _create(schema_editor, name, table, event, bodies):
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


def _drop(schema_editor, name, table):
    vendor = schema_editor.connection.vendor
    trigger = f"{PREFIX}{name}"
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {trigger}()")


# The member columns a report counted by when this migration was written.
MEMBER_COLUMNS = [
    "org_path",
    "status",
    "gender",
    "date_of_birth",
    "admission_date",
    "ethnicity_id",
    "religion_id",
    "education_id",
    "professional_level_id",
    "theory_level_id",
    "occupation_id",
]
# (trigger, table, event, path column, which rows: OLD, NEW or both)
MARKS = [
    ("member_insert", "members_member", "INSERT", "org_path", ["NEW"]),
    (
        "member_update",
        "members_member",
        f"UPDATE OF {', '.join(MEMBER_COLUMNS)}",
        "org_path",
        ["OLD", "NEW"],
    ),
    ("member_delete", "members_member", "DELETE", "org_path", ["OLD"]),
    ("history_insert", "orgs_orghistory", "INSERT", "path", ["NEW"]),
    ("history_update", "orgs_orghistory", "UPDATE", "path", ["OLD", "NEW"]),
    ("history_delete", "orgs_orghistory", "DELETE", "path", ["OLD"]),
    ("org_kind", "orgs_organization", "UPDATE OF kind_id, path", "path", ["OLD", "NEW"]),
]


def _bodies(column: str, rows: list[str]) -> dict[str, str]:
    return {
        "sqlite": " ".join(
            f"INSERT OR IGNORE INTO reports_figuredirty (path, stamp) "
            f"SELECT {row}.{column}, 0 WHERE {row}.{column} <> '';"
            for row in rows
        ),
        "postgresql": " ".join(
            f"IF {row}.{column} <> '' THEN "
            f"INSERT INTO reports_figuredirty (path, stamp) "
            f"VALUES ({row}.{column}, nextval('reports_figuredirty_stamp')) "
            f"ON CONFLICT (path) DO UPDATE SET stamp = EXCLUDED.stamp; END IF;"
            for row in rows
        ),
    }


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE SEQUENCE reports_figuredirty_stamp")
    for name, table, event, column, rows in MARKS:
        _create(schema_editor, name, table, event, _bodies(column, rows))


def uninstall(apps, schema_editor):
    for name, table, *_ in MARKS:
        _drop(schema_editor, name, table)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS reports_figuredirty_stamp")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_figures"),
        ("members", "0010_quality"),
        ("orgs", "0002_seed_levels_and_kinds"),
    ]
    operations = [migrations.RunPython(install, uninstall)]
