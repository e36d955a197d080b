"""Jobs: queued on django-tasks, run once, and shown to their owner (and to those who keep the
records of their organization) only."""

from __future__ import annotations

import datetime as dt
import os
import socket

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks.exceptions import InvalidTaskError
from django_tasks_db.models import DBTaskResult

from dangvien.accounts.models import User
from dangvien.jobs.models import Job
from dangvien.jobs.registry import KINDS, JobContext, JobFailed, job
from dangvien.jobs.services import (
    WORKER_DIED,
    job_detail_url,
    job_start,
    jobs_abandoned_fail,
)


@pytest.fixture
def kinds():
    saved = dict(KINDS)

    @job("test.count")
    def count(ctx: JobContext) -> None:
        for i in range(ctx.params["n"]):
            ctx.progress(i, ctx.params["n"])
        ctx.save_result("dem.txt", b"xong")

    @job("test.refuse")
    def refuse(ctx: JobContext) -> None:
        raise JobFailed("Không làm được việc này.")

    @job("test.crash")
    def crash(ctx: JobContext) -> None:
        raise RuntimeError("bug")

    @job("test.import", queue="imports", priority=10, detail_url="import_detail")
    def imports(ctx: JobContext) -> None:
        pass

    yield
    KINDS.clear()
    KINDS.update(saved)


def test_a_job_run_immediately_is_done_with_its_result(world, kinds):
    done = job_start(
        acting_user=world.users["secretary"], kind="test.count", params={"n": 3}, title="Đếm"
    )
    assert done.status == "done" and done.percent == 100 and done.result_name == "dem.txt"
    assert done.task_result_id and done.started_at and done.finished_at


def test_a_handler_refusing_fails_with_its_message_and_a_crash_with_a_generic_one(world, kinds):
    user = world.users["secretary"]
    refused = job_start(acting_user=user, kind="test.refuse", title="Từ chối")
    crashed = job_start(acting_user=user, kind="test.crash", title="Lỗi")
    assert (refused.status, refused.message) == ("failed", "Không làm được việc này.")
    assert crashed.status == "failed" and "ngoài dự kiến" in crashed.message


def test_a_kind_is_queued_on_its_own_queue_with_its_priority(world, kinds, jobs_queued):
    user = world.users["secretary"]
    export = job_start(acting_user=user, kind="test.count", params={"n": 1}, title="Xuất")
    upload = job_start(acting_user=user, kind="test.import", title="Nhập")
    later = job_start(
        acting_user=user,
        kind="test.count",
        params={"n": 1},
        title="Sau",
        run_after=timezone.now() + dt.timedelta(hours=1),
    )
    assert export.status == upload.status == "queued"
    rows = {str(r.id): r for r in DBTaskResult.objects.all()}
    assert (rows[export.task_result_id].queue_name, rows[export.task_result_id].priority) == (
        "default",
        0,
    )
    assert (rows[upload.task_result_id].queue_name, rows[upload.task_result_id].priority) == (
        "imports",
        10,
    )
    ready = {str(pk) for pk in DBTaskResult.objects.ready().values_list("id", flat=True)}
    assert later.task_result_id not in ready and export.task_result_id in ready


def test_an_unknown_kind_or_queue_is_refused_before_anything_is_written(world, kinds):
    user = world.users["secretary"]
    with pytest.raises(ValueError):
        job_start(acting_user=user, kind="test.nothing", title="Không có")
    KINDS["test.lost"] = KINDS["test.count"].__class__(
        "test.lost", KINDS["test.count"].handler, queue="nowhere"
    )
    with pytest.raises(InvalidTaskError):
        job_start(acting_user=user, kind="test.lost", title="Lạc")
    assert not Job.objects.exists()


def test_a_kind_names_its_own_page(world, kinds):
    user = world.users["secretary"]
    upload = job_start(acting_user=user, kind="test.import", title="Nhập")
    plain = job_start(acting_user=user, kind="test.refuse", title="Khác")
    assert job_detail_url(upload) == reverse("import_detail", args=[upload.pk])
    assert job_detail_url(plain) == reverse("task_detail", args=[plain.pk])


