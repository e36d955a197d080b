"""The levels of the tree and the kinds of grassroots organization, as data an admin can edit."""

from django.db import migrations

LEVELS = [
    # code, name, rank, is_grassroots, holds_members
    ("province", "Đảng bộ tỉnh, thành phố", 10, False, False),
    ("upper", "Đảng bộ trực thuộc", 20, False, False),
    ("grassroots_committee", "Đảng bộ cơ sở", 30, True, False),
    ("grassroots_cell", "Chi bộ cơ sở", 31, True, True),
    ("sub_committee", "Đảng bộ bộ phận", 40, False, False),
    ("cell", "Chi bộ", 50, False, True),
    ("party_group", "Tổ đảng", 60, False, False),
]

KINDS = [
    ("commune", "Xã", 10),
    ("ward", "Phường, thị trấn", 20),
    ("state_agency", "Cơ quan hành chính nhà nước", 30),
    ("public_service", "Đơn vị sự nghiệp công lập", 40),
    ("state_enterprise", "Doanh nghiệp nhà nước", 50),
    ("non_state_enterprise", "Doanh nghiệp ngoài khu vực nhà nước", 60),
    ("armed_forces", "Lực lượng vũ trang", 70),
    ("other", "Loại hình khác", 80),
]


def seed(apps, schema_editor):
    OrgLevel = apps.get_model("orgs", "OrgLevel")
    GrassrootsKind = apps.get_model("orgs", "GrassrootsKind")
    for code, name, rank, grassroots, holds in LEVELS:
        OrgLevel.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "rank": rank,
                "is_grassroots": grassroots,
                "holds_members": holds,
            },
        )
    for code, name, rank in KINDS:
        GrassrootsKind.objects.update_or_create(code=code, defaults={"name": name, "rank": rank})


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
