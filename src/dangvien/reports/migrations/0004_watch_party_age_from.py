"""The member trigger of 0002 also watches `party_age_from`: the party-age bands of a report count
from it when time out or lost contact moved a member's start past the admission date."""

from django.db import migrations

# Frozen here, as in 0002: editing today's trigger code must not change what this migration does.
PREFIX = "reports_mark_"
NAME = "member_update"
TABLE = "members_member"
BEFORE = [
    "org_path", "status", "gender", "date_of_birth", "admission_date", "ethnicity_id",
    "religion_id", "education_id", "professional_level_id", "theory_level_id", "occupation_id",
]  # fmt: skip
AFTER = [*BEFORE, "party_age_from"]


def _bodies() -> dict[str, str]:
    rows = ["OLD", "NEW"]
    return {
        "sqlite": " ".join(
            f"INSERT OR IGNORE INTO reports_figuredirty (path, stamp) "
            f"SELECT {row}.org_path, 0 WHERE {row}.org_path <> '';"
            for row in rows
        ),
        "postgresql": " ".join(
            f"IF {row}.org_path <> '' THEN "
            f"INSERT INTO reports_figuredirty (path, stamp) "
            f"VALUES ({row}.org_path, nextval('reports_figuredirty_stamp')) "
            f"ON CONFLICT (path) DO UPDATE SET stamp = EXCLUDED.stamp; END IF;"
            for row in rows
        ),
    }


def _replace(schema_editor, columns: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    body = _bodies().get(vendor)
    if body is None:
        return
    trigger = f"{PREFIX}{NAME}"
    event = f"UPDATE OF {', '.join(columns)}"
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        schema_editor.execute(f"CREATE TRIGGER {trigger} AFTER {event} ON {TABLE} BEGIN {body} END")
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {TABLE}")
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {trigger}() RETURNS trigger AS $$ "
        f"BEGIN {body} RETURN NULL; END; $$ LANGUAGE plpgsql"
    )
    schema_editor.execute(
        f"CREATE TRIGGER {trigger} AFTER {event} ON {TABLE} "
        f"FOR EACH ROW EXECUTE FUNCTION {trigger}()"
    )


def forwards(apps, schema_editor):
    _replace(schema_editor, AFTER)


def backwards(apps, schema_editor):
    _replace(schema_editor, BEFORE)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_dated_events"),
        ("members", "0016_party_age_from"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
