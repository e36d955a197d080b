"""Posts and notices: who reads what, unread marks, confirmations, what committees see, safety."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dangvien.handbook.models import Post, Reading
from dangvien.handbook.selectors import notice_reads, posts_for_reader
from dangvien.handbook.services import clean_html, notice_acknowledge, post_publish


def publish(world, org, title, **fields):
    fields.setdefault("body", "<p>Nội dung</p>")
    return post_publish(acting_user=world.users["admin"], org=org, title=title, **fields)


@pytest.fixture
def posts(world):
    return {
        "province": publish(world, world.province, "Thông báo của Thành ủy", kind=Post.Kind.NOTICE),
        "cell_a": publish(world, world.cell_a, "Lịch sinh hoạt chi bộ 1"),
        "other": publish(world, world.upper2, "Tin của quận Tây Hồ"),
        "to_b": publish(world, world.grassroots1, "Gửi riêng chi bộ 2", targets=[world.cell_b]),
        "later": publish(
            world,
            world.province,
            "Đăng tuần sau",
            publish_at=timezone.now() + dt.timedelta(days=7),
        ),
    }


def titles(user) -> set[str]:
    return set(posts_for_reader(user).values_list("title", flat=True))


def test_a_member_reads_the_chain_of_committees_above_the_cell(world, posts):
    assert titles(world.users["member"]) == {"Thông báo của Thành ủy", "Lịch sinh hoạt chi bộ 1"}


def test_a_post_for_chosen_organizations_reaches_only_them(world, posts):
    assert "Gửi riêng chi bộ 2" not in titles(world.users["member"])
    assert "Gửi riêng chi bộ 2" not in titles(world.users["grassroots"])  # G1 itself is not B


def test_anonymous_reads_nothing(world, posts):
    from django.contrib.auth.models import AnonymousUser

    assert titles(AnonymousUser()) == set()


def test_feed_shows_pinned_first_and_marks_unread(as_persona, world, posts):
    pinned = publish(world, world.province, "Ghim: Nghị quyết mới", pinned=True)
    client = as_persona("member")
    html = client.get(reverse("handbook_feed")).content.decode()
    assert html.index("Ghim: Nghị quyết mới") < html.index("Lịch sinh hoạt chi bộ 1")
    assert html.count("Chưa đọc") == 3
    client.get(reverse("handbook_post", args=[pinned.pk]))
    html = client.get(reverse("handbook_feed")).content.decode()
    assert html.count("Chưa đọc") == 2


def test_a_member_confirms_a_notice_and_the_committee_sees_it_per_cell(as_persona, world, posts):
    notice = posts["province"]
    client = as_persona("member")
    page = client.get(reverse("handbook_post", args=[notice.pk])).content.decode()
    assert "Tôi đã đọc thông báo này" in page
    response = client.post(reverse("handbook_ack", args=[notice.pk]), follow=True)
    assert "Đã ghi nhận" in response.content.decode()
    rows = {r.cell.name: r for r in notice_reads(notice, world.users["province"])}
    assert (rows["Chi bộ 1"].members, rows["Chi bộ 1"].acknowledged) == (2, 1)
    assert [m.full_name for m in rows["Chi bộ 1"].not_acknowledged] == ["Trần Thị Bình"]
    assert rows["Chi bộ 3"].acknowledged == 0
    html = as_persona("province").get(reverse("handbook_reads", args=[notice.pk])).content.decode()
    assert "1 người đã xác nhận trên 4 đảng viên" in html
    assert as_persona("member").get(reverse("handbook_reads", args=[notice.pk])).status_code == 404


def test_only_notices_are_confirmed(world, posts):
    with pytest.raises(ValidationError):
        notice_acknowledge(user=world.users["member"], post=posts["cell_a"])
    assert not Reading.objects.filter(acknowledged_at__isnull=False).exists()


def test_a_secretary_writes_for_the_cell_only(world):
    secretary = world.users["secretary"]
    post = post_publish(
        acting_user=secretary, org=world.cell_a, title="Họp chi bộ", body="<p>x</p>"
    )
    assert post.author == secretary
    with pytest.raises(ValidationError, match="không được đăng bài"):
        post_publish(acting_user=secretary, org=world.grassroots1, title="x", body="<p>x</p>")
    with pytest.raises(ValidationError, match="không được đăng bài"):
        post_publish(acting_user=world.users["member"], org=world.cell_a, title="x", body="x")


def test_targets_must_lie_below_the_committee(world):
    with pytest.raises(ValidationError, match="Chỉ gửi được tới các tổ chức trực thuộc"):
        publish(world, world.grassroots1, "x", targets=[world.cell_c])


def test_write_page_publishes_and_shows_errors_in_vietnamese(as_persona, world):
    client = as_persona("grassroots")
    url = reverse("handbook_write", args=[world.grassroots1.pk])
    empty = client.post(url, {"kind": "post", "title": "", "body": ""})
    assert "Trường này là bắt buộc" in empty.content.decode()
    response = client.post(
        url,
        {
            "kind": "notice",
            "title": "Họp đảng ủy",
            "body": "<p>Chiều thứ Sáu</p>",
            "targets": [world.cell_a.pk],
        },
    )
    post = Post.objects.get(title="Họp đảng ủy")
    assert response["Location"] == reverse("handbook_post", args=[post.pk])
    assert list(post.targets.all()) == [world.cell_a]
    assert "Họp đảng ủy" in titles(world.users["member"])


def test_html_is_sanitised():
    dirty = (
        '<p onclick="steal()">Xin chào<script>alert(1)</script>'
        '<a href="javascript:alert(1)">x</a><img src="https://a/b.png" onerror="x"></p>'
        '<iframe src="https://evil"></iframe><style>p{}</style>'
    )
    clean = clean_html(dirty)
    for bad in ("onclick", "<script", "javascript:", "onerror", "<iframe", "<style"):
        assert bad not in clean
    assert "Xin chào" in clean and '<img src="https://a/b.png">' in clean


def test_api_feed_and_acknowledgement(as_persona, world, posts):
    client = as_persona("member")
    items = client.get("/api/v1/feed").json()["items"]
    assert [p["title"] for p in items] == ["Lịch sinh hoạt chi bộ 1", "Thông báo của Thành ủy"]
    assert items[1]["kind"] == "notice" and items[1]["is_acknowledged"] is False
    acked = client.post(f"/api/v1/notices/{posts['province'].pk}/ack")
    assert acked.status_code == 200 and acked.json()["acknowledged_at"]
    not_notice = client.post(f"/api/v1/notices/{posts['cell_a'].pk}/ack")
    assert not_notice.status_code == 422
    assert client.post(f"/api/v1/notices/{posts['other'].pk}/ack").status_code == 404


def test_the_home_page_names_the_cells_secretary_and_counts_the_open_corrections(as_persona, world):
    from dangvien.handbook.services import correction_request

    secretary = world.users["secretary"]
    secretary.first_name, secretary.last_name = "Nguyễn Văn", "Bình"
    secretary.save()
    member = world.users["member"]
    page = as_persona("member").get("/so-tay/").content.decode()
    assert "Bí thư: Nguyễn Văn Bình" in page and "đề nghị đang chờ" not in page
    correction_request(user=member, text="Ngày vào Đảng ghi sai.")
    correction_request(user=member, text="Quê quán ghi thiếu xã.")
    page = as_persona("member").get("/so-tay/").content.decode()
    assert "(2 đề nghị đang chờ)" in page
