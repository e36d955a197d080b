"""The import's two jobs, on the imports queue (registered through members/jobs.py):

- `members.import_validate` reads the file, checks every row, writes the XLSX report of every
  problem and the plan (plan.py);
- `members.import_commit` writes that plan in one transaction (commit.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dangvien.accounts.models import User
from dangvien.jobs.models import Job
from dangvien.jobs.registry import JobContext, JobFailed, job
from dangvien.jobs.services import job_start
from dangvien.members.imports.commit import Stale, commit_plan
from dangvien.members.imports.plan import plan_path, validate
from dangvien.members.imports.read import ImportFileError
from dangvien.members.imports.report import write_report

VALIDATE = "members.import_validate"
COMMIT = "members.import_commit"

ACCEPTED = (".xlsx", ".csv", ".txt")  # names of the files the pages and the API take


def start_validation(
    user: User, upload: Any, org: Any, mapping: dict[str, str] | None = None, name: str = ""
) -> Job:
    """A validation task of an uploaded file (or, checking again, of a stored input path)."""
    name = name or Path(upload.name).name[:150]
    return job_start(
        acting_user=user,
        kind=VALIDATE,
        params={"filename": name, "org": org.pk if org else None, "mapping": mapping or {}},
        title=f"Kiểm tra tệp {name}",
        org=org,
        files={"input": upload},
    )


@job(VALIDATE, queue="imports", detail_url="import_detail")
def validate_task(ctx: JobContext) -> None:
    params = ctx.params
    filename = params.get("filename", "tep")
    try:
        outcome = validate(
            ctx.input_path(),
            filename,
            user=ctx.user,
            mapping=params.get("mapping") or {},
            fixed_org_id=params.get("org"),
            plan_path=plan_path(ctx.job),
            progress=lambda done, total: ctx.progress(done, total),
        )
    except ImportFileError as error:
        plan_path(ctx.job).unlink(missing_ok=True)
        summary = {"filename": filename, "unknown": error.unknown} if error.unknown else None
        raise JobFailed(str(error), summary) from error
    report = ctx.dir / "report.xlsx"
    write_report(outcome, report)
    ctx.save_result(f"bao-cao-kiem-tra-{Path(filename).stem[:80]}.xlsx", report)
    plan = outcome.plan
    ctx.set_summary(
        {
            "filename": filename,
            "rows": plan.rows,
            "create": plan.created,
            "update": len(plan.updates),
            "unchanged": plan.unchanged,
            "blocking": outcome.blocking,
            "warnings": outcome.warnings,
            "problem_rows": outcome.problem_rows,
            "columns": [{"header": c.header, "field": c.field} for c in outcome.columns],
            "unknown": outcome.unknown,
            "problems": [
                {
                    "row": p.row,
                    "column": p.column,
                    "value": p.value,
                    "message": p.message,
                    "blocking": p.blocking,
                }
                for p in outcome.problems[:50]
            ],
            "samples": outcome.samples,
        }
    )


@job(COMMIT, queue="imports", detail_url="import_detail")
def commit_task(ctx: JobContext) -> None:
    validation = Job.objects.filter(
        pk=int(ctx.params.get("validation") or 0),
        owner=ctx.user,
        kind=VALIDATE,
        status=Job.Status.DONE,
    ).first()
    if validation is None:
        raise JobFailed("Không tìm thấy lần kiểm tra tệp tương ứng: hãy tải tệp lên lại.")
    if validation.summary.get("blocking"):
        raise JobFailed("Tệp còn lỗi: hãy sửa theo báo cáo rồi tải lên lại.")
    path = plan_path(validation)
    if not path.is_file():
        raise JobFailed("Kết quả kiểm tra tệp đã bị xóa: hãy tải tệp lên lại.")
    total = int(validation.summary.get("create") or 0)
    ctx.progress(0, total, "Đang ghi dữ liệu …")
    try:
        counts = commit_plan(
            path,
            user=ctx.user,
            task=ctx.job,
            expected=total,
            on_batch=lambda done: ctx.progress(done, total),
        )
    except Stale as error:
        raise JobFailed(
            "Dữ liệu đã thay đổi từ lúc kiểm tra tệp (có hồ sơ mới hoặc vừa được sửa): "
            "hãy kiểm tra lại tệp rồi ghi. Chưa có gì được ghi."
        ) from error
    ctx.progress(total, total, "")
    ctx.set_summary({**counts, "validation": validation.pk})
