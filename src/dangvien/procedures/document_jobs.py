"""The list of probationary members due, as a job when it is long: a few hundred rows are made
in the request, a province's thousands in a worker (filling and converting them takes seconds
to a minute), with the file on the job's page for its owner."""

from __future__ import annotations

import datetime as dt

from dangvien.accounts.access import REPORT, allowed
from dangvien.accounts.models import User
from dangvien.jobs.models import Job
from dangvien.jobs.registry import JobContext, JobFailed, job
from dangvien.jobs.services import job_start
from dangvien.members.selectors import members_visible_to
from dangvien.orgs.models import Organization
from dangvien.procedures import documents

PROBATION_LIST = "procedures.probation_list"
# Up to this many rows the list is made in the request (about a second as Word and as PDF).
INLINE_ROWS = 200


def probation_list_start(
    *, acting_user: User, org: Organization, as_pdf: bool, today: dt.date
) -> Job:
    return job_start(
        acting_user=acting_user,
        kind=PROBATION_LIST,
        params={"org": org.pk, "pdf": as_pdf, "today": today.isoformat()},
        title=f"Danh sách đảng viên dự bị đến hạn: {org.name}",
        org=org,
    )


@job(PROBATION_LIST)
def run_probation_list(context: JobContext) -> None:
    params = context.params
    org = Organization.objects.filter(pk=int(params.get("org") or 0)).first()
    if org is None or not allowed(context.user, REPORT, org):
        raise JobFailed("Đồng chí không còn quyền lập danh sách của tổ chức này.")
    today = dt.date.fromisoformat(params["today"])
    context.progress(0, None, "Đang lập danh sách …")
    try:
        data = documents.probation_list_docx(members_visible_to(context.user), org, today=today)
        if params.get("pdf"):
            context.progress(0, None, "Đang chuyển sang PDF …")
            data = documents.convert(data, title="Danh sách đảng viên dự bị đến hạn")
    except documents.DocumentRefused as refused:
        raise JobFailed(" ".join(refused.messages)) from refused
    suffix = "pdf" if params.get("pdf") else "docx"
    context.save_result(f"danh-sach-du-bi-den-han.{suffix}", data)
