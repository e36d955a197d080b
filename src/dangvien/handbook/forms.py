"""The form an editor or a committee fills to publish a post or a notice."""

from __future__ import annotations

from typing import Any

from django import forms

from dangvien.handbook.models import Document, Post
from dangvien.orgs.models import Organization


class PostForm(forms.Form):
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

    def __init__(self, *args: Any, org: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        children = Organization.objects.filter(parent=org, dissolved_on__isnull=True)
        self.fields["targets"].queryset = children.order_by("name")  # type: ignore[attr-defined]


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
