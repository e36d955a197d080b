"""Killing the process in the middle of an import's commit leaves the database exactly as before."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
import django, os
django.setup()
from dangvien.accounts.models import Role, RoleAssignment, User
from dangvien.members.imports.tasks import VALIDATE
from dangvien.orgs.models import OrgLevel
from dangvien.orgs.services import org_create
from dangvien.jobs.services import job_start
from tests.members.import_files import row, xlsx
import datetime as dt
p = org_create(acting_user=None, name="Đảng bộ Tỉnh", level=OrgLevel.objects.get(code="province"),
               parent=None, on=dt.date(2000, 1, 1))
cell = org_create(acting_user=None, name="Chi bộ 1", level=OrgLevel.objects.get(code="cell"),
                  parent=p, on=dt.date(2000, 1, 1))
user = User.objects.create_user(username="tinhuy", password="x")
RoleAssignment.objects.create(user=user, role=Role.PROVINCE_STAFF, org=p)
# The check runs here (the immediate backend); the commit is queued for the worker below.
from django.test import override_settings
with override_settings(TASKS={"default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "imports"]}}):
    task = job_start(acting_user=user, kind=VALIDATE, params={"filename": "ds.xlsx"},
                     title="Kiểm tra", files={"input": xlsx([row(n) for n in range(1, 25001)])})
assert task.status == "done" and task.summary["create"] == 25000, (task.message, task.summary)
commit = job_start(acting_user=user, kind="members.import_commit",
                   params={"validation": task.pk}, title="Ghi")
print(commit.pk)
"""

COMMIT = """
import django, io, sys, time
django.setup()
from django.core.management import call_command
from dangvien.jobs.registry import JobContext
original = JobContext.progress
def progress(self, done, total=None, message=None):
    original(self, done, total, message)
    if done > 0:  # one batch of 10,000 members written, inside the transaction
        print("BATCH", flush=True)
        time.sleep(60)
JobContext.progress = progress
call_command("worker", "--once", verbosity=0, stdout=io.StringIO())  # stdout: BATCH alone
"""

TABLES = [
    "members_member",
    "members_statusperiod",
    "members_membership",
    "members_namekey",
    "core_auditevent",
]


def fingerprint(path: Path) -> dict[str, tuple]:
    """Counts and id sums of the written tables, and the indexes (the commit drops some)."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        found = {
            t: db.execute(f"SELECT COUNT(*), TOTAL(id), MAX(id) FROM {t}").fetchone()
            for t in TABLES
        }
        found["indexes"] = tuple(
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        )
        return found


def run(code: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_killing_the_commit_half_way_leaves_the_database_as_it_was(tmp_path):
    env = {
        **os.environ,
        "DANGVIEN_VAR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "dangvien.settings",
        "TASKS_INLINE": "false",
        "PYTHONPATH": os.pathsep.join([os.environ.get("PYTHONPATH", ""), str(ROOT)]),
    }
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "dangvien", "migrate", "--noinput", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=300,
    )
    commit_id = int(run(SETUP, env).split()[-1])
    database = tmp_path / "dangvien.sqlite3"
    before = fingerprint(database)

    worker = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(COMMIT)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = worker.stdout.readline() if worker.stdout else ""
        assert line.strip() == "BATCH", worker.stderr.read() if worker.stderr else ""
        worker.send_signal(signal.SIGKILL)
    finally:
        worker.wait(timeout=30)

    assert fingerprint(database) == before
    # The next worker to start marks the abandoned job failed, saying so in Vietnamese.
    subprocess.run(
        [sys.executable, "-m", "dangvien", "worker", "--once"],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=120,
        capture_output=True,
    )
    with contextlib.closing(sqlite3.connect(database)) as db:
        status, message = db.execute(
            "SELECT status, message FROM jobs_job WHERE id = ?", (commit_id,)
        ).fetchone()
    assert status == "failed" and "bị dừng giữa chừng" in message
    assert fingerprint(database) == before
