"""Import pages: upload a file, see the validation report and preview, then commit it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dangvien.accounts.access import IMPORT, allowed_anywhere
from dangvien.accounts.http import AuthenticatedRequest
from dangvien.accounts.types import Actor
from dangvien.jobs.models import Job
from dangvien.jobs.registry import job_dir
from dangvien.jobs.services import job_of, job_start
from dangvien.members.imports.columns import importable_cells, mappable_fields
from dangvien.members.imports.read import MAX_FILE_BYTES
from dangvien.members.imports.tasks import ACCEPTED, COMMIT, VALIDATE, start_validation
from dangvien.orgs.models import Organization


class UploadForm(forms.Form):
    file = forms.FileField(label="Tệp dữ liệu (.xlsx hoặc .csv)")
    org = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        required=False,
        label="Chi bộ nhận đảng viên (khi tệp không có cột «Chi bộ»)",
        empty_label="Theo cột «Chi bộ» trong tệp",
    )

    def __init__(self, *args: Any, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = importable_cells(user)  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ACCEPTED):
            raise forms.ValidationError("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv).")
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(f"Tệp quá lớn; tối đa {MAX_FILE_BYTES // 1024**2} MB.")
        if upload.size == 0:
            raise forms.ValidationError("Tệp rỗng: không có dữ liệu nào.")
        return upload


def import_start(request: AuthenticatedRequest) -> HttpResponse:
    allowed = allowed_anywhere(request.user, "orgs.organization", IMPORT)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        if not allowed:
            return HttpResponseForbidden("Đồng chí không có quyền nhập hồ sơ đảng viên.")
        if form.is_valid():
            task = start_validation(
                request.user, form.cleaned_data["file"], form.cleaned_data["org"]
            )
            return redirect("import_detail", task.pk)
    return render(
        request, "members/imports/start.html", {"form": form, "allowed": allowed, "nav": "import"}
    )


def _own_import(request: AuthenticatedRequest, task_id: int) -> Job:
    task = job_of(request.user, task_id)
    if task is None or task.kind not in (VALIDATE, COMMIT):
        raise Http404
    return task


def import_detail(request: AuthenticatedRequest, task_id: int) -> HttpResponse:
    task = _own_import(request, task_id)
    context: dict[str, Any] = {"task": task, "summary": task.summary, "nav": "import"}
    if task.kind == COMMIT:
        context["validation"] = Job.objects.filter(
            pk=task.params.get("validation"), owner_id=request.user.pk
        ).first()
    else:
        context["fields"] = mappable_fields()
        context["commit"] = (
            Job.objects.filter(owner_id=request.user.pk, kind=COMMIT, params__validation=task.pk)
            .order_by("-id")
            .first()
        )
    return render(request, "members/imports/detail.html", context)


@require_POST
def import_commit(request: AuthenticatedRequest, task_id: int) -> HttpResponse:
    task = _own_import(request, task_id)
    if task.kind != VALIDATE or task.status != Job.Status.DONE or task.summary.get("blocking"):
        raise Http404
    commit = job_start(
        acting_user=request.user,
        kind=COMMIT,
        params={"validation": task.pk},
        title=f"Ghi dữ liệu từ tệp {task.params.get('filename', '')}",
        org=task.org,
    )
    return redirect("import_detail", commit.pk)


@require_POST
def import_remap(request: AuthenticatedRequest, task_id: int) -> HttpResponse:
    """Check the same file again with the user's choice of field for unrecognised columns."""
    task = _own_import(request, task_id)
    if task.kind != VALIDATE or not task.finished or not task.summary.get("unknown"):
        raise Http404
    allowed = {name for name, _label in mappable_fields()}
    mapping = dict(task.params.get("mapping") or {})
    for header in task.summary.get("unknown") or []:
        chosen = request.POST.get(f"cot-{header}", "")
        if chosen in allowed:
            mapping[header] = chosen
    source = job_dir(task) / "input" / "input"
    if not source.is_file():
        raise Http404
    org = Organization.objects.filter(pk=task.params.get("org")).first()
    again = start_validation(
        request.user, source, org, mapping, name=task.params.get("filename", "")
    )
    return redirect("import_detail", again.pk)
