"""The demo load's tables for the bulk writer (core/db/bulk.py): the columns its generator fills."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager

from django.db.models import Model

from dangvien.core.db import bulk
from dangvien.core.db.bulk import Table
from dangvien.members.models import Member, Membership, NameKey, StatusPeriod
from dangvien.members.search import name_keys_rows
from dangvien.orgs.models import Organization, OrgHistory

ORG_FIELDS = ["id", "name", "level", "kind", "parent", "path", "founded_on", "dissolved_on"]
ORG_HISTORY_FIELDS = ["org", "name", "level", "parent", "path", "valid_from", "valid_to"]
MEMBER_FIELDS = [
    "id", "full_name", "name_fold", "name_sort", "gender", "date_of_birth", "citizen_id",
    "party_card_number", "record_number", "ethnicity", "religion", "birth_province_code",
    "residence_province_code", "residence_ward_code", "admission_date", "recognition_date",
    "status", "org", "org_path",
    # The dossier (people.DossierMaker)
    "phone", "hometown", "hometown_province_code", "education", "professional_level",
    "theory_level", "occupation", "admission_ceremony_date", "introducer_1", "introducer_2",
]  # fmt: skip
STATUS_FIELDS = ["member", "status", "valid_from", "valid_to", "note"]
MEMBERSHIP_FIELDS = ["member", "org", "kind", "valid_from", "valid_to"]
NAME_KEY_FIELDS = ["member", "key", "word", "word2", "position", "org_path", "name_sort"]

LOADED_MODELS: list[type[Model]] = [
    Organization, OrgHistory, Member, StatusPeriod, Membership, NameKey,
]  # fmt: skip


class Writer(bulk.Writer):
    """The bulk writer with the demo's tables."""

    def __init__(self) -> None:
        super().__init__()
        self.orgs = Table(Organization, ORG_FIELDS)
        self.org_history = Table(OrgHistory, ORG_HISTORY_FIELDS)
        self.members = Table(Member, MEMBER_FIELDS)
        self.statuses = Table(StatusPeriod, STATUS_FIELDS)
        self.memberships = Table(Membership, MEMBERSHIP_FIELDS)
        self.name_keys = Table(NameKey, NAME_KEY_FIELDS)

    def name_keys_of(self, members: list[tuple]) -> list[tuple]:
        """Rows of the search index (members/search.py) of demo member rows."""
        at = [MEMBER_FIELDS.index(name) for name in ("id", "full_name", "org_path", "name_sort")]
        return name_keys_rows(tuple(row[i] for i in at) for row in members)

    def finish(self, models: Sequence[type[Model]] = LOADED_MODELS) -> None:
        super().finish(models)


def fast_load() -> AbstractContextManager[None]:
    """The bulk-load settings (core/db/bulk.py) for the demo's tables."""
    return bulk.fast_load(LOADED_MODELS)
