"""One demo account per role, with fixed usernames, placed on nodes of the demo tree.

The password comes from DEMO_PASSWORD, else it is generated once and kept in var/demo_password so
that `dangvien demo_accounts` can show it again.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from dangvien.accounts.models import Role, RoleAssignment, User
from dangvien.accounts.services import role_assign, role_remove
from dangvien.core.paths import subtree_q
from dangvien.members.models import IN_PARTY, Member, Status
from dangvien.orgs.models import Organization

PASSWORD_ENV = "DEMO_PASSWORD"
URL = "http://127.0.0.1:8000/"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    place: str | None  # which demo node the role is on (see _places); None: the whole system


DEMO_ACCOUNTS = [
    DemoAccount("admin", Role.SYSTEM_ADMIN, None),
    DemoAccount("thanhuy", Role.PROVINCE_STAFF, "province"),
    DemoAccount("quanuy", Role.UPPER_STAFF, "upper"),
    DemoAccount("coso", Role.GRASSROOTS_STAFF, "grassroots"),
    DemoAccount("bithu", Role.CELL_SECRETARY, "cell"),
    DemoAccount("dangvien", Role.MEMBER, "cell"),
    DemoAccount("bientap", Role.CONTENT_EDITOR, "province"),
    DemoAccount("quanuy2", Role.UPPER_STAFF, "upper2"),
    DemoAccount("bithu2", Role.CELL_SECRETARY, "cell2"),
]


def _password_file() -> Path:
    return Path(settings.VAR_DIR) / "demo_password"


def demo_password(*, create: bool = False) -> str | None:
    """DEMO_PASSWORD, else the one kept in var/ (made on first use when `create`)."""
    raw = os.environ.get(PASSWORD_ENV, "").strip()
    if raw:
        return raw
    path = _password_file()
    if path.exists():
        return path.read_text().strip()
    if not create:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    password = f"dv-{secrets.token_urlsafe(9)}"
    path.write_text(password)
    path.chmod(0o600)
    return password


def _first(queryset: QuerySet[Organization]) -> Organization:
    found = queryset.order_by("path").first()
    if found is None:
        raise ValidationError("Cây tổ chức mẫu thiếu đơn vị cần cho tài khoản mẫu.")
    return found


def _has_members(org_ids: list[int]) -> set[int]:
    return set(
        Member.objects.filter(org_id__in=org_ids, status__in=IN_PARTY).values_list(
            "org_id", flat=True
        )
    )


def _cell_with_members(queryset: QuerySet[Organization]) -> Organization:
    candidates = list(queryset.order_by("path")[:50])
    holding = _has_members([c.pk for c in candidates])
    for cell in candidates:
        if cell.pk in holding:
            return cell
    raise ValidationError("Không tìm thấy chi bộ có đảng viên cho tài khoản mẫu.")


def _places() -> dict[str, Organization]:
    """The nodes the demo accounts work on, found in the tree by level and order."""
    province = _first(Organization.objects.filter(level__code="province"))
    uppers = list(
        Organization.objects.filter(level__code="upper", parent=province).order_by("path")[:2]
    )
    if len(uppers) < 2:
        raise ValidationError("Dữ liệu mẫu cần ít nhất hai đảng bộ trực thuộc.")
    committees = Organization.objects.filter(
        subtree_q("path", uppers[0].path),
        level__code="grassroots_committee",
        children__level__code="cell",
    ).distinct()
    # A residential committee if there is one: the handbook's most typical members live there.
    residential = committees.filter(kind__code__in=["ward", "commune"])
    grassroots = _first(residential if residential.exists() else committees)
    cell = _cell_with_members(Organization.objects.filter(parent=grassroots, level__code="cell"))
    cell2 = _cell_with_members(
        Organization.objects.filter(
            subtree_q("path", uppers[1].path), level__code__in=["cell", "grassroots_cell"]
        )
    )
    return {
        "province": province,
        "upper": uppers[0],
        "grassroots": grassroots,
        "cell": cell,
        "upper2": uppers[1],
        "cell2": cell2,
    }


@transaction.atomic
def demo_accounts_create(*, password: str) -> list[User]:
    """Create or reset the demo accounts: their roles, their password, the member's record."""
    places = _places()
    member = (
        Member.objects.filter(org=places["cell"], status=Status.OFFICIAL).order_by("id").first()
    )
    # One hash for all: the same password, and Argon2 costs a noticeable moment per hash.
    hashed = make_password(password)
    users = []
    for account in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(username=account.username)
        admin = account.role == Role.SYSTEM_ADMIN
        user.is_staff = user.is_superuser = admin
        user.is_active = True
        user.member = member if account.role == Role.MEMBER else None
        user.password = hashed
        user.save()
        org = places[account.place] if account.place else None
        # Through the services, so that the grants are in the audit log; a reset that changes
        # nothing writes nothing.
        stale = RoleAssignment.objects.filter(user=user).exclude(role=account.role, org=org)
        for assignment in stale.select_related("user", "org"):
            role_remove(acting_user=None, assignment=assignment)
        role_assign(acting_user=None, user=user, role=account.role, org=org)
        users.append(user)
    return users


def demo_accounts_list() -> list[tuple[str, str, str]]:
    """(username, role, organization) of the demo accounts that exist, in the fixed order."""
    assignments = {
        a.user.username: a
        for a in RoleAssignment.objects.filter(
            user__username__in=[account.username for account in DEMO_ACCOUNTS]
        ).select_related("user", "org")
    }
    rows = []
    for account in DEMO_ACCOUNTS:
        found = assignments.get(account.username)
        if found is not None:
            org = found.org.name if found.org else "Toàn hệ thống"
            rows.append((account.username, found.get_role_display(), org))
    return rows
