"""The form an editor or a committee fills to publish a post or a notice."""

from __future__ import annotations

from typing import Any

from django import forms

from dangvien.handbook.models import Post
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
