"""Test data for the browser journey, written through the services into the server's database.

Run in a subprocess with the server's environment (DANGVIEN_VAR): `python tests/browser/seed.py`.
Prints the ids the journey needs as JSON.

    Đảng bộ Thành phố → Đảng bộ quận Ba Đình → Đảng bộ phường Kim Mã → Chi bộ Khu dân cư số 1 (A)
                                                                    → Chi bộ Khu dân cư số 2 (B)
"""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any

PASSWORD = "mat-khau-trinh-duyet-2026"
MEMBERS_A = [
    ("Nguyễn Văn An", "M", dt.date(1948, 3, 12), "01234567", "001048001234"),
    ("Trần Thị Bình", "F", dt.date(1952, 8, 30), "01234568", "001152001235"),
    ("Đỗ Đức Đạt", "M", dt.date(1975, 1, 5), "01234569", None),
    ("Lê Thị Hồng Nhung", "F", dt.date(1990, 11, 2), None, None),
    ("Phạm Văn Ánh", "M", dt.date(1960, 6, 19), "01234570", None),
]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvien.settings")
    import django

    django.setup()

    from dangvien.accounts.models import Role, RoleAssignment, User
    from dangvien.members.models import Ethnicity, Status
    from dangvien.members.services import member_create
    from dangvien.orgs.models import GrassrootsKind, OrgLevel
    from dangvien.orgs.services import org_create

    founded = dt.date(2015, 1, 1)

    def org(name: str, level: str, parent: Any, kind: str | None = None) -> Any:
        return org_create(
            acting_user=None,
            name=name,
            level=OrgLevel.objects.get(code=level),
            parent=parent,
            on=founded,
            kind=GrassrootsKind.objects.get(code=kind) if kind else None,
        )

    province = org("Đảng bộ Thành phố", "province", None)
    upper = org("Đảng bộ quận Ba Đình", "upper", province)
    grassroots = org("Đảng bộ phường Kim Mã", "grassroots_committee", upper, "ward")
    cell_a = org("Chi bộ Khu dân cư số 1", "cell", grassroots)
    cell_b = org("Chi bộ Khu dân cư số 2", "cell", grassroots)
    admin = User.objects.create_superuser("quantri", password=PASSWORD)
    kinh = Ethnicity.objects.filter(name="Kinh").first()
    members = [
        member_create(
            acting_user=admin,
            full_name=name,
            gender=gender,
            date_of_birth=born,
            org=cell_a,
            admission_date=dt.date(born.year + 22, 5, 19),
            status=Status.OFFICIAL,
            party_card_number=card,
            citizen_id=cccd,
            ethnicity=kinh,
        )
        for name, gender, born, card, cccd in MEMBERS_A
    ]
    other = member_create(
        acting_user=admin,
        full_name="Hoàng Văn Cường",
        gender="M",
        date_of_birth=dt.date(1970, 2, 3),
        org=cell_b,
        admission_date=dt.date(1995, 2, 3),
        status=Status.OFFICIAL,
    )
    secretary = User.objects.create_user(
        "bithu", password=PASSWORD, first_name="Ngô Thị", last_name="Lan"
    )
    RoleAssignment.objects.create(user=secretary, role=Role.CELL_SECRETARY, org=cell_a)
    member_user = User.objects.create_user("dangvien", password=PASSWORD, member=members[0])
    RoleAssignment.objects.create(user=member_user, role=Role.MEMBER, org=cell_a)
    upper_staff = User.objects.create_user("quanuy", password=PASSWORD)
    RoleAssignment.objects.create(user=upper_staff, role=Role.UPPER_STAFF, org=upper)
    print(
        json.dumps(
            {
                "cell_a": cell_a.pk,
                "cell_b": cell_b.pk,
                "grassroots": grassroots.pk,
                "member_a": members[0].pk,
                "member_binh": members[1].pk,
                "member_b": other.pk,
            }
        )
    )


if __name__ == "__main__":
    main()
