"""After a job that wrote records, the kept figures are brought up to date by a queued task, not
by the request of the first report that reads them."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from dangvien.jobs.registry import KINDS, JobContext, job
from dangvien.jobs.services import job_run, job_start
from dangvien.reports.jobs import figures_refresh
from dangvien.reports.models import EventDirty, FigureDirty


@pytest.fixture
def writing_kind():
    saved = dict(KINDS)

    @job("test.write")
    def write(ctx: JobContext) -> None:
        FigureDirty.objects.get_or_create(path=ctx.params["path"])

    yield
    KINDS.clear()
    KINDS.update(saved)


def unmarked() -> None:
    FigureDirty.objects.all().delete()
    EventDirty.objects.all().delete()


def refreshes() -> int:
    return DBTaskResult.objects.filter(task_path=figures_refresh.module_path).count()


def test_a_job_that_left_marks_queues_a_figures_refresh_after_its_commit(
    world, writing_kind, jobs_queued, django_capture_on_commit_callbacks
):
    unmarked()
    queued = job_start(
        acting_user=world.users["secretary"],
        kind="test.write",
        params={"path": world.cell_a.path},
        title="Ghi",
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert job_run(queued).status == "done"
    assert len(callbacks) == 1 and refreshes() == 1


def test_a_job_that_wrote_nothing_queues_no_refresh(
    world, writing_kind, jobs_queued, django_capture_on_commit_callbacks
):
    unmarked()
    KINDS["test.write"] = KINDS["test.write"].__class__("test.write", lambda ctx: None)
    queued = job_start(acting_user=world.users["secretary"], kind="test.write", title="Không ghi")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job_run(queued)
    assert not callbacks and refreshes() == 0


def test_the_refresh_takes_the_marks_in(world):
    assert FigureDirty.objects.exists()  # the world was written after the figures were built
    assert figures_refresh.call() is True
    assert not FigureDirty.objects.exists() and not EventDirty.objects.exists()
