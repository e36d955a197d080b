"""The base layout: Vietnamese, accessible, with display preferences rendered by the server."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from dangvien.accounts.models import User
from dangvien.core.models import AuditEvent
from dangvien.members.models import Ethnicity, Member, Religion
from dangvien.orgs.models import GrassrootsKind, Organization, OrgLevel


def test_layout_has_landmarks_skip_link_and_user(as_persona, world):
    html = as_persona("secretary").get(reverse("org_tree")).content.decode()
    assert '<html lang="vi" class="text-normal">' in html
    assert 'href="#noi-dung"' in html and '<main id="noi-dung"' in html
    assert "<header" in html and "<nav" in html and "<footer" in html
    assert "Sổ tay đảng viên điện tử" in html
    assert "bithu_a" in html and "Bí thư chi bộ" in html
    assert 'action="/dang-xuat/"' in html and 'method="post"' in html
    assert "A−" in html and "A+" in html and 'aria-pressed="false"' in html


def test_htmx_is_served_locally(as_persona, world):
    html = as_persona("secretary").get(reverse("org_tree")).content.decode()
    assert 'src="/static/django_htmx/htmx-2.min.js"' in html
    assert "http://" not in html.split("<body")[0] and "https://" not in html.split("<body")[0]


@pytest.mark.parametrize("size", ["small", "normal", "large", "xlarge"])
def test_text_size_cookie_sets_the_class(as_persona, world, size):
    client = as_persona("secretary")
    client.cookies["dv_text"] = size
    html = client.get(reverse("org_tree")).content.decode()
    assert f'<html lang="vi" class="text-{size}">' in html


def test_unknown_text_size_falls_back_to_normal(client, db):
    client.cookies["dv_text"] = "huge<script>"
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="vi" class="text-normal">' in html


def test_high_contrast_cookie_sets_the_class(client, db):
    client.cookies["dv_contrast"] = "high"
    client.cookies["dv_text"] = "large"
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="vi" class="text-large contrast-high">' in html
    assert 'aria-pressed="true"' in html


def test_numbers_use_the_dot_for_thousands(as_persona, world, settings):
    from django.template import Context, Template

    assert Template("{{ n }}").render(Context({"n": 457397})) == "457.397"


def test_404_page_is_vietnamese_and_reveals_nothing(as_persona, world):
    response = as_persona("secretary").get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html
    assert "ngoài phạm vi" in html


def test_500_template_is_vietnamese():
    from django.template.loader import render_to_string

    assert "Hệ thống đang gặp lỗi" in render_to_string("500.html")


def test_403_template_is_vietnamese(rf):
    from django.template.loader import render_to_string

    assert "Không có quyền" in render_to_string("403.html", request=rf.get("/"))


def test_admin_registers_reference_data_users_and_audit_but_not_records():
    registry = admin.site._registry
    for model in (OrgLevel, GrassrootsKind, Ethnicity, Religion, User, AuditEvent):
        assert model in registry
    assert Member not in registry
    assert Organization not in registry


def test_audit_log_is_read_only_in_admin(as_persona, world, rf):
    model_admin = admin.site._registry[AuditEvent]
    request = rf.get("/")
    request.user = world.users["admin"]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    client = as_persona("admin")
    event = AuditEvent.objects.first()
    assert client.get(reverse("admin:core_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:core_auditevent_change", args=[event.pk])).status_code == 200
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403


def test_admin_user_page_has_role_inline(as_persona, world):
    client = as_persona("admin")
    html = client.get(
        reverse("admin:accounts_user_change", args=[world.users["secretary"].pk])
    ).content.decode()
    assert "roles-TOTAL_FORMS" in html
