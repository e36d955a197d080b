"""The forms of the restructuring pages. Each knows its operation: the preview it shows and the
service it calls, with the same arguments, so what is confirmed is what was previewed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from dangvien.accounts.types import ActingUser, Actor
from dangvien.orgs.models import Organization
from dangvien.restructuring import selectors, services
from dangvien.restructuring.selectors import Preview, SplitPart

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class TargetField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return f"{obj.name} ({obj.level.name.lower()})"


class OperationForm(forms.Form):
    """The day the change takes effect, and the organization it acts on."""

    on = forms.DateField(
        label="Ngày có hiệu lực",
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Ngày quyết định có hiệu lực. Số liệu của các ngày trước đó giữ nguyên.",
    )

    def __init__(self, *args: Any, org: Organization, user: Actor, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.org = org
        self.user = user

    def clean_on(self) -> dt.date:
        on: dt.date = self.cleaned_data["on"]
        # The tree of today is the one stored on the nodes: a change from a later day would show
        # before it takes effect.
        if on > timezone.localdate():
            raise forms.ValidationError("Ngày có hiệu lực không được sau ngày hôm nay.")
        return on

    def preview(self) -> Preview:
        raise NotImplementedError

    def apply(self, *, acting_user: ActingUser) -> Organization:
        """Run the service; the organization to land on afterwards."""
        raise NotImplementedError


class MoveForm(OperationForm):
    new_parent = TargetField(
        label="Chuyển về trực thuộc",
        queryset=Organization.objects.none(),
        empty_label="— Chọn tổ chức cấp trên mới —",
    )
    field_order = ["new_parent", "on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = selectors.move_targets(self.user, self.org)  # type: ignore[attr-defined]

    def preview(self) -> Preview:
        data = self.cleaned_data
        return selectors.move_preview(org=self.org, new_parent=data["new_parent"], on=data["on"])

    def apply(self, *, acting_user: ActingUser) -> Organization:
        data = self.cleaned_data
        return services.org_move(
            acting_user=acting_user, org=self.org, new_parent=data["new_parent"], on=data["on"]
        )


class MergeForm(OperationForm):
    target = TargetField(
        label="Hợp nhất vào",
        queryset=Organization.objects.none(),
        empty_label="— Chọn tổ chức nhận hợp nhất —",
        help_text="Các tổ chức trực thuộc và đảng viên chuyển sang tổ chức này; "
        "tổ chức hiện tại giải thể.",
    )
    field_order = ["target", "on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = selectors.merge_targets(self.user, self.org)  # type: ignore[attr-defined]

    def preview(self) -> Preview:
        data = self.cleaned_data
        return selectors.merge_preview(source=self.org, target=data["target"], on=data["on"])

    def apply(self, *, acting_user: ActingUser) -> Organization:
        data = self.cleaned_data
        return services.org_merge(
            acting_user=acting_user, source=self.org, target=data["target"], on=data["on"]
        )


STAY, FIRST, SECOND = "", "1", "2"


class SplitForm(OperationForm):
    """One or two new organizations beside this one; each child and member stays or goes."""

    name_1 = forms.CharField(label="Tên tổ chức mới thứ nhất", max_length=200)
    name_2 = forms.CharField(
        label="Tên tổ chức mới thứ hai",
        max_length=200,
        required=False,
        help_text="Để trống nếu chỉ tách ra một tổ chức mới.",
    )
    dissolve_original = forms.BooleanField(
        label="Giải thể tổ chức hiện tại sau khi chia tách",
        required=False,
        help_text="Chỉ được khi mọi tổ chức trực thuộc và đảng viên đều chuyển sang tổ chức mới.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        children, members = selectors.split_choices(self.org)
        choices = [
            (STAY, "Ở lại"),
            (FIRST, "Sang tổ chức mới thứ nhất"),
            (SECOND, "Sang tổ chức mới thứ hai"),
        ]
        self.items: list[tuple[str, str]] = []
        for child in children:
            self._add_item(
                f"to_chuc_{child.pk}", f"{child.name} ({child.level.name.lower()})", choices
            )
        for member in members:
            self._add_item(f"dang_vien_{member.pk}", member.full_name, choices)
        self.order_fields(
            ["name_1", "name_2", *(name for name, _ in self.items), "dissolve_original", "on"]
        )

    def _add_item(self, name: str, label: str, choices: list[tuple[str, str]]) -> None:
        self.fields[name] = forms.ChoiceField(label=label, choices=choices, required=False)
        self.items.append((name, label))

    def item_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, _ in self.items]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name_2", "").strip() == "" and any(
            data.get(name) == SECOND for name, _ in self.items
        ):
            self.add_error("name_2", "Có mục chuyển sang tổ chức mới thứ hai: xin đặt tên cho nó.")
        return data

    def parts(self) -> list[SplitPart]:
        data = self.cleaned_data
        parts = [SplitPart(data["name_1"])]
        if data.get("name_2", "").strip():
            parts.append(SplitPart(data["name_2"]))
        for name, _ in self.items:
            where = data.get(name)
            if not where or int(where) > len(parts):
                continue
            kind, pk = name.rsplit("_", 1)
            part = parts[int(where) - 1]
            (part.child_ids if kind == "to_chuc" else part.member_ids).append(int(pk))
        return parts

    def preview(self) -> Preview:
        data = self.cleaned_data
        return selectors.split_preview(
            org=self.org,
            parts=self.parts(),
            on=data["on"],
            dissolve_original=data["dissolve_original"],
        )

    def apply(self, *, acting_user: ActingUser) -> Organization:
        data = self.cleaned_data
        created = services.org_split(
            acting_user=acting_user,
            org=self.org,
            parts=self.parts(),
            on=data["on"],
            dissolve_original=data["dissolve_original"],
        )
        return created[0]


class DissolveForm(OperationForm):
    def preview(self) -> Preview:
        return selectors.dissolve_preview(org=self.org, on=self.cleaned_data["on"])

    def apply(self, *, acting_user: ActingUser) -> Organization:
        services.org_dissolve(acting_user=acting_user, org=self.org, on=self.cleaned_data["on"])
        # A dissolved node keeps its page (its history); its parent is where the tree goes on.
        return self.org.parent or self.org
