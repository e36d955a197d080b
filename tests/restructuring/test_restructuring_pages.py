"""The restructuring pages: a staff member chooses an operation on a node, sees what will move and
the tree after, confirms, and lands on the resulting node; a refusal says why and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from tests.conftest import make_member, make_user

from dangvien.accounts.models import Role, RoleAssignment
from dangvien.core.models import AuditEvent
from dangvien.members.models import Member, Membership
from dangvien.orgs.models import Organization, OrgHistory
from dangvien.orgs.services import org_create
from dangvien.restructuring.selectors import may_restructure

DAY = "2024-03-01"


def everything() -> tuple:
    return (
        list(Organization.objects.order_by("pk").values_list("pk", "name", "path", "dissolved_on")),
        list(OrgHistory.objects.order_by("pk").values_list("pk", "valid_to")),
        list(Member.objects.order_by("pk").values_list("pk", "org", "org_path")),
        list(Membership.objects.order_by("pk").values_list("pk", "org", "valid_to")),
        AuditEvent.objects.count(),
    )


def url(name: str, org: Organization) -> str:
    return reverse(name, args=[org.pk])


@pytest.fixture
def province(as_persona):
    return as_persona("province")


def test_the_org_page_offers_restructuring_to_staff_above_it_only(world, as_persona):
    link = url("restructuring_home", world.grassroots1)
    for persona in ("upper", "province", "admin"):
        page = as_persona(persona).get(url("org_members", world.grassroots1))
        assert link in page.content.decode(), persona
    for persona in ("grassroots", "editor"):
        page = as_persona(persona).get(url("org_members", world.grassroots1))
        assert page.status_code == 200
        assert link not in page.content.decode(), persona


def test_the_move_preview_counts_what_moves_and_shows_the_tree_after(world, province):
    before = everything()
    page = province.post(
        url("restructuring_move", world.grassroots1),
        {"new_parent": world.upper2.pk, "on": DAY},
    )
    assert page.status_code == 200
    preview = page.context["preview"]
    assert (preview.orgs_moved, preview.members_moved) == (3, 3)
    (root,) = preview.trees
    assert (root.name, root.members) == ("Đảng bộ quận Tây Hồ", 4)
    assert [(n.name, n.members, n.mark) for n in root.children] == [
        ("Đảng bộ phường Bưởi", 1, ""),
        ("Đảng bộ phường Kim Mã", 3, "chuyển đến"),
    ]
    assert [(n.name, n.members) for n in root.children[1].children] == [
        ("Chi bộ 1", 2),
        ("Chi bộ 2", 1),
    ]
    assert preview.changes == [("Đảng bộ quận Ba Đình", 3, 0), ("Đảng bộ quận Tây Hồ", 1, 4)]
    text = page.content.decode()
    assert "Chưa có gì được ghi" in text and "Xác nhận" in text
    assert everything() == before  # a preview writes nothing


def test_a_move_up_the_tree_counts_the_old_parent_after_the_change(world, province):
    page = province.post(
        url("restructuring_move", world.grassroots1),
        {"new_parent": world.province.pk, "on": DAY},
    )
    (root,) = page.context["preview"].trees
    assert (root.name, root.members) == ("Đảng bộ Thành phố", 4)
    assert [(n.name, n.members) for n in root.children] == [
        ("Đảng bộ phường Kim Mã", 3),
        ("Đảng bộ quận Ba Đình", 0),
        ("Đảng bộ quận Tây Hồ", 1),
    ]
    assert page.context["preview"].changes == [
        ("Đảng bộ quận Ba Đình", 3, 0),
        ("Đảng bộ Thành phố", 4, 4),
    ]


def test_confirming_a_move_applies_it_and_lands_on_the_node(world, province):
    page = province.post(
        url("restructuring_move", world.grassroots1),
        {"new_parent": world.upper2.pk, "on": DAY, "xac-nhan": "1"},
        follow=True,
    )
    assert page.redirect_chain == [(url("org_members", world.grassroots1), 302)]
    assert "Đã chuyển «Đảng bộ phường Kim Mã»." in page.content.decode()
    assert Organization.objects.get(pk=world.grassroots1.pk).parent_id == world.upper2.pk
    assert Member.objects.get(pk=world.a1.pk).org_path.startswith(world.upper2.path)
    event = AuditEvent.objects.filter(action=AuditEvent.Action.MOVE).get()
    assert event.actor_id == world.users["province"].pk


def test_a_refused_move_says_why_on_the_form_and_writes_nothing(world, province):
    make_member("Vũ Văn Em", world.cell_c)
    before = everything()
    # The parent did not exist yet on that day (founded 2015).
    page = province.post(
        url("restructuring_move", world.grassroots1),
        {"new_parent": world.upper2.pk, "on": "2010-01-01", "xac-nhan": "1"},
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ngày 01/01/2010 «Đảng bộ quận Tây Hồ» chưa được thành lập." in text
    assert "Chưa có gì được ghi" in text
    assert everything() == before


def test_a_target_inside_the_node_or_of_a_lower_level_is_not_offered(world, province):
    form = province.get(url("restructuring_move", world.upper1)).context["form"]
    offered = set(form.fields["new_parent"].queryset.values_list("name", flat=True))
    assert offered == set()  # only the province is higher, and it is already the parent
    form = province.get(url("restructuring_move", world.cell_a)).context["form"]
    offered = set(form.fields["new_parent"].queryset.values_list("name", flat=True))
    assert offered == {"Đảng bộ Thành phố", "Đảng bộ quận Ba Đình", "Đảng bộ quận Tây Hồ",
                       "Đảng bộ phường Bưởi"}  # fmt: skip
    page = province.post(
        url("restructuring_move", world.grassroots1), {"new_parent": world.cell_c.pk, "on": DAY}
    )
    assert page.context["form"].errors["new_parent"]


def test_a_day_after_today_is_refused(world, province):
    page = province.post(
        url("restructuring_move", world.grassroots1),
        {"new_parent": world.upper2.pk, "on": "2999-01-01"},
    )
    assert "không được sau ngày hôm nay" in page.content.decode()


def test_merging_two_cells_previews_then_applies(world, province):
    page = province.post(
        url("restructuring_merge", world.cell_b), {"target": world.cell_a.pk, "on": DAY}
    )
    preview = page.context["preview"]
    assert (preview.orgs_moved, preview.members_moved, preview.orgs_dissolved) == (0, 1, 1)
    assert preview.changes == [("Chi bộ 2", 1, 0), ("Chi bộ 1", 2, 3)]
    page = province.post(
        url("restructuring_merge", world.cell_b),
        {"target": world.cell_a.pk, "on": DAY, "xac-nhan": "1"},
    )
    assert page.headers["Location"] == url("org_members", world.cell_a)
    assert Organization.objects.get(pk=world.cell_b.pk).dissolved_on == dt.date(2024, 3, 1)
    assert Member.objects.get(pk=world.b1.pk).org_id == world.cell_a.pk


def test_a_merge_is_offered_only_nodes_of_the_same_level(world, as_persona):
    form = as_persona("upper").get(url("restructuring_merge", world.cell_b)).context["form"]
    assert list(form.fields["target"].queryset) == [world.cell_a]  # cell C is outside U1


def test_splitting_a_cell_shares_its_members(world, province):
    data = {
        "name_1": "Chi bộ 1A",
        "name_2": "Chi bộ 1B",
        f"dang_vien_{world.a1.pk}": "1",
        f"dang_vien_{world.a2.pk}": "2",
        "dissolve_original": "on",
        "on": DAY,
    }
    page = province.post(url("restructuring_split", world.cell_a), data)
    preview = page.context["preview"]
    assert (preview.orgs_created, preview.members_moved, preview.orgs_dissolved) == (2, 2, 1)
    assert [(n.name, n.members, n.mark) for n in preview.trees] == [
        ("Chi bộ 1", 0, "giải thể"),
        ("Chi bộ 1A", 1, "thành lập mới"),
        ("Chi bộ 1B", 1, "thành lập mới"),
    ]
    page = province.post(url("restructuring_split", world.cell_a), {**data, "xac-nhan": "1"})
    first = Organization.objects.get(name="Chi bộ 1A")
    assert page.headers["Location"] == url("org_members", first)
    assert Member.objects.get(pk=world.a1.pk).org_id == first.pk
    assert Member.objects.get(pk=world.a2.pk).org.name == "Chi bộ 1B"
    assert Organization.objects.get(pk=world.cell_a.pk).dissolved_on is not None


def test_a_split_that_would_dissolve_a_cell_still_holding_members_is_refused(world, province):
    before = everything()
    data = {"name_1": "Chi bộ 1A", f"dang_vien_{world.a1.pk}": "1", "dissolve_original": "on"}
    page = province.post(url("restructuring_split", world.cell_a), {**data, "on": DAY})
    assert "mọi tổ chức trực thuộc và đảng viên phải chuyển" in page.content.decode()
    assert everything() == before


def test_dissolving_a_cell_with_members_is_refused_with_the_reason(world, province):
    before = everything()
    page = province.post(url("restructuring_dissolve", world.cell_b), {"on": DAY})
    assert "«Chi bộ 2» còn đảng viên sinh hoạt" in page.content.decode()
    assert everything() == before


def test_dissolving_an_empty_cell_lands_on_its_parent(world, province):
    cell = org_create(
        acting_user=None,
        name="Chi bộ 9",
        level=world.cell_a.level,
        parent=world.grassroots1,
        on=dt.date(2015, 1, 1),
    )
    page = province.post(url("restructuring_dissolve", cell), {"on": DAY})
    assert page.context["preview"].orgs_dissolved == 1
    assert [n.mark for n in page.context["preview"].trees[0].children] == ["", "", "giải thể"]
    page = province.post(url("restructuring_dissolve", cell), {"on": DAY, "xac-nhan": "1"})
    assert page.headers["Location"] == url("org_members", world.grassroots1)
    assert Organization.objects.get(pk=cell.pk).dissolved_on == dt.date(2024, 3, 1)


@pytest.mark.parametrize("persona", ["member", "secretary", "grassroots", "editor"])
def test_members_secretaries_and_grassroots_staff_get_404(world, as_persona, persona):
    client = as_persona(persona)
    for name in ("restructuring_home", "restructuring_move", "restructuring_merge"):
        assert client.get(url(name, world.cell_a)).status_code == 404
    before = everything()
    response = client.post(
        url("restructuring_merge", world.cell_b),
        {"target": world.cell_a.pk, "on": DAY, "xac-nhan": "1"},
    )
    assert response.status_code == 404
    assert everything() == before


def test_upper_staff_cannot_reach_another_upper_committees_nodes(world, as_persona):
    client = as_persona("upper")
    assert client.get(url("restructuring_move", world.cell_c)).status_code == 404
    assert client.get(url("restructuring_move", world.cell_a)).status_code == 200
    # Nor move one of its own nodes under a node outside its subtree.
    before = everything()
    page = client.post(
        url("restructuring_move", world.cell_a),
        {"new_parent": world.grassroots2.pk, "on": DAY, "xac-nhan": "1"},
    )
    assert page.status_code == 200 and page.context["form"].errors
    assert everything() == before


def test_only_the_staff_roles_count_for_a_user_with_several(world):
    user = make_user("quanuy_u1_bithu_c", Role.UPPER_STAFF, world.upper1)
    RoleAssignment.objects.create(user=user, role=Role.CELL_SECRETARY, org=world.cell_c)
    assert may_restructure(user, world.cell_a)
    assert not may_restructure(user, world.cell_c)  # their own cell elsewhere: records only
