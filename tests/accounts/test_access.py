"""What each persona of the `world` fixture may reach, through the one door of the scoping
selectors. See the tree in tests/conftest.py."""

from __future__ import annotations

import pytest
from tests.conftest import make_user

from dangvien.accounts.access import MANAGE, SEE_TRAIL, VIEW, allowed, allowed_anywhere, reach
from dangvien.accounts.models import Role, RoleAssignment
from dangvien.members.selectors import members_visible_to
from dangvien.orgs.selectors import org_roots_for, orgs_visible_to

P, U1, U2 = "Đảng bộ Thành phố", "Đảng bộ quận Ba Đình", "Đảng bộ quận Tây Hồ"
G1, G2 = "Đảng bộ phường Kim Mã", "Đảng bộ phường Bưởi"
A, B, C = "Chi bộ 1", "Chi bộ 2", "Chi bộ 3"
AN, BINH, CUONG, DUNG = "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"
EVERY_ORG = {P, U1, U2, G1, G2, A, B, C}
EVERY_MEMBER = {AN, BINH, CUONG, DUNG}

# persona: (members visible, organizations visible, roots of the tree shown)
EXPECTED = {
    "anonymous": (set(), set(), []),
    "member": ({AN}, {A}, [A]),
    "secretary": ({AN, BINH}, {A}, [A]),
    "grassroots": ({AN, BINH, CUONG}, {G1, A, B}, [G1]),
    "upper": ({AN, BINH, CUONG}, {U1, G1, A, B}, [U1]),
    "other_upper": ({DUNG}, {U2, G2, C}, [U2]),
    "province": (EVERY_MEMBER, EVERY_ORG, [P]),
    "editor": (set(), EVERY_ORG, [P]),
    "admin": (EVERY_MEMBER, EVERY_ORG, [P]),
}


def member_names(user) -> set[str]:
    return set(members_visible_to(user).values_list("full_name", flat=True))


def org_names(user) -> set[str]:
    return set(orgs_visible_to(user).values_list("name", flat=True))


def root_names(user) -> list[str]:
    return [org.name for org in org_roots_for(user)]


def test_every_persona_of_the_world_has_an_expectation(world):
    assert set(world.users) == set(EXPECTED)


@pytest.mark.parametrize("persona", EXPECTED)
def test_persona_sees_exactly_its_members(world, persona):
    assert member_names(world.users[persona]) == EXPECTED[persona][0]


@pytest.mark.parametrize("persona", EXPECTED)
def test_persona_sees_exactly_its_organizations(world, persona):
    assert org_names(world.users[persona]) == EXPECTED[persona][1]


@pytest.mark.parametrize("persona", EXPECTED)
def test_persona_tree_starts_at_its_roots(world, persona):
    assert root_names(world.users[persona]) == EXPECTED[persona][2]


def test_secretary_cannot_see_other_cell(world):
    secretary = world.users["secretary"]
    assert not members_visible_to(secretary).filter(pk=world.b1.pk).exists()
    assert not orgs_visible_to(secretary).filter(pk=world.cell_b.pk).exists()


def test_upper_staff_of_tay_ho_sees_nothing_of_ba_dinh(world):
    other = world.users["other_upper"]
    assert not members_visible_to(other).filter(org_path__startswith=world.upper1.path).exists()
    assert not orgs_visible_to(other).filter(path__startswith=world.upper1.path).exists()


def test_member_sees_only_their_own_record_not_their_cell_mates(world):
    member = world.users["member"]
    assert list(members_visible_to(member)) == [world.a1]


def test_content_editor_works_on_organizations_but_not_on_records(world):
    assert not allowed_anywhere(world.users["editor"], "members.member", MANAGE)
    assert member_names(world.users["editor"]) == set()


def test_editor_without_an_organization_sees_the_whole_tree_but_no_member(world):
    editor = make_user("bientap_tw", Role.CONTENT_EDITOR, None)
    assert org_names(editor) == EVERY_ORG
    assert root_names(editor) == [P]
    assert member_names(editor) == set()


def test_user_without_any_role_sees_nothing(world):
    nobody = make_user("khach", None, None)
    assert (member_names(nobody), org_names(nobody), root_names(nobody)) == (set(), set(), [])


def test_deactivated_user_sees_nothing(world):
    staff = world.users["province"]
    staff.is_active = False
    staff.save()
    staff.refresh_from_db()
    assert (member_names(staff), org_names(staff)) == (set(), set())


def test_staff_who_is_also_a_member_sees_one_tree_not_two(world):
    """Grassroots staff of Kim Mã who is a member of cell 1 there: Kim Mã is the only root."""
    user = world.users["grassroots"]
    user.member = world.a2
    user.save()
    RoleAssignment.objects.create(user=user, role=Role.MEMBER, org=world.cell_a)
    user = type(user).objects.get(pk=user.pk)
    assert root_names(user) == [G1]
    assert org_names(user) == {G1, A, B}


def test_member_of_one_cell_with_a_role_elsewhere_sees_both(world):
    user = world.users["member"]
    RoleAssignment.objects.create(user=user, role=Role.CELL_SECRETARY, org=world.cell_c)
    user = type(user).objects.get(pk=user.pk)
    assert root_names(user) == [A, C]
    assert member_names(user) == {AN, DUNG}


def test_two_roles_in_one_subtree_query_it_once(world):
    user = world.users["upper"]
    RoleAssignment.objects.create(user=user, role=Role.GRASSROOTS_STAFF, org=world.grassroots1)
    user = type(user).objects.get(pk=user.pk)
    assert reach(user, "members.member", VIEW).roots == (world.upper1.path,)


def test_scope_is_computed_once_per_user(world, django_assert_num_queries):
    user = type(world.users["upper"]).objects.get(pk=world.users["upper"].pk)
    with django_assert_num_queries(2):
        assert len(list(members_visible_to(user))) == 3
    with django_assert_num_queries(1):
        assert len(list(orgs_visible_to(user))) == 4


@pytest.mark.parametrize(
    ("persona", "trail_of", "expected"),
    [
        ("member", "a1", True),  # their own record
        ("member", "a2", False),
        ("secretary", "a2", True),
        ("secretary", "c1", False),
        ("other_upper", "a1", False),
        ("other_upper", "c1", True),
        ("province", "c1", True),
        ("editor", "a1", False),
        ("admin", "c1", True),
        ("anonymous", "a1", False),
    ],
)
def test_audit_trail_of_a_record_is_shown_to_those_who_see_the_record(
    world, persona, trail_of, expected
):
    user, member = world.users[persona], getattr(world, trail_of)
    assert allowed(user, SEE_TRAIL, member) is expected
