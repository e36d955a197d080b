"""Background tasks: queued, claimed by one worker, run, and shown to their owner only."""

from __future__ import annotations

import os
import socket

import pytest
from django.core.management import call_command
from django.urls import reverse

from dangvien.tasks.models import Task
from dangvien.tasks.registry import HANDLERS, TaskContext, TaskFailed, task_handler
from dangvien.tasks.services import (
    WORKER_DIED,
    task_claim,
    task_start,
    tasks_fail_abandoned,
)


@pytest.fixture
def handlers():
    saved = dict(HANDLERS)

    @task_handler("test.count")
    def count(ctx: TaskContext) -> None:
        for i in range(ctx.params["n"]):
            ctx.progress(i, ctx.params["n"])
        ctx.save_result("dem.txt", b"xong")

    @task_handler("test.refuse")
    def refuse(ctx: TaskContext) -> None:
        raise TaskFailed("Không làm được việc này.")

    @task_handler("test.crash")
    def crash(ctx: TaskContext) -> None:
        raise RuntimeError("bug")

    yield
    HANDLERS.clear()
    HANDLERS.update(saved)


def test_a_task_run_inline_is_done_with_its_result(world, handlers):
    task = task_start(
        acting_user=world.users["secretary"], kind="test.count", params={"n": 3}, title="Đếm"
    )
    assert task.status == "done" and task.percent == 100 and task.result_name == "dem.txt"


def test_a_handler_refusing_fails_with_its_message_and_a_crash_with_a_generic_one(world, handlers):
    user = world.users["secretary"]
    refused = task_start(acting_user=user, kind="test.refuse", title="Từ chối")
    crashed = task_start(acting_user=user, kind="test.crash", title="Lỗi")
    assert (refused.status, refused.message) == ("failed", "Không làm được việc này.")
    assert crashed.status == "failed" and "ngoài dự kiến" in crashed.message


def test_the_worker_claims_each_queued_task_once(world, handlers, settings):
    settings.TASKS_INLINE = False
    user = world.users["secretary"]
    first = task_start(acting_user=user, kind="test.count", params={"n": 1}, title="Một")
    second = task_start(acting_user=user, kind="test.count", params={"n": 1}, title="Hai")
    assert first.status == "queued"
    assert task_claim("a:1").pk == first.pk
    assert task_claim("b:2").pk == second.pk
    assert task_claim("c:3") is None


def test_the_worker_runs_the_queue_and_fails_what_a_dead_worker_left_running(
    world, handlers, settings
):
    settings.TASKS_INLINE = False
    user = world.users["secretary"]
    dead = Task.objects.create(
        kind="test.count",
        title="Bỏ dở",
        owner=user,
        status="running",
        worker=f"{socket.gethostname()}:999999999",
    )
    alive = Task.objects.create(
        kind="test.count",
        title="Đang chạy",
        owner=user,
        status="running",
        worker=f"{socket.gethostname()}:{os.getpid()}",
    )
    queued = task_start(acting_user=user, kind="test.count", params={"n": 2}, title="Chờ")
    call_command("worker", "--once")
    dead.refresh_from_db()
    alive.refresh_from_db()
    queued.refresh_from_db()
    assert (dead.status, dead.message) == ("failed", WORKER_DIED)
    assert alive.status == "running"
    assert queued.status == "done"
    assert tasks_fail_abandoned() == 0


def test_the_progress_partial_polls_until_the_task_is_over(world, handlers, settings, as_persona):
    settings.TASKS_INLINE = False
    task = task_start(
        acting_user=world.users["secretary"], kind="test.count", params={"n": 1}, title="Đếm"
    )
    client = as_persona("secretary")
    partial = client.get(reverse("task_progress", args=[task.pk]), HTTP_HX_REQUEST="true")
    text = partial.content.decode()
    assert 'hx-trigger="every 1s"' in text and "<progress" in text and "Đang chờ" in text
    Task.objects.filter(pk=task.pk).update(status="done")
    partial = client.get(reverse("task_progress", args=[task.pk]), HTTP_HX_REQUEST="true")
    assert partial["HX-Refresh"] == "true" and "every 1s" not in partial.content.decode()


def test_only_the_owner_sees_and_downloads_a_task(world, handlers, as_persona):
    task = task_start(
        acting_user=world.users["secretary"], kind="test.count", params={"n": 1}, title="Đếm riêng"
    )
    owner = as_persona("secretary")
    assert (
        b"".join(owner.get(reverse("task_download", args=[task.pk])).streaming_content) == b"xong"
    )
    assert "Đếm riêng" in owner.get(reverse("task_list")).content.decode()
    other = as_persona("admin")
    assert other.get(reverse("task_detail", args=[task.pk])).status_code == 404
    assert other.get(reverse("task_download", args=[task.pk])).status_code == 404
    assert "Đếm riêng" not in other.get(reverse("task_list")).content.decode()
