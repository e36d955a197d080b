"""The demo load's tables for the bulk writer (core/db/bulk.py): the columns its generator fills.

The tree (organizations and their history) is written here; the members, with their status
periods, memberships, search keys and audit rows, by `members.services.members_create_bulk`,
which owns what creating a member writes (and the member tables' indexes during the load)."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager

from django.db.models import Model

from dangvien.core.db import bulk
from dangvien.core.db.bulk import Table
from dangvien.core.models import AuditEvent
from dangvien.demo import procedures
from dangvien.members.models import Member, Membership, NameKey, StatusPeriod
from dangvien.orgs.models import Organization, OrgHistory

ORG_FIELDS = ["id", "name", "level", "kind", "parent", "path", "founded_on", "dissolved_on"]
ORG_HISTORY_FIELDS = ["org", "name", "level", "parent", "path", "valid_from", "valid_to"]
# The member columns people.py fills, in its rows' order (`members_create_bulk`'s `fields`: the
# id, the name's folded and sort forms and the cell's path are the service's).
MEMBER_FIELDS = [
    "full_name", "gender", "date_of_birth", "citizen_id",
    "party_card_number", "record_number", "ethnicity", "religion", "birth_province_code",
    "residence_province_code", "residence_ward_code", "admission_date", "recognition_date",
    "status", "org",
    # The dossier (people.DossierMaker)
    "phone", "hometown", "hometown_province_code", "education", "professional_level",
    "theory_level", "occupation", "admission_ceremony_date", "introducer_1", "introducer_2",
]  # fmt: skip

# The tables whose secondary indexes the load drops and builds once at the end: the tree's.
# The member tables' are dropped and built by `members_create_bulk` (its `expected`), inside its
# transaction; one owner per index, so neither builds an index the other dropped.
TREE_MODELS: list[type[Model]] = [Organization, OrgHistory]
# The procedures' tables (demo/procedures.py) are written after the members: theirs too.
PROCEDURE_MODELS: list[type[Model]] = list(procedures.MODELS)
# Every table the load fills: sequences reset and statistics gathered after it.
LOADED_MODELS: list[type[Model]] = [
    *TREE_MODELS, Member, StatusPeriod, Membership, NameKey, AuditEvent,
    *PROCEDURE_MODELS,
]  # fmt: skip


class Writer(bulk.Writer):
    """The bulk writer with the demo's tables."""

    def __init__(self) -> None:
        super().__init__()
        self.orgs = Table(Organization, ORG_FIELDS)
        self.org_history = Table(OrgHistory, ORG_HISTORY_FIELDS)

    def finish(self, models: Sequence[type[Model]] = LOADED_MODELS) -> None:
        super().finish(models)


def fast_load() -> AbstractContextManager[None]:
    """The bulk-load settings (core/db/bulk.py) for the demo's load, the tree's and the
    procedures' indexes dropped."""
    return bulk.fast_load([*TREE_MODELS, *PROCEDURE_MODELS])
