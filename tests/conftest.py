"""Shared test data: a small tree built through the services, and the personas of the walk.

Đảng bộ Thành phố (P)
├── Đảng bộ quận Ba Đình (U1)
│   └── Đảng bộ phường Kim Mã (G1)
│       ├── Chi bộ 1 (A): a1, a2
│       └── Chi bộ 2 (B): b1
└── Đảng bộ quận Tây Hồ (U2)
    └── Đảng bộ phường Bưởi (G2)
        └── Chi bộ 3 (C): c1
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from dangvien.accounts.models import Role, RoleAssignment, User
from dangvien.core.models import AuditEvent
from dangvien.members.models import Gender, Member, Membership, Status
from dangvien.members.services import member_create
from dangvien.orgs.models import GrassrootsKind, Organization, OrgHistory, OrgLevel
from dangvien.orgs.services import org_create

FOUNDED = dt.date(2015, 1, 1)
PASSWORD = "mat-khau-thu-nghiem-2026"


@dataclass
class World:
    province: Organization
    upper1: Organization
    upper2: Organization
    grassroots1: Organization
    grassroots2: Organization
    cell_a: Organization
    cell_b: Organization
    cell_c: Organization
    a1: Member
    a2: Member
    b1: Member
    c1: Member
    users: dict[str, Any]

    def org(self, name: str) -> Organization:
        return getattr(self, name)


def level(code: str) -> OrgLevel:
    return OrgLevel.objects.get(code=code)


def make_org(name: str, level_code: str, parent: Organization | None, kind: str | None = None):
    return org_create(
        acting_user=None,
        name=name,
        level=level(level_code),
        parent=parent,
        on=FOUNDED,
        kind=GrassrootsKind.objects.get(code=kind) if kind else None,
    )


def make_member(name: str, org: Organization, **fields: Any) -> Member:
    defaults: dict[str, Any] = {
        "gender": Gender.MALE,
        "date_of_birth": dt.date(1980, 5, 17),
        "admission_date": dt.date(2010, 3, 2),
        "status": Status.OFFICIAL,
    }
    defaults.update(fields)
    return member_create(acting_user=None, full_name=name, org=org, **defaults)


def make_user(username: str, role: str | None, org: Organization | None, **fields: Any) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, **fields)
    if role is not None:
        RoleAssignment.objects.create(user=user, role=role, org=org)
    return user


def feed_titles(user: User) -> set[str]:
    """The titles of the posts in the user's feed, their roles and record read afresh."""
    from dangvien.handbook.selectors import posts_for_reader

    return set(posts_for_reader(User.objects.get(pk=user.pk)).values_list("title", flat=True))


def member_role_orgs(user: User) -> list[str]:
    """The organizations of the user's member role: the cell they read as a member."""
    roles = RoleAssignment.objects.filter(user=user, role=Role.MEMBER)
    return list(roles.values_list("org__name", flat=True))


def reload(org: Organization) -> Organization:
    return Organization.objects.get(pk=org.pk)


def audit_summaries(action: str) -> list[str]:
    """The summaries of the audit rows of one action, oldest first."""
    return list(
        AuditEvent.objects.filter(action=action).order_by("id").values_list("summary", flat=True)
    )


def snapshot_of_everything() -> tuple:
    """What a refused service must leave untouched."""
    return (
        list(Organization.objects.order_by("pk").values_list("pk", "name", "path", "dissolved_on")),
        list(OrgHistory.objects.order_by("pk").values_list("pk", "org", "valid_to", "path")),
        list(Member.objects.order_by("pk").values_list("pk", "org", "org_path", "status")),
        list(Membership.objects.order_by("pk").values_list("pk", "org", "valid_to")),
        AuditEvent.objects.count(),
    )


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path) -> None:
    """Argon2 is slow by design (the world makes nine users); pages render without collectstatic;
    uploaded files go to a scratch directory."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def as_persona(world) -> Callable[[str], Client]:
    """A client logged in (by session) as one persona of the world; anonymous: not logged in."""

    def login(persona: str) -> Client:
        client = Client()
        user = world.users[persona]
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture
def world(db) -> World:
    p = make_org("Đảng bộ Thành phố", "province", None)
    u1 = make_org("Đảng bộ quận Ba Đình", "upper", p)
    u2 = make_org("Đảng bộ quận Tây Hồ", "upper", p)
    g1 = make_org("Đảng bộ phường Kim Mã", "grassroots_committee", u1, "ward")
    g2 = make_org("Đảng bộ phường Bưởi", "grassroots_committee", u2, "ward")
    a = make_org("Chi bộ 1", "cell", g1)
    b = make_org("Chi bộ 2", "cell", g1)
    c = make_org("Chi bộ 3", "cell", g2)
    a1 = make_member("Nguyễn Văn An", a, citizen_id="001080012345", party_card_number="01234567")
    a2 = make_member("Trần Thị Bình", a, gender=Gender.FEMALE)
    b1 = make_member("Lê Văn Cường", b)
    c1 = make_member("Phạm Thị Dung", c, gender=Gender.FEMALE)
    users = {
        "anonymous": None,
        "member": make_user("dv_a1", Role.MEMBER, a, member=a1),
        "secretary": make_user("bithu_a", Role.CELL_SECRETARY, a),
        "grassroots": make_user("coso_g1", Role.GRASSROOTS_STAFF, g1),
        "other_upper": make_user("quanuy_u2", Role.UPPER_STAFF, u2),
        "upper": make_user("quanuy_u1", Role.UPPER_STAFF, u1),
        "province": make_user("thanhuy", Role.PROVINCE_STAFF, p),
        "editor": make_user("bientap", Role.CONTENT_EDITOR, p),
        "admin": make_user("admin", Role.SYSTEM_ADMIN, None, is_staff=True, is_superuser=True),
    }
    return World(p, u1, u2, g1, g2, a, b, c, a1, a2, b1, c1, users)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: the feed keeps pages under keys made of ids and
    names, and ids repeat from one test's database to the next."""
    cache.clear()


IMMEDIATE_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "imports"],
    }
}


@pytest.fixture(autouse=True)
def _jobs_immediate(settings, tmp_path) -> None:
    """Jobs run in the request that starts them (django-tasks' immediate backend), their files in
    a scratch directory."""
    settings.TASKS = IMMEDIATE_TASKS
    settings.TASKS_DIR = tmp_path / "tasks"


@pytest.fixture
def jobs_queued(settings) -> None:
    """Jobs wait in the database queue for a worker (`job_run` or `dangvien worker`), as in
    production."""
    settings.TASKS = {
        "default": {**IMMEDIATE_TASKS["default"], "BACKEND": "django_tasks_db.DatabaseBackend"}
    }


@pytest.fixture(autouse=True)
def _member_files(settings, tmp_path) -> None:
    """Member photos go to a scratch directory."""
    settings.MEMBER_FILES_DIR = tmp_path / "member-files"
