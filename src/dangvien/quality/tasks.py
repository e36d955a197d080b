"""The data-quality run as a background task (auto-discovered by dangvien.jobs).

Its kind keeps the name it was queued under when the checks lived in the members app, so that
jobs already recorded still find their handler.
"""

from __future__ import annotations

from dangvien.accounts.access import CHECK_QUALITY, allowed, allowed_everywhere
from dangvien.accounts.models import User
from dangvien.accounts.types import Actor
from dangvien.jobs.models import Job
from dangvien.jobs.registry import JobContext, JobFailed, job
from dangvien.jobs.services import job_start
from dangvien.orgs.models import Organization
from dangvien.quality.services import quality_check

QUALITY_CHECK = "members.quality_check"
UNFINISHED = (Job.Status.QUEUED, Job.Status.RUNNING)


def may_check(user: Actor, org: Organization | None) -> bool:
    """Those who may see a subtree's figures may check it; every record: those who see them all."""
    if org is None:
        return allowed_everywhere(user, Organization, CHECK_QUALITY)
    return allowed(user, CHECK_QUALITY, org)


def quality_check_in_progress(org: Organization) -> Job | None:
    """A check of exactly this node, queued or running."""
    return (
        Job.objects.filter(kind=QUALITY_CHECK, org=org, status__in=UNFINISHED)
        .select_related("owner")
        .order_by("id")
        .first()
    )


def quality_check_start(*, acting_user: User, org: Organization) -> Job:
    """Queue a check of `org`'s subtree; the one already queued or running if there is one."""
    if not may_check(acting_user, org):
        raise PermissionError("not allowed to check this subtree")
    running = quality_check_in_progress(org)
    if running is not None:
        return running
    return job_start(
        acting_user=acting_user,
        kind=QUALITY_CHECK,
        params={"org": org.pk},
        title=f"Kiểm tra chất lượng dữ liệu: {org.name}",
        org=org,
    )


@job(QUALITY_CHECK)
def quality_check_task(ctx: JobContext) -> None:
    org_id = ctx.params.get("org")
    org = Organization.objects.filter(pk=org_id).first() if org_id is not None else None
    if org_id is not None and org is None:
        raise JobFailed("Tổ chức cần kiểm tra không còn trong cây tổ chức.")
    if not may_check(ctx.user, org):
        raise JobFailed("Đồng chí không còn quyền xem hồ sơ của tổ chức này.")
    run = quality_check(acting_user=ctx.user, org=org, progress=ctx.progress)
    ctx.set_summary({"run": run.pk, **run.summary})
