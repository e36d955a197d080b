"""The feed keeps a chain's page in the cache: what changes it shows at once, what each reader
sees of their own, and the visit counted once a day without a write on later pages."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from tests.conftest import make_user

from dangvien.accounts.models import Role
from dangvien.handbook.models import Post, Visit
from dangvien.handbook.services import notice_acknowledge, post_publish, visit_record
from dangvien.members.services import members_move
from dangvien.orgs.services import org_rename


def publish(world, org, title, **fields):
    fields.setdefault("body", "<p>Nội dung</p>")
    return post_publish(acting_user=world.users["admin"], org=org, title=title, **fields)


def feed(client) -> str:
    return client.get(reverse("handbook_feed")).content.decode()


def test_a_new_post_appears_at_once_on_a_feed_already_kept(as_persona, world):
    publish(world, world.province, "Tin cũ của Thành ủy")
    client = as_persona("member")
    assert "Tin cũ của Thành ủy" in feed(client)
    publish(world, world.cell_a, "Lịch sinh hoạt tháng này")
    html = feed(client)
    assert "Lịch sinh hoạt tháng này" in html and "Tin cũ của Thành ủy" in html


def test_a_post_for_another_cell_does_not_reach_a_kept_feed(as_persona, world):
    publish(world, world.province, "Tin chung")
    client = as_persona("member")
    feed(client)
    publish(world, world.grassroots1, "Gửi riêng chi bộ 2", targets=[world.cell_b])
    assert "Gửi riêng chi bộ 2" not in feed(client)


def test_a_scheduled_post_appears_when_its_time_comes(as_persona, world, monkeypatch):
    later = timezone.now() + dt.timedelta(hours=2)
    publish(world, world.province, "Tin đăng ngay")
    publish(world, world.province, "Tin hẹn giờ", publish_at=later)
    client = as_persona("member")
    assert "Tin hẹn giờ" not in feed(client)
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + dt.timedelta(hours=3))
    assert "Tin hẹn giờ" in feed(client)


def test_a_renamed_committee_shows_its_new_name_on_a_kept_feed(as_persona, world):
    publish(world, world.grassroots1, "Thông báo của đảng ủy phường")
    client = as_persona("member")
    assert "Đảng bộ phường Kim Mã ·" in feed(client)
    org_rename(
        acting_user=world.users["admin"],
        org=world.grassroots1,
        name="Đảng bộ phường Giảng Võ",
        on=timezone.localdate(),
    )
    html = feed(client)
    assert "Đảng bộ phường Giảng Võ ·" in html and "Kim Mã ·" not in html


def test_readers_of_one_chain_share_the_page_but_each_sees_their_own_marks(as_persona, world):
    post = publish(world, world.cell_a, "Lịch sinh hoạt")
    notice = publish(world, world.province, "Thông báo khẩn", kind=Post.Kind.NOTICE)
    first, second = as_persona("member"), Client()
    second.force_login(make_user("dv_a2", Role.MEMBER, world.cell_a, member=world.a2))
    assert feed(first).count("Chưa đọc") == 2
    first.get(reverse("handbook_post", args=[post.pk]))
    notice_acknowledge(user=world.users["member"], post=notice)
    html = feed(first)
    assert html.count("Chưa đọc") == 0 and "Cần xác nhận đã đọc" not in html
    html = feed(second)  # the same chain: the kept page, with the second reader's marks
    assert html.count("Chưa đọc") == 2 and "Cần xác nhận đã đọc" in html


def test_a_member_moved_to_another_cell_reads_that_cell_at_once(as_persona, world):
    publish(world, world.cell_a, "Tin của chi bộ 1")
    publish(world, world.cell_b, "Tin của chi bộ 2")
    client = as_persona("member")
    assert "Tin của chi bộ 1" in feed(client)
    members_move(
        acting_user=world.users["admin"],
        source=world.cell_a,
        target=world.cell_b,
        on=timezone.localdate(),
        member_ids=[world.a1.pk],
    )
    assert "Tin của chi bộ 2" in feed(client)


def test_a_kept_feed_costs_as_many_queries_as_a_new_one(as_persona, world):
    publish(world, world.province, "Tin chung")
    client = as_persona("member")
    feed(client)  # today's visit recorded; the page kept
    with CaptureQueriesContext(connection) as kept:
        feed(client)
    publish(world, world.cell_a, "Tin mới")
    with CaptureQueriesContext(connection) as new:
        assert "Tin mới" in feed(client)
    assert len(kept) == len(new)


def test_the_visit_is_written_once_a_day_then_only_remembered(world, monkeypatch):
    user = world.users["member"]
    session: dict[str, str] = {}
    visit_record(user=user, session=session)  # type: ignore[arg-type]
    with CaptureQueriesContext(connection) as again:
        visit_record(user=user, session=session)  # type: ignore[arg-type]
    assert len(again) == 0
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda: tomorrow)
    visit_record(user=user, session=session)  # type: ignore[arg-type]
    assert sorted(Visit.objects.filter(user=user).values_list("day", flat=True)) == [
        tomorrow - dt.timedelta(days=1),
        tomorrow,
    ]


def test_viewing_the_feed_twice_in_a_day_counts_one_visit_and_writes_nothing_more(
    as_persona, world
):
    client = as_persona("member")
    feed(client)
    with CaptureQueriesContext(connection) as second:
        feed(client)
    assert Visit.objects.filter(user=world.users["member"]).count() == 1
    writes = [q["sql"] for q in second if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
