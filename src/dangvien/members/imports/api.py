"""API of member imports: upload a file (a validation task), follow it, then commit it.

The same tasks as the web pages; a task is its owner's alone (anyone else: 404).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from dangvien.accounts.access import IMPORT, allowed_anywhere
from dangvien.accounts.http import ApiRequest
from dangvien.jobs.models import Job
from dangvien.jobs.services import job_of, job_start
from dangvien.members.imports.columns import importable_cells
from dangvien.members.imports.read import MAX_FILE_BYTES
from dangvien.members.imports.tasks import ACCEPTED, COMMIT, VALIDATE, start_validation
from dangvien.web.api import ERRORS, ErrorOut, acting_user, not_found

router = Router(tags=["Nhập dữ liệu"])

SUMMARY_KEYS = ("filename", "rows", "create", "update", "unchanged", "blocking", "warnings")


class ProblemOut(Schema):
    row: int
    column: str
    value: str
    message: str
    blocking: bool


class ImportOut(Schema):
    id: int
    kind: str  # "validate" or "commit"
    status: str  # queued, running, done, failed
    done: int
    total: int
    percent: int
    message: str
    counts: dict[str, Any]
    problems: list[ProblemOut]
    report_url: str | None
    validation_id: int | None


def _out(task: Job) -> dict[str, Any]:
    summary = task.summary or {}
    return {
        "id": task.pk,
        "kind": "validate" if task.kind == VALIDATE else "commit",
        "status": task.status,
        "done": task.done,
        "total": task.total,
        "percent": task.percent,
        "message": task.message,
        "counts": {k: summary[k] for k in SUMMARY_KEYS if k in summary},
        "problems": summary.get("problems") or [],
        "report_url": reverse("task_download", args=[task.pk]) if task.result_name else None,
        "validation_id": task.params.get("validation") if task.kind == COMMIT else None,
    }


def _own_import(request: ApiRequest, task_id: int) -> Job:
    task = job_of(acting_user(request), task_id)
    if task is None or task.kind not in (VALIDATE, COMMIT):
        raise not_found()
    return task


@router.post(
    "",
    response={202: ImportOut, 400: ErrorOut, 403: ErrorOut, **ERRORS},
    summary="Tải tệp lên để kiểm tra (trả về tác vụ kiểm tra)",
)
def import_upload(
    request: ApiRequest, file: File[UploadedFile], org: Form[int | None] = None
) -> Status:
    user = acting_user(request)
    if not allowed_anywhere(user, "orgs.organization", IMPORT):
        raise HttpError(403, "Không có quyền nhập hồ sơ đảng viên.")
    name = file.name or ""
    if not name.lower().endswith(ACCEPTED):
        raise HttpError(400, "Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv).")
    if not file.size or file.size > MAX_FILE_BYTES:
        raise HttpError(400, "Tệp rỗng hoặc quá lớn.")
    cell = None
    if org is not None:
        cell = importable_cells(user).filter(pk=org).first()
        if cell is None:
            raise not_found()
    task = start_validation(user, file, cell)
    return Status(202, _out(task))


@router.get("/{task_id}", response={200: ImportOut, **ERRORS}, summary="Tình trạng một lần nhập")
def import_status(request: ApiRequest, task_id: int) -> dict[str, Any]:
    return _out(_own_import(request, task_id))


@router.post(
    "/{task_id}/commit",
    response={202: ImportOut, 409: ErrorOut, **ERRORS},
    summary="Ghi dữ liệu đã kiểm tra (tất cả hoặc không gì cả)",
)
def import_commit(request: ApiRequest, task_id: int) -> Status:
    task = _own_import(request, task_id)
    if task.kind != VALIDATE or task.status != Job.Status.DONE:
        raise HttpError(409, "Chỉ ghi được một lần kiểm tra tệp đã xong.")
    if task.summary.get("blocking"):
        raise HttpError(409, "Tệp còn lỗi: hãy sửa theo báo cáo rồi tải lên lại.")
    commit = job_start(
        acting_user=acting_user(request),
        kind=COMMIT,
        params={"validation": task.pk},
        title=f"Ghi dữ liệu từ tệp {task.params.get('filename', '')}",
        org=task.org,
    )
    return Status(202, _out(commit))
