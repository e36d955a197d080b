"""The organization tree: it starts at the user's roots and opens one level at a time."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.conftest import make_org


def children_url(org) -> str:
    return reverse("org_children", args=[org.pk])


def test_secretary_tree_is_their_cell_only(as_persona, world):
    html = as_persona("secretary").get(reverse("org_tree")).content.decode()
    assert "Chi bộ 1" in html
    assert "2 đảng viên" in html
    assert "Chi bộ 2" not in html
    assert "Đảng bộ phường Kim Mã" not in html


def test_grassroots_staff_tree_opens_at_once_on_its_single_root(as_persona, world):
    html = as_persona("grassroots").get(reverse("org_tree")).content.decode()
    assert "Đảng bộ phường Kim Mã" in html
    assert "3 đảng viên" in html  # the whole subtree: a1, a2, b1
    assert "Chi bộ 1" in html and "Chi bộ 2" in html
    assert "Chi bộ 3" not in html


def test_province_tree_shows_districts_with_an_open_button(as_persona, world):
    html = as_persona("province").get(reverse("org_tree")).content.decode()
    assert "Đảng bộ quận Ba Đình" in html and "Đảng bộ quận Tây Hồ" in html
    assert f'hx-get="{children_url(world.upper1)}"' in html
    assert "4 đảng viên" in html


def test_children_partial_lists_children_with_counts_and_expand_buttons(as_persona, world):
    response = as_persona("upper").get(children_url(world.upper1), headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "Đảng bộ phường Kim Mã" in html
    assert "3 đảng viên" in html
    assert f'hx-get="{children_url(world.grassroots1)}"' in html


def test_cells_have_no_expand_button(as_persona, world):
    html = as_persona("grassroots").get(children_url(world.grassroots1)).content.decode()
    assert "Chi bộ 1" in html and "2 đảng viên" in html
    assert "Chi bộ 2" in html and "1 đảng viên" in html
    assert "hx-get" not in html


@pytest.mark.parametrize(
    ("persona", "org_name"),
    [
        ("secretary", "grassroots1"),
        ("secretary", "cell_b"),
        ("other_upper", "upper1"),
        ("grassroots", "upper1"),
        ("member", "grassroots1"),
    ],
)
def test_children_of_an_org_out_of_scope_is_404(as_persona, world, persona, org_name):
    response = as_persona(persona).get(children_url(world.org(org_name)))
    assert response.status_code == 404


def test_children_of_a_missing_org_is_404(as_persona, world):
    assert as_persona("province").get(reverse("org_children", args=[999999])).status_code == 404


def test_editor_sees_the_tree_without_seeing_members(as_persona, world):
    client = as_persona("editor")
    assert "Đảng bộ Thành phố" in client.get(reverse("org_tree")).content.decode()
    assert client.get(children_url(world.upper1)).status_code == 200


def test_dissolved_children_are_not_listed(as_persona, world):
    from dangvien.orgs.models import Organization

    gone = make_org("Chi bộ đã giải thể", "cell", world.grassroots1)
    Organization.objects.filter(pk=gone.pk).update(dissolved_on="2020-01-01")
    html = as_persona("grassroots").get(children_url(world.grassroots1)).content.decode()
    assert "Chi bộ đã giải thể" not in html


def test_children_partial_costs_the_same_queries_for_2_or_30_children(as_persona, world):
    client = as_persona("province")
    with CaptureQueriesContext(connection) as few:
        client.get(children_url(world.grassroots1))
    for i in range(28):
        make_org(f"Chi bộ thêm {i}", "cell", world.grassroots1)
    with CaptureQueriesContext(connection) as many:
        response = client.get(children_url(world.grassroots1))
    assert "Chi bộ thêm 27" in response.content.decode()
    assert len(many) == len(few)
    # session, user, roles, the org, its children, member counts, child counts
    assert len(many) <= 7
