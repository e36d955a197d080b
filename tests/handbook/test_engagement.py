"""Engagement: who opens the handbook, per organization and month, weakest first."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from dangvien.handbook.engagement import children_ranked, engagement_of, notice_rates
from dangvien.handbook.models import Post, Visit
from dangvien.handbook.services import notice_acknowledge, post_publish


def test_opening_the_handbook_counts_the_member_once_a_day(as_persona, world):
    client = as_persona("member")
    client.get(reverse("handbook_feed"))
    client.get(reverse("handbook_library"))
    assert Visit.objects.filter(user=world.users["member"]).count() == 1


def test_share_of_members_who_opened_it_and_the_weakest_children_first(as_persona, world):
    as_persona("member").get(reverse("handbook_feed"))  # a1, cell A
    month = timezone.localdate()
    g1 = engagement_of(world.grassroots1, month)
    assert (g1.visitors, g1.members) == (1, 3)
    ranked = children_ranked(world.grassroots1, month)
    assert [e.org.name for e in ranked] == ["Chi bộ 2", "Chi bộ 1"]  # 0 % before 50 %
    assert ranked[1].share == 0.5


def test_notice_confirmation_rate_of_the_month(world):
    notice = post_publish(
        acting_user=world.users["admin"],
        org=world.province,
        title="Thông báo",
        body="<p>x</p>",
        kind=Post.Kind.NOTICE,
    )
    notice_acknowledge(user=world.users["member"], post=notice)
    [rate] = notice_rates(world.province, timezone.localdate())
    assert (rate.acknowledged, rate.reached) == (1, 4)


def test_engagement_page_for_committees_and_editors_only(as_persona, world):
    url = reverse("handbook_engagement", args=[world.province.pk])
    html = as_persona("editor").get(url).content.decode()
    assert "đảng viên đã mở Sổ tay" in html
    assert as_persona("member").get(url).status_code == 404
    assert as_persona("secretary").get(url).status_code == 404
