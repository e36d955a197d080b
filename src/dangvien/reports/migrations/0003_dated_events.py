"""Admissions and recognitions kept with where they happened (reports/stored.py), and the
triggers that mark the members whose events a write may change: a member's dates, any write to a
membership, and a node's history (every member who ever belonged to the node)."""

from django.db import migrations, models

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


# (trigger, table, event, the members a row marks, which rows: OLD, NEW or both)
MEMBER = "SELECT {row}.id AS member_id"
MEMBERSHIP = "SELECT {row}.member_id AS member_id"
NODE = "SELECT DISTINCT member_id FROM members_membership WHERE org_id = {row}.org_id"
MARKS = [
    (
        "event_dates",
        "members_member",
        "UPDATE OF admission_date, recognition_date",
        MEMBER,
        ["NEW"],
    ),
    ("event_member_delete", "members_member", "DELETE", MEMBER, ["OLD"]),
    ("event_membership_insert", "members_membership", "INSERT", MEMBERSHIP, ["NEW"]),
    ("event_membership_update", "members_membership", "UPDATE", MEMBERSHIP, ["OLD", "NEW"]),
    ("event_membership_delete", "members_membership", "DELETE", MEMBERSHIP, ["OLD"]),
    ("event_history_insert", "orgs_orghistory", "INSERT", NODE, ["NEW"]),
    ("event_history_update", "orgs_orghistory", "UPDATE", NODE, ["OLD", "NEW"]),
    ("event_history_delete", "orgs_orghistory", "DELETE", NODE, ["OLD"]),
]


def _bodies(source: str, rows: list[str]) -> dict[str, str]:
    return {
        "sqlite": " ".join(
            "INSERT OR IGNORE INTO reports_eventdirty (member_id, stamp) "
            f"SELECT member_id, 0 FROM ({source.format(row=row)});"
            for row in rows
        ),
        "postgresql": " ".join(
            "INSERT INTO reports_eventdirty (member_id, stamp) "
            "SELECT member_id, nextval('reports_figuredirty_stamp') "
            f"FROM ({source.format(row=row)}) AS marked "
            "ON CONFLICT (member_id) DO UPDATE SET stamp = EXCLUDED.stamp;"
            for row in rows
        ),
    }


def install(apps, schema_editor):
    for name, table, event, source, rows in MARKS:
        _create(schema_editor, name, table, event, _bodies(source, rows))
    # Kept figures without events are recounted after the migration (stored.ensure_built).
    apps.get_model("reports", "FigureState").objects.all().delete()


def uninstall(apps, schema_editor):
    for name, table, *_ in MARKS:
        _drop(schema_editor, name, table)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_figure_triggers"),
        ("members", "0010_quality"),
    ]

    operations = [
        migrations.CreateModel(
            name="EventDirty",
            fields=[
                ("member_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("stamp", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name="DatedEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("member_id", models.BigIntegerField()),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("admitted", "Kết nạp"),
                            ("recognised", "Công nhận đảng viên chính thức"),
                        ],
                        max_length=12,
                    ),
                ),
                ("day", models.DateField()),
                ("path", models.CharField(max_length=160)),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["kind", "path", "day", "member_id"], name="reports_event_where"
                    ),
                    models.Index(fields=["member_id"], name="reports_event_member"),
                ],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