# The worker closes its connection between jobs, as it must outside a test: no test transaction
# (and no world: its audit rows could not be flushed after).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_runs_its_queues_and_fails_what_a_dead_worker_left_running(kinds, jobs_queued):
    user = User.objects.create_user(username="bithu", password="x")
    dead = Job.objects.create(
        kind="test.count",
        title="Bỏ dở",
        owner=user,
        status="running",
        worker=f"{socket.gethostname()[:40]}:999999999",
    )
    alive = Job.objects.create(
        kind="test.count",
        title="Đang chạy",
        owner=user,
        status="running",
        worker=f"{socket.gethostname()[:40]}:{os.getpid()}",
    )
    waiting = job_start(acting_user=user, kind="test.count", params={"n": 2}, title="Chờ")
    upload = job_start(acting_user=user, kind="test.import", title="Nhập")
    call_command("worker", "--once", "--queue", "default", verbosity=0)
    for row in (dead, alive, waiting, upload):
        row.refresh_from_db()
    assert (dead.status, dead.message) == ("failed", WORKER_DIED)
    assert alive.status == "running"
    assert waiting.status == "done" and waiting.worker.endswith(f":{os.getpid()}")
    assert upload.status == "queued"  # the imports queue is another worker's
    call_command("worker", "--once", "--queue", "imports", verbosity=0)
    upload.refresh_from_db()
    assert upload.status == "done"
    assert jobs_abandoned_fail() == 0


def test_a_job_whose_queue_row_failed_is_shown_as_failed(world, kinds, jobs_queued):
    stopped = job_start(
        acting_user=world.users["secretary"], kind="test.count", params={"n": 1}, title="Dừng"
    )
    DBTaskResult.objects.filter(id=stopped.task_result_id).update(status="FAILED")
    assert jobs_abandoned_fail() == 1
    stopped.refresh_from_db()
    assert (stopped.status, stopped.message) == ("failed", WORKER_DIED)


def test_the_progress_partial_polls_until_the_job_is_over(world, kinds, jobs_queued, as_persona):
    waiting = job_start(
        acting_user=world.users["secretary"], kind="test.count", params={"n": 1}, title="Đếm"
    )
    client = as_persona("secretary")
    partial = client.get(reverse("task_progress", args=[waiting.pk]), HTTP_HX_REQUEST="true")
    text = partial.content.decode()
    assert 'hx-trigger="every 1s"' in text and "<progress" in text and "Đang chờ" in text
    Job.objects.filter(pk=waiting.pk).update(status="done")
    partial = client.get(reverse("task_progress", args=[waiting.pk]), HTTP_HX_REQUEST="true")
    assert partial["HX-Refresh"] == "true" and "every 1s" not in partial.content.decode()


def test_only_the_owner_sees_and_downloads_a_job_without_an_organization(world, kinds, as_persona):
    mine = job_start(
        acting_user=world.users["secretary"], kind="test.count", params={"n": 1}, title="Đếm riêng"
    )
    owner = as_persona("secretary")
    assert (
        b"".join(owner.get(reverse("task_download", args=[mine.pk])).streaming_content) == b"xong"
    )
    assert "Đếm riêng" in owner.get(reverse("task_list")).content.decode()
    other = as_persona("admin")
    assert other.get(reverse("task_detail", args=[mine.pk])).status_code == 404
    assert other.get(reverse("task_download", args=[mine.pk])).status_code == 404
    assert "Đếm riêng" not in other.get(reverse("task_list")).content.decode()


def test_a_job_of_an_organization_is_also_shown_to_those_who_keep_its_records(
    world, kinds, as_persona
):
    report = job_start(
        acting_user=world.users["secretary"],
        kind="test.count",
        params={"n": 1},
        title="Danh sách chi bộ 1",
        org=world.cell_a,
    )
    above = as_persona("grassroots")
    assert above.get(reverse("task_detail", args=[report.pk])).status_code == 200
    download = above.get(reverse("task_download", args=[report.pk]))
    assert b"".join(download.streaming_content) == b"xong"
    elsewhere = as_persona("other_upper")
    assert elsewhere.get(reverse("task_detail", args=[report.pk])).status_code == 404
    assert elsewhere.get(reverse("task_download", args=[report.pk])).status_code == 404
