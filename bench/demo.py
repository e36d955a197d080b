"""`dangvien demo` at a given scale in a fresh scratch database, in a child process.

Measures the load alone (migrations run first, untimed): wall time, the child's peak resident memory
(from wait4's rusage) and the database size afterwards. SQLite by default (a temporary directory);
with DATABASE_URL=postgres://… a scratch database is created on that server and dropped after.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench import ROOT, Result, benchmark

# Targets from the project brief: seconds per scale, and memory at any scale.
TIME_TARGETS = {"hanoi": 90.0, "national": 15 * 60.0}
MEMORY_TARGET = 2 * 1024**3
IN_PARTY = ("probationary", "official", "exempted")
COUNTS = {
    "organizations": "SELECT COUNT(*) FROM orgs_organization",
    "members in the Party": (
        "SELECT COUNT(*) FROM members_member WHERE status IN ('probationary', 'official', "
        "'exempted')"
    ),
    "member records": "SELECT COUNT(*) FROM members_member",
    "status periods": "SELECT COUNT(*) FROM members_statusperiod",
    "memberships": "SELECT COUNT(*) FROM members_membership",
}


@dataclass
class Scratch:
    env: dict[str, str]
    label: str
    query: Callable[[str], int]
    size: Callable[[], int]


@contextlib.contextmanager
def sqlite_scratch(keep: bool) -> Iterator[Scratch]:
    directory = tempfile.mkdtemp(prefix="dangvien-bench-")
    path = Path(directory) / "dangvien.sqlite3"
    env = {**os.environ, "DANGVIEN_VAR": directory}
    env.pop("DATABASE_URL", None)

    def query(sql: str) -> int:
        with contextlib.closing(sqlite3.connect(path)) as db:
            return int(db.execute(sql).fetchone()[0])

    def size() -> int:
        return sum(p.stat().st_size for p in Path(directory).glob("dangvien.sqlite3*"))

    try:
        yield Scratch(env, f"SQLite {sqlite3.sqlite_version}", query, size)
    finally:
        if keep:
            print(f"scratch database kept in {directory}")
        else:
            shutil.rmtree(directory)


@contextlib.contextmanager
def postgres_scratch(url: str, keep: bool) -> Iterator[Scratch]:
    import psycopg

    name = f"dangvien_bench_{os.getpid()}"
    parts = urlsplit(url)
    scratch_url = urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        version = admin.execute("SHOW server_version").fetchone()
        fsync = admin.execute("SHOW fsync").fetchone()
    directory = tempfile.mkdtemp(prefix="dangvien-bench-")
    env = {**os.environ, "DATABASE_URL": scratch_url, "DANGVIEN_VAR": directory}

    def query(sql: str) -> int:
        with psycopg.connect(scratch_url) as db:
            row = db.execute(sql).fetchone()
            return int(row[0]) if row else 0

    def size() -> int:
        return query(f"SELECT pg_database_size('{name}')")

    try:
        label = f"PostgreSQL {version[0] if version else '?'}"
        if fsync and fsync[0] == "off":
            label += " (fsync off, as scripts/with-postgres runs it)"
        yield Scratch(env, label, query, size)
    finally:
        if keep:
            print(f"scratch database kept: {scratch_url}")
        else:
            with psycopg.connect(url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        shutil.rmtree(directory)


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Run `python -m dangvien ARGS`; its wall time, peak RSS in bytes and output."""
    with tempfile.TemporaryFile("w+") as output:
        started = time.monotonic()
        child = subprocess.Popen(
            [sys.executable, "-m", "dangvien", *args],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.monotonic() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read()
    if child.returncode != 0:
        raise SystemExit(f"dangvien {' '.join(args)} failed ({child.returncode}):\n{text}")
    return seconds, usage.ru_maxrss * 1024, text  # ru_maxrss is in KiB on Linux


def _limit(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds >= 120 else f"{seconds:.0f} s"


def _duration(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{seconds:.1f} s" if seconds < 120 else f"{int(minutes)} min {rest:.0f} s"


def _size(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.2f} {unit}"
        n /= 1024
    raise AssertionError


@benchmark("demo", "dangvien demo: the demo dataset loaded into a fresh database")
def run(options: Any) -> list[Result]:
    scale, seed = options.scale, options.seed
    url = os.environ.get("DATABASE_URL", "")
    postgres = url.startswith(("postgres://", "postgresql://"))
    scratch_of = postgres_scratch(url, options.keep) if postgres else sqlite_scratch(options.keep)
    with scratch_of as scratch:
        print(f"demo: migrating a scratch database ({scratch.label}) …", flush=True)
        run_child(["migrate", "--noinput", "-v0"], scratch.env)
        print(f"demo: loading scale {scale} (seed {seed}) …", flush=True)
        seconds, rss, output = run_child(
            ["demo", "--scale", scale, "--seed", str(seed)], scratch.env
        )
        counts = {label: scratch.query(sql) for label, sql in COUNTS.items()}
        size = scratch.size()
    print(output.rstrip())
    target = TIME_TARGETS.get(scale)
    time_verdict = (
        f"≤ {_limit(target)} ({'met' if seconds <= target else 'MISSED'})" if target else ""
    )
    memory_verdict = f"< 2 GiB ({'met' if rss < MEMORY_TARGET else 'MISSED'})"
    rows = [
        ("scale, seed", f"`{scale}`, {seed}", ""),
        *[(label, f"{value:,}", "") for label, value in counts.items()],
        ("wall time of `dangvien demo`", _duration(seconds), time_verdict),
        ("member records per second", f"{counts['member records'] / seconds:,.0f}", ""),
        ("peak RSS of the child", _size(rss), memory_verdict),
        ("database size after the load", _size(size), ""),
    ]
    return [
        Result(
            name="demo",
            key=f"demo-{scale}" + ("-postgresql" if postgres else ""),
            title=f"Demo dataset, scale `{scale}`" + (", PostgreSQL" if postgres else ""),
            rows=rows,
            notes=[
                "Time excludes `migrate` (run first, untimed) and includes the demo accounts.",
                "Includes planning, generation, writing, index upkeep and the closing ANALYZE.",
            ],
            database=scratch.label,
        )
    ]


def child_on_demo(options: Any, name: str, module: str) -> tuple[dict[str, Any], str]:
    """Run `python -m MODULE --child` on a loaded demo database: the one in `--reuse DIR`
    (migrated first), else a scratch one loaded at `--scale`. Its JSON output and the database."""
    with demo_database(options, name) as (env, label):
        return _child_json(env, name, module), label


@contextlib.contextmanager
def demo_database(options: Any, name: str) -> Iterator[tuple[dict[str, str], str]]:
    """The environment of a loaded demo database and its label: `--reuse DIR` (migrated first),
    else a scratch SQLite one loaded at `--scale` (removed after, unless `--keep`)."""
    reuse = getattr(options, "reuse", None)
    if reuse:
        env = {**os.environ, "DANGVIEN_VAR": reuse}
        env.pop("DATABASE_URL", None)
        run_child(["migrate", "--noinput", "-v0"], env)
        yield env, f"reused {options.scale} database"
        return
    with sqlite_scratch(options.keep) as scratch:
        print(f"{name}: loading scale {options.scale} into a scratch database …", flush=True)
        run_child(["migrate", "--noinput", "-v0"], scratch.env)
        run_child(["demo", "--scale", options.scale, "--seed", str(options.seed)], scratch.env)
        yield scratch.env, scratch.label


def _child_json(env: dict[str, str], name: str, module: str) -> dict[str, Any]:
    print(f"{name}: measuring …", flush=True)
    done = subprocess.run(
        [sys.executable, "-m", module, "--child"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{name} measurement failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])
