"""Images and attached files of posts: checked by their content, images re-encoded without
metadata, nothing saved when one file is bad, served only to those who may open the post."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image
from tests.conftest import make_user
from tests.handbook.test_documents import docx_with, pdf_with

from dangvien.accounts.models import Role
from dangvien.handbook import services
from dangvien.handbook.files import MAX_IMAGE_BYTES, Upload
from dangvien.handbook.models import Post, PostFile
from dangvien.handbook.services import post_publish

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def photo(size=(2000, 1500), fmt="JPEG", exif: bytes | None = None, mode="RGB") -> bytes:
    out = io.BytesIO()
    image = Image.new(mode, size, (200, 40, 40, 128)[: len(mode)])
    image.save(out, fmt, **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 42.0)}  # GPS: latitude
    return exif.tobytes()


def publish(world, images=(), attachments=(), org=None, **fields):
    return post_publish(
        acting_user=world.users["admin"],
        org=org or world.province,
        title=fields.pop("title", "Trao Huy hiệu Đảng"),
        body="<p>Chi bộ trao Huy hiệu 30 năm tuổi Đảng.</p>",
        images=images,
        attachments=attachments,
        **fields,
    )


def error_of(world, **files) -> str:
    with pytest.raises(ValidationError) as caught:
        publish(world, **files)
    return " ".join(caught.value.messages)


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_an_image_is_stored_as_a_smaller_jpeg_without_its_metadata(world):
    post = publish(world, images=[Upload("le-trao.png", photo(exif=gps_exif(), fmt="PNG"), "Lễ")])
    image = post.files.get()
    assert (image.kind, image.file_name, image.content_type) == (
        "image",
        "le-trao.jpg",
        "image/jpeg",
    )
    assert (image.width, image.height) == (1280, 960)
    path = Path(image.file.path)
    assert Path(settings.MEDIA_ROOT) in path.parents
    assert image.size == path.stat().st_size
    with Image.open(path) as stored:
        assert stored.format == "JPEG" and stored.size == (1280, 960)
        assert not stored.getexif()


def test_a_jpeg_from_a_phone_loses_its_location(world):
    post = publish(world, images=[Upload("IMG_0001.JPG", photo(exif=gps_exif()), "Hội nghị")])
    with Image.open(post.files.get().file.path) as stored:
        assert not stored.getexif() and "exif" not in stored.info


def test_a_small_image_is_not_enlarged_and_transparency_becomes_white(world):
    post = publish(world, images=[Upload("logo.png", photo((300, 200), "PNG", mode="RGBA"), "x")])
    image = post.files.get()
    assert (image.width, image.height) == (300, 200)
    with Image.open(image.file.path) as stored:
        red, green, blue = stored.getpixel((10, 10))
        assert red > 220 and green > 140 and blue > 140  # half-transparent red on white


def test_a_text_file_named_like_an_image_is_refused_by_its_content(world):
    message = error_of(world, images=[Upload("anh.jpg", b"<?php echo 'hello'; ?>", "Ảnh")])
    assert "«anh.jpg»: Tệp này không phải ảnh hoặc ảnh bị hỏng" in message
    assert not Post.objects.exists()


def test_a_gif_is_refused_with_the_accepted_formats_named(world):
    message = error_of(world, images=[Upload("dong.gif", photo(fmt="GIF"), "Ảnh động")])
    assert "Chỉ nhận ảnh JPEG, PNG hoặc WebP" in message


def test_an_image_over_the_size_limit_is_refused(world):
    message = error_of(world, images=[Upload("to.jpg", b"\xff\xd8" + b"0" * MAX_IMAGE_BYTES, "x")])
    assert "«to.jpg»: Ảnh lớn quá 5 MB (5,0 MB)" in message


def test_an_image_needs_a_description_for_screen_readers(world):
    message = error_of(world, images=[Upload("anh.jpg", photo(), "  ")])
    assert "«anh.jpg»: xin mô tả ngắn nội dung ảnh" in message


def test_a_pdf_and_a_word_file_are_attached_as_they_are(world):
    pdf, docx = pdf_with("Danh sách đảng viên được trao Huy hiệu"), docx_with("Chương trình")
    post = publish(
        world, attachments=[Upload("Danh sách.pdf", pdf), Upload("chuong-trinh.docx", docx)]
    )
    first, second = post.files.all()
    assert (first.file_name, first.content_type, first.size) == (
        "Danh sách.pdf",
        "application/pdf",
        len(pdf),
    )
    assert Path(first.file.path).read_bytes() == pdf
    assert second.content_type.endswith("wordprocessingml.document") and second.order == 1


def test_a_name_decomposed_by_a_mac_is_stored_composed_and_ends_in_the_real_type(world):
    decomposed = "Danh sa\u0301ch.exe"  # «Danh sách» as macOS writes it; a PDF named .exe
    post = publish(world, attachments=[Upload(decomposed, pdf_with("x"))])
    assert post.files.get().file_name == "Danh sách.pdf"


def test_a_program_renamed_pdf_is_refused(world):
    message = error_of(world, attachments=[Upload("bao-cao.pdf", EXE)])
    assert "«bao-cao.pdf»: Chỉ nhận tệp PDF hoặc Word (.docx)" in message


def test_one_bad_file_saves_nothing_and_every_problem_is_told(world):
    message = error_of(
        world,
        images=[Upload("dep.jpg", photo(), "Ảnh đẹp"), Upload("hong.jpg", b"not an image", "x")],
        attachments=[Upload("ok.pdf", pdf_with("x")), Upload("virus.pdf", EXE)],
    )
    assert "«hong.jpg»" in message and "«virus.pdf»" in message
    assert "«dep.jpg»" not in message and "«ok.pdf»" not in message
    assert not Post.objects.exists() and not PostFile.objects.exists()
    assert stored_files() == []


def test_a_failure_after_the_files_are_written_removes_them(world, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        publish(
            world,
            images=[Upload("a.jpg", photo(), "Ảnh")],
            attachments=[Upload("b.pdf", pdf_with("x"))],
        )
    assert not Post.objects.exists() and not PostFile.objects.exists()
    assert stored_files() == []


def test_too_many_attachments_are_refused(world):
    message = error_of(world, attachments=[Upload(f"{n}.pdf", b"%PDF-") for n in range(6)])
    assert "tối đa 5 tệp đính kèm" in message


# --- Pages ------------------------------------------------------------------------------------


@pytest.fixture
def post_with_files(world):
    """A post of grassroots G1 for cell A only: a1 (the member persona) reads it, b1 does not."""
    return publish(
        world,
        org=world.grassroots1,
        targets=[world.cell_a],
        title="Ảnh lễ trao Huy hiệu",
        images=[Upload("le.jpg", photo(), "Bí thư trao Huy hiệu cho đồng chí An")],
        attachments=[Upload("Quyết định trao Huy hiệu.pdf", pdf_with("x" * 3000))],
    )


def file_url(post, kind):
    return reverse("handbook_post_file", args=[post.pk, post.files.get(kind=kind).pk])


def test_the_image_is_shown_inline_to_a_member_the_post_reaches(as_persona, post_with_files):
    response = as_persona("member").get(file_url(post_with_files, PostFile.Kind.IMAGE))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")


def test_the_attachment_is_downloaded_under_its_own_name(as_persona, post_with_files):
    response = as_persona("member").get(file_url(post_with_files, PostFile.Kind.ATTACHMENT))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "filename*=utf-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


def test_a_member_outside_the_targets_gets_not_found(world, as_persona, post_with_files):
    b1 = make_user("dv_b1", Role.MEMBER, world.cell_b, member=world.b1)
    client = as_persona("anonymous")
    client.force_login(b1)
    for kind in PostFile.Kind:
        assert client.get(file_url(post_with_files, kind)).status_code == 404
    assert client.get(reverse("handbook_post", args=[post_with_files.pk])).status_code == 404


def test_a_file_is_found_only_under_its_own_post(world, as_persona, post_with_files):
    other = publish(world, title="Tin khác")
    image = post_with_files.files.get(kind=PostFile.Kind.IMAGE)
    url = reverse("handbook_post_file", args=[other.pk, image.pk])
    assert as_persona("admin").get(url).status_code == 404


def test_the_post_page_shows_images_and_lists_attachments(as_persona, post_with_files):
    html = as_persona("member").get(reverse("handbook_post", args=[post_with_files.pk]))
    html = html.content.decode()
    image_url = file_url(post_with_files, PostFile.Kind.IMAGE)
    assert (
        f'<img src="{image_url}" alt="Bí thư trao Huy hiệu cho đồng chí An" width="1280" '
        'height="960" loading="lazy"'
    ) in html
    attachment_url = file_url(post_with_files, PostFile.Kind.ATTACHMENT)
    size = filesizeformat(post_with_files.files.get(kind=PostFile.Kind.ATTACHMENT).size)
    assert "," in size and size.endswith("KB")  # e.g. «1,4 KB»: Vietnamese decimal comma
    assert f'<a href="{attachment_url}" download>Quyết định trao Huy hiệu.pdf</a> ({size})' in html


def test_the_feed_marks_posts_with_files_in_a_fixed_number_of_queries(
    world, as_persona, post_with_files
):
    client = as_persona("member")
    client.get(reverse("handbook_feed"))  # today's visit recorded: later views only read
    with CaptureQueriesContext(connection) as one:
        html = client.get(reverse("handbook_feed")).content.decode()
    assert html.count("Có ảnh") == 1 and html.count("Có tệp đính kèm") == 1
    for n in range(5):
        publish(
            world,
            org=world.cell_a,
            title=f"Tin {n}",
            images=[Upload("a.jpg", photo((200, 100)), "Ảnh")],
        )
    with CaptureQueriesContext(connection) as six:
        html = client.get(reverse("handbook_feed")).content.decode()
    assert html.count("Có ảnh") == 6
    assert len(six) == len(one)


def test_the_write_page_publishes_an_image_and_an_attachment(world, as_persona):
    client = as_persona("grassroots")
    url = reverse("handbook_write", args=[world.grassroots1.pk])
    page = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in page and "Mô tả ảnh 1" in page
    response = client.post(
        url,
        {
            "kind": "post",
            "title": "Lễ trao Huy hiệu",
            "body": "<p>Ảnh buổi lễ</p>",
            "image_1": SimpleUploadedFile("le.webp", photo(fmt="WEBP"), "image/webp"),
            "alt_1": "Các đồng chí nhận Huy hiệu",
            "attachments": [
                SimpleUploadedFile("ds.pdf", pdf_with("x"), "application/pdf"),
                SimpleUploadedFile("ct.docx", docx_with("y"), "application/octet-stream"),
            ],
        },
    )
    post = Post.objects.get(title="Lễ trao Huy hiệu")
    assert response["Location"] == reverse("handbook_post", args=[post.pk])
    assert [(f.kind, f.file_name) for f in post.files.order_by("kind", "order")] == [
        ("attachment", "ds.pdf"),
        ("attachment", "ct.docx"),
        ("image", "le.jpg"),
    ]


def test_the_write_page_tells_a_bad_file_and_asks_to_choose_again(world, as_persona):
    client = as_persona("grassroots")
    response = client.post(
        reverse("handbook_write", args=[world.grassroots1.pk]),
        {
            "kind": "post",
            "title": "Lễ trao Huy hiệu",
            "body": "<p>x</p>",
            "attachments": [SimpleUploadedFile("setup.pdf", EXE, "application/pdf")],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "«setup.pdf»: Chỉ nhận tệp PDF hoặc Word" in html
    assert "xin chọn lại" in html
    assert not Post.objects.exists()


def test_the_api_feed_lists_a_posts_files_with_addresses_that_serve_them(world, as_persona):
    post = publish(
        world,
        images=[Upload("anh.png", photo(fmt="PNG"), "Lễ trao huy hiệu")],
        attachments=[Upload("ke-hoach.pdf", pdf_with("Kế hoạch"), "")],
        org=world.cell_a,
    )
    client = as_persona("member")
    item = next(p for p in client.get("/api/v1/feed").json()["items"] if p["id"] == post.pk)
    image, attachment = item["files"]
    assert (image["kind"], image["name"], image["alt"], image["width"]) == (
        "image",
        "anh.jpg",
        "Lễ trao huy hiệu",
        1280,
    )
    assert (attachment["kind"], attachment["name"], attachment["content_type"]) == (
        "attachment",
        "ke-hoach.pdf",
        "application/pdf",
    )
    assert client.get(attachment["url"]).status_code == 200
    assert as_persona("other_upper").get(attachment["url"]).status_code == 404
