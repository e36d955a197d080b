"""The database triggers that mark what a write changes for the kept figures (reports/stored.py).

These are the definitions as the code reads them today. The migrations that created the triggers
(reports 0002, 0003 and 0004) keep frozen copies of their SQL; a test checks the database holds what
these definitions would create, so that a change here comes with a migration.
"""

from __future__ import annotations

from dangvien.core.db import triggers

PREFIX = "reports_mark_"  # every marking trigger's name starts with it (stored.marks_paused)

# The member columns a report counts by (reports/measures.py); a test checks the list is whole.
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
    "party_age_from",
]

# Paths whose figures change: (trigger, table, event, path column, which rows: OLD, NEW or both)
PATH_MARKS = [
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

# Members whose dated events change: (trigger, table, event, the members a row marks, rows)
MEMBER = "SELECT {row}.id AS member_id"
MEMBERSHIP = "SELECT {row}.member_id AS member_id"
NODE = "SELECT DISTINCT member_id FROM members_membership WHERE org_id = {row}.org_id"
EVENT_MARKS = [
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


def path_bodies(column: str, rows: list[str]) -> dict[str, str]:
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


def event_bodies(source: str, rows: list[str]) -> dict[str, str]:
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


def expected(vendor: str) -> dict[str, tuple[str, list[str]]]:
    """Every marking trigger as these definitions would create it: name → (table, statements)."""
    found: dict[str, tuple[str, list[str]]] = {}
    for name, table, event, column, rows in PATH_MARKS:
        body = path_bodies(column, rows).get(vendor, "")
        found[PREFIX + name] = (
            table,
            triggers.create_sql(vendor, PREFIX + name, table, event, body),
        )
    for name, table, event, source, rows in EVENT_MARKS:
        body = event_bodies(source, rows).get(vendor, "")
        found[PREFIX + name] = (
            table,
            triggers.create_sql(vendor, PREFIX + name, table, event, body),
        )
    return found
