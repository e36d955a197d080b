"""Two worker processes on one queue: every job runs, and runs exactly once.

On SQLite `select_for_update` is a no-op: django-tasks-db claims a job inside an EXCLUSIVE
transaction, which takes the database's single write lock at BEGIN (as the project's IMMEDIATE
transactions do), so two claims are serialised and the second sees the first's. On PostgreSQL
the claim is `SELECT … FOR UPDATE SKIP LOCKED`. The test runs on whichever database the suite
runs on: a file copy of the SQLite test database, or the PostgreSQL test database itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import select
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from tests.jobs.note_runner import KIND

from dangvien.accounts.models import User
from dangvien.jobs.models import Job
from dangvien.jobs.services import job_start

ROOT = Path(__file__).resolve().parents[2]
JOBS = 16
SECONDS = 0.15  # each job's work: long enough for both workers to hold one at a time
DEADLINE = 60  # seconds for the whole run, workers' start-up included (a few on a quiet machine)

WORKER = """
import django
django.setup()
import tests.jobs.note_runner  # the test's kind, as an app's `jobs` module would register it
from django.core.management import call_command
call_command("worker", "--poll", "0.05", verbosity=0)
"""

JOB_TABLE = Job._meta.db_table
QUEUE_TABLE = DBTaskResult._meta.db_table


class Database:
    """The workers' database, and plain SQL on it from the test."""

    def __init__(self, tmp_path: Path) -> None:
        self.sqlite = connection.vendor == "sqlite"
        if self.sqlite:
            # The test database lives in memory: the workers get a file copy of it.
            self.path = tmp_path / "dangvien.sqlite3"
            connection.ensure_connection()
            with contextlib.closing(sqlite3.connect(self.path)) as target:
                connection.connection.backup(target)
            self.url = f"sqlite:///{self.path}"
        else:
            s = connection.settings_dict
            self.url = (
                f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:"
                f"{s['PORT'] or 5432}/{s['NAME']}"
            )

    def run(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if self.sqlite:
            with contextlib.closing(sqlite3.connect(self.path, timeout=10)) as db, db:
                return db.execute(sql.replace("%s", "?"), params).fetchall()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []


def start_worker(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WORKER],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_ready(worker: subprocess.Popen[str], until: float) -> None:
    """The worker's first line says it is polling."""
    assert worker.stdout is not None
    ready, _, _ = select.select([worker.stdout], [], [], max(0.0, until - time.monotonic()))
    line = worker.stdout.readline() if ready else ""
    assert "chờ tác vụ" in line, worker.stderr.read() if worker.poll() is not None else line


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_run_each_job_exactly_once(tmp_path, jobs_queued):
    started = time.monotonic()
    user = User.objects.create_user(username="bithu", password="x")
    log = tmp_path / "runs.log"
    log.touch()
    # Queued for tomorrow: nothing is ready until both workers are polling.
    tomorrow = timezone.now() + dt.timedelta(days=1)
    ids = [
        job_start(
            acting_user=user,
            kind=KIND,
            params={"log": str(log), "seconds": SECONDS},
            title=f"Việc {n}",
            run_after=tomorrow,
        ).pk
        for n in range(JOBS)
    ]
    database = Database(tmp_path)
    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "DANGVIEN_VAR": str(tmp_path),
        "DANGVIEN_TASKS_DIR": str(tmp_path / "tasks"),
        "DJANGO_SETTINGS_MODULE": "dangvien.settings",
        "TASKS_INLINE": "false",
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    until = started + DEADLINE
    workers = [start_worker(env), start_worker(env)]
    try:
        for worker in workers:
            wait_ready(worker, until)
        database.run(f"UPDATE {QUEUE_TABLE} SET run_after = %s", (_past(database),))
        finished: list[tuple[Any, ...]] = []
        while time.monotonic() < until:
            finished = database.run(
                f"SELECT id FROM {JOB_TABLE} WHERE status IN ('done', 'failed')"
            )
            if len(finished) == JOBS:
                break
            time.sleep(0.1)
        assert len(finished) == JOBS, f"{len(finished)} of {JOBS} jobs finished in time"
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()

    runs = [line.split() for line in log.read_text().splitlines()]
    assert Counter(int(job_id) for job_id, _pid in runs) == Counter(ids)  # each once
    assert {pid for _job_id, pid in runs} == {str(w.pid) for w in workers}  # both took part
    statuses = database.run(f"SELECT status, worker FROM {JOB_TABLE}")
    assert {status for status, _worker in statuses} == {"done"}
    queue = database.run(f"SELECT status, worker_ids FROM {QUEUE_TABLE}")
    assert len(queue) == JOBS
    for status, worker_ids in queue:
        claimed = json.loads(worker_ids) if isinstance(worker_ids, str) else worker_ids
        assert status == "SUCCESSFUL" and len(claimed) == 1


def _past(database: Database) -> Any:
    past = timezone.now() - dt.timedelta(minutes=1)
    if database.sqlite:  # as Django writes an aware datetime to SQLite: UTC, without the zone
        return past.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    return past
