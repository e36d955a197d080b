"""The 3×4 photo: only a real portrait image is kept, re-encoded without metadata, outside the
web root, and shown only to those who see the member."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from dangvien.core.audit import audit_trail
from dangvien.members.photos import MAX_BYTES
from dangvien.members.services import member_photo_set


def image_bytes(size=(300, 400), fmt="JPEG", exif: bytes | None = None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 40, 40))
    if exif is not None:
        image.save(out, fmt, exif=exif)
    else:
        image.save(out, fmt)
    return out.getvalue()


def error_of(data: bytes, world) -> str:
    with pytest.raises(ValidationError) as caught:
        member_photo_set(acting_user=world.users["secretary"], member=world.a1, upload=data)
    return " ".join(caught.value.messages)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_portrait_photo_is_stored_as_a_jpeg_outside_the_web_root(world, fmt):
    member = member_photo_set(
        acting_user=world.users["secretary"], member=world.a1, upload=image_bytes(fmt=fmt)
    )
    path = Path(member.photo.path)
    assert path.is_file()
    assert Path(settings.MEMBER_FILES_DIR) in path.parents
    assert Path(settings.MEDIA_ROOT) not in path.parents
    with Image.open(path) as stored:
        assert stored.format == "JPEG" and stored.size == (300, 400)
    assert member.version == 2


def test_the_stored_photo_has_no_exif_metadata(world):
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x8825] = {1: "N"}  # GPS
    member = member_photo_set(
        acting_user=world.users["secretary"],
        member=world.a1,
        upload=image_bytes(size=(600, 800), exif=exif.tobytes()),
    )
    with Image.open(member.photo.path) as stored:
        assert not stored.getexif()
        assert stored.size == (300, 400)  # scaled down to the stored size


def test_a_new_photo_replaces_the_old_file(world, django_capture_on_commit_callbacks):
    user = world.users["secretary"]
    with django_capture_on_commit_callbacks(execute=True):
        first = Path(
            member_photo_set(acting_user=user, member=world.a1, upload=image_bytes()).photo.path
        )
    with django_capture_on_commit_callbacks(execute=True):
        second = Path(
            member_photo_set(acting_user=user, member=world.a1, upload=image_bytes()).photo.path
        )
    assert second.is_file() and not first.exists()


def test_setting_a_photo_is_in_the_history(world):
    member_photo_set(acting_user=world.users["secretary"], member=world.a1, upload=image_bytes())
    assert audit_trail(world.a1).filter(summary__startswith="Cập nhật ảnh 3×4").count() == 1


def test_a_text_file_named_like_a_photo_is_refused(world):
    assert "không phải ảnh" in error_of(b"<?php echo 'hello'; ?>", world)


def test_a_gif_is_refused_with_the_accepted_formats_named(world):
    assert "JPEG, PNG hoặc WebP" in error_of(image_bytes(fmt="GIF"), world)


def test_a_landscape_photo_is_refused_as_not_3_by_4(world):
    assert "khổ 3×4" in error_of(image_bytes(size=(400, 300)), world)


def test_a_tiny_photo_is_refused(world):
    assert "quá nhỏ" in error_of(image_bytes(size=(30, 40)), world)


def test_a_file_over_the_size_limit_is_refused(world):
    assert "lớn quá 2 MB" in error_of(b"\xff\xd8" + b"0" * MAX_BYTES, world)


def test_a_truncated_image_is_refused(world):
    assert "không phải ảnh hoặc ảnh bị hỏng" in error_of(image_bytes()[:200], world)


def test_the_photo_page_serves_the_photo_to_the_cell_secretary(as_persona, world):
    member_photo_set(acting_user=world.users["secretary"], member=world.a1, upload=image_bytes())
    response = as_persona("secretary").get(reverse("member_photo", args=[world.a1.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")


def test_without_a_photo_the_page_shows_a_placeholder(as_persona, world):
    response = as_persona("secretary").get(reverse("member_photo", args=[world.a1.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "Chưa có ảnh" in response.content.decode()


def test_the_photo_of_a_member_out_of_scope_is_not_found(as_persona, world):
    member_photo_set(acting_user=world.users["admin"], member=world.c1, upload=image_bytes())
    response = as_persona("secretary").get(reverse("member_photo", args=[world.c1.pk]))
    assert response.status_code == 404
