"""The form an editor or a committee fills to publish a post or a notice."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from dangvien.core.images import MB
from dangvien.handbook.files import (
    IMAGE_SIZE,
    MAX_ATTACHMENTS,
    MAX_BYTES,
    MAX_IMAGE_BYTES,
    MAX_IMAGES,
    Upload,
)
from dangvien.handbook.models import ALT_MAX_LENGTH, Document, Post
from dangvien.office.layout import number as figure
from dangvien.orgs.models import Organization


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files chosen at once: a list, empty when none."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        one = super().clean
        return [
            one(upload, initial)
            for upload in (data if isinstance(data, list) else [data])
            if upload
        ]


class PostForm(forms.Form):
    _slots = range(1, MAX_IMAGES + 1)  # image fields, each with its description

    kind = forms.ChoiceField(label="Loại", choices=Post.Kind.choices, initial=Post.Kind.POST)
    title = forms.CharField(label="Tiêu đề", max_length=200)
    body = forms.CharField(
        label="Nội dung",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Có thể dùng thẻ HTML đơn giản: đoạn văn, đậm, nghiêng, danh sách, liên kết.",
    )
    pinned = forms.BooleanField(label="Ghim lên đầu trang", required=False)
    publish_at = forms.DateTimeField(
        label="Đăng lúc",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Để trống để đăng ngay.",
    )
    targets = forms.ModelMultipleChoiceField(
        label="Gửi tới",
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Không chọn: gửi tới toàn bộ các tổ chức trực thuộc.",
    )
    attachments = MultipleFileField(
        label="Tệp đính kèm",
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.docx"}),
        help_text=f"PDF hoặc Word (.docx), tối đa {MAX_ATTACHMENTS} tệp, mỗi tệp tối đa "
        f"{MAX_BYTES // MB} MB.",
    )

    def __init__(self, *args: Any, org: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        children = Organization.objects.filter(parent=org, dissolved_on__isnull=True)
        self.fields["targets"].queryset = children.order_by("name")  # type: ignore[attr-defined]
        for n in self._slots:
            self.fields[f"image_{n}"] = forms.FileField(
                label=f"Ảnh {n}",
                required=False,
                widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
            )
            self.fields[f"alt_{n}"] = forms.CharField(
                label=f"Mô tả ảnh {n}", required=False, max_length=ALT_MAX_LENGTH
            )

    def images_help(self) -> str:
        width = figure(IMAGE_SIZE[0])
        return (
            f"Tối đa {MAX_IMAGES} ảnh JPEG, PNG hoặc WebP, mỗi ảnh tối đa {MAX_IMAGE_BYTES // MB} "
            f"MB; ảnh được thu nhỏ (rộng tối đa {width} điểm ảnh) và bỏ thông tin kèm theo như "
            "nơi chụp. Mỗi ảnh cần một câu mô tả cho người đọc bằng máy đọc màn hình, ví dụ «Chi "
            "bộ 1 trao Huy hiệu 30 năm tuổi Đảng»."
        )

    def text_fields(self) -> list[forms.BoundField]:
        """Every field but the files, which the page shows in their own group."""
        files = {"attachments"} | {f"{p}_{n}" for p in ("image", "alt") for n in self._slots}
        return [field for field in self if field.name not in files]

    def image_slots(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"image_{n}"], self[f"alt_{n}"]) for n in self._slots]

    def more_images_open(self) -> bool:
        """The slots after the first start folded, unless something was entered in them."""
        return any(
            self[name].value() or self.errors.get(name)
            for n in self._slots[1:]
            for name in (f"image_{n}", f"alt_{n}")
        )

    def clean(self) -> dict[str, Any]:
        """Refuse files too large by their declared size before anything reads them; what they
        are is checked by their content when publishing."""
        data = super().clean() or {}
        for n in self._slots:
            image = data.get(f"image_{n}")
            if image is not None and image.size > MAX_IMAGE_BYTES:
                self.add_error(f"image_{n}", f"Ảnh lớn quá {MAX_IMAGE_BYTES // MB} MB.")
        attachments = data.get("attachments") or []
        if len(attachments) > MAX_ATTACHMENTS:
            self.add_error("attachments", f"Một tin bài có tối đa {MAX_ATTACHMENTS} tệp đính kèm.")
        for attachment in attachments:
            if attachment.size > MAX_BYTES:
                self.add_error(
                    "attachments", f"«{attachment.name}»: tệp lớn quá {MAX_BYTES // MB} MB."
                )
        return data

    def image_uploads(self) -> list[Upload]:
        return [
            Upload(upload.name or "", upload.read(), self.cleaned_data[f"alt_{n}"])
            for n in self._slots
            if (upload := self.cleaned_data.get(f"image_{n}")) is not None
        ]

    def attachment_uploads(self) -> list[Upload]:
        return [
            Upload(upload.name or "", upload.read()) for upload in self.cleaned_data["attachments"]
        ]


class DocumentForm(forms.Form):
    number = forms.CharField(label="Số/ký hiệu", max_length=60, help_text="Ví dụ: 21-NQ/TW")
    kind = forms.ChoiceField(label="Loại văn bản", choices=Document.Kind.choices)
    issuer = forms.CharField(label="Cơ quan ban hành", max_length=200)
    issued_on = forms.DateField(
        label="Ngày ban hành",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    summary = forms.CharField(
        label="Trích yếu", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    field = forms.CharField(label="Lĩnh vực", max_length=100, required=False)
    file = forms.FileField(label="Tệp văn bản (PDF hoặc Word .docx, tối đa 20 MB)")


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label="Tìm văn bản", required=False, max_length=200)
    kind = forms.ChoiceField(
        label="Loại", required=False, choices=[("", "Mọi loại"), *Document.Kind.choices]
    )
    saved = forms.BooleanField(label="Chỉ văn bản đã lưu", required=False)
