"""The member home page under load: 50 signed-in members at once on `/so-tay/` (the handbook feed).

Uses a loaded database (`--reuse DIR`, a DANGVIEN_VAR directory) or loads the demo into a scratch
one. A child with Django set up (`python -m bench.load --child`) opens the accounts of 50 members,
each in a different cell spread over the tree, through the activation services (a code issued by
the demo administrator, then the member's chosen password), and times one feed of each in process
(queries, CPU). Then gunicorn serves the database as `make run` does (DEBUG off, collected static
files, an access log), each member signs in with a real login POST (CCCD and password), and wrk
(`scripts/ensure-wrk` installs it) drives `/so-tay/` with 50 connections, the members' cookies
rotating across requests (bench/load.lua): a warm-up, then a paced run (each connection pauses
between pages, as members reading: the target's run) and a saturating one (no pause: the
capacity). A response that is not 200 or not the feed is counted as an error. The server's CPU
(master and workers, from /proc) and the whole machine's are read around each measured run, so a
busy machine shows in the figures.
A reused database keeps the 50 accounts (with a new password each run) and their sessions.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench import ROOT, Result, benchmark
from bench.demo import _child_json, demo_database, run_child

MEMBERS = 50
CONNECTIONS = 50
WARMUP_SECONDS = 5
SECONDS = 30
# gunicorn on 2 cores: sync workers (one request at a time each, no keep-alive), as `make run`.
WORKERS = 3
THINK_MS = 150  # paced run: mean pause of a connection between pages
TARGET_RATE = 300.0  # requests per second
TARGET_P95 = 0.100  # seconds
FEED = "/so-tay/"
MARKER = "<h1>Sổ tay đảng viên</h1>"  # only the feed itself has it (not the login page)
PASSWORD_ENV = "BENCH_LOAD_PASSWORD"
TICKS = os.sysconf("SC_CLK_TCK")


# --- The child: accounts and the in-process figures ---------------------------------------------


def child() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvien.settings")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dangvien.accounts.models import User
    from dangvien.members.activation import activation_complete, activation_issue
    from dangvien.members.models import IN_PARTY, Member
    from dangvien.orgs.models import Organization

    password = os.environ[PASSWORD_ENV]
    admin = User.objects.get(username="admin")
    cells = list(
        Organization.objects.filter(level__holds_members=True, dissolved_on__isnull=True)
        .order_by("path")
        .values_list("pk", flat=True)
    )
    step = max(1, len(cells) // MEMBERS)
    members: list[Any] = []
    for start in range(0, len(cells), step):
        if len(members) == MEMBERS:
            break
        # The first member in the Party with a CCCD in this cell or, if none, the next cells.
        for cell in cells[start : start + step]:
            member = (
                Member.objects.filter(org_id=cell, status__in=IN_PARTY)
                .exclude(citizen_id="")
                .order_by("pk")
                .first()
            )
            if member is not None:
                members.append(member)
                break
    accounts = []
    for member in members:
        code = activation_issue(acting_user=admin, member=member)
        activation_complete(identifier=member.citizen_id, code=code, password=password)
        accounts.append({"identifier": member.citizen_id, "name": member.full_name})

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    cpu, queries, sizes = [], [], []
    for member in members:
        client = Client()
        client.force_login(User.objects.get(member=member))
        client.get(FEED)  # the first of the day records the visit
        for _ in range(3):
            with CaptureQueriesContext(connection) as captured:
                started = time.process_time()
                response = client.get(FEED)
                cpu.append(time.process_time() - started)
            assert response.status_code == 200 and MARKER in response.content.decode()
            queries.append(len(captured.captured_queries))
            sizes.append(len(response.content))
    print(
        json.dumps(
            {
                "accounts": accounts,
                "cells": len({m.org_id for m in members}),
                "cpu": [statistics.median(cpu), _p95(cpu)],
                "queries": [min(queries), max(queries)],
                "bytes": statistics.median(sizes),
            }
        )
    )


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


# --- The server and the load --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def gunicorn(env: dict[str, str], port: int, workers: int, logs: Path) -> Iterator[int]:
    """gunicorn serving the database as `make run` does (its access log and errors in `logs`);
    its master's pid while it runs."""
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "dangvien.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        str(logs / "access.log"),
        "--forwarded-allow-ips",
        "127.0.0.1",
    ]
    errors = logs / "gunicorn.log"
    with errors.open("w") as stderr:
        server = subprocess.Popen(command, env=env, cwd=ROOT, stderr=stderr)
    with _serving(server, "gunicorn", port, errors, 60):
        yield server.pid


@contextlib.contextmanager
def _serving(
    server: subprocess.Popen[bytes], name: str, port: int, log: Path, seconds: int
) -> Iterator[None]:
    """Wait until `server` answers the sign-in page on `port` (its log shown if it stops), and
    stop it after, killed if it does not stop within 30 s."""
    try:
        deadline = time.monotonic() + seconds
        while True:
            if server.poll() is not None:
                raise SystemExit(f"{name} stopped:\n{log.read_text()}")
            with contextlib.suppress(OSError):
                if _get(port, "/dang-nhap/", "")[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise SystemExit(f"{name} did not answer within {seconds} s:\n{log.read_text()}")
            time.sleep(0.2)
        yield
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


NGINX_CONF = """worker_processes 1;
pid {scratch}/nginx.pid;
error_log {scratch}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {scratch}/nginx-body;
  proxy_temp_path {scratch}/nginx-proxy;
  fastcgi_temp_path {scratch}/nginx-fastcgi;
  uwsgi_temp_path {scratch}/nginx-uwsgi;
  scgi_temp_path {scratch}/nginx-scgi;
  server {{
    listen 127.0.0.1:{front};
    keepalive_timeout 65;
    location / {{
      proxy_pass http://127.0.0.1:{upstream};
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
    }}
  }}
}}
"""


@contextlib.contextmanager
def nginx(front: int, upstream: int, scratch: Path) -> Iterator[int]:
    """Debian's nginx in front of gunicorn, as docs/operations.md sets up production: it keeps
    the members' connections open between pages and hands gunicorn whole requests. Its pid."""
    conf = scratch / "nginx.conf"
    conf.write_text(NGINX_CONF.format(scratch=scratch, front=front, upstream=upstream))
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    server = subprocess.Popen([binary, "-c", str(conf), "-g", "daemon off;"])
    with _serving(server, "nginx", front, scratch / "nginx-error.log", 30):
        yield server.pid


def _get(port: int, path: str, cookie: str) -> tuple[int, dict[str, str], str, list[str]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        body = response.read().decode()
        return (
            response.status,
            dict(response.getheaders()),
            body,
            response.msg.get_all("Set-Cookie") or [],
        )
    finally:
        connection.close()


def sign_in(port: int, identifier: str, password: str) -> str:
    """A real sign-in: the login page (its CSRF cookie and token), then the POST; the Cookie
    header of the signed-in member (session and CSRF cookies, as a browser keeps them)."""
    jar: dict[str, str] = {}

    def keep(set_cookies: list[str]) -> None:
        for raw in set_cookies:
            for name, morsel in SimpleCookie(raw).items():
                jar[name] = morsel.value

    status, _headers, body, cookies = _get(port, "/dang-nhap/", "")
    keep(cookies)
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or found is None:
        raise SystemExit(f"the login page answered {status} without a CSRF token")
    form = urlencode(
        {"username": identifier, "password": password, "csrfmiddlewaretoken": found.group(1)}
    )
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(
            "POST",
            "/dang-nhap/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
                "Origin": f"http://127.0.0.1:{port}",
                "Referer": f"http://127.0.0.1:{port}/dang-nhap/",
            },
        )
        response = connection.getresponse()
        response.read()
        keep(response.msg.get_all("Set-Cookie") or [])
        if response.status != 302 or "sessionid" not in jar:
            raise SystemExit(f"signing in as {identifier} answered {response.status}")
    finally:
        connection.close()
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def _cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        with contextlib.suppress(FileNotFoundError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def _server_pids(master: int) -> list[int]:
    """gunicorn's master and its workers."""
    pids = [master]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(stat.parent.name))
    return pids


def _machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, all cores."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / TICKS, sum(fields[:8]) / TICKS


def wrk(port: int, cookies: Path, seconds: int, think_ms: int) -> tuple[dict[str, Any], float]:
    """One wrk run on the feed; its figures and the CPU seconds wrk itself used."""
    command = [
        "wrk",
        "--threads",
        "2",
        "--connections",
        str(CONNECTIONS),
        "--duration",
        f"{seconds}s",
        "--timeout",
        "10s",
        "--script",
        str(ROOT / "bench" / "load.lua"),
        f"http://127.0.0.1:{port}{FEED}",
        "--",
        str(cookies),
        MARKER,
        str(think_ms),
    ]
    with tempfile.TemporaryFile("w+") as output:
        child = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(child.pid, 0)
        output.seek(0)
        text = output.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"wrk failed:\n{text}")
    line = [row for row in text.splitlines() if row.startswith("{")][-1]
    return json.loads(line), usage.ru_utime + usage.ru_stime


@benchmark("load", "load: the member home page (/so-tay/) under 50 signed-in members at once")
def run(options: Any) -> list[Result]:
    for tool in ("wrk", "nginx"):
        if subprocess.run(
            ["bash", str(ROOT / "scripts" / f"ensure-{tool}")], check=False
        ).returncode:
            raise SystemExit(f"load: {tool} is missing (see above)")
    workers = getattr(options, "workers", None) or WORKERS
    seconds = getattr(options, "seconds", None) or SECONDS
    password = f"bench-{secrets.token_urlsafe(12)}"
    runs: list[dict[str, Any]] = []
    with demo_database(options, "load") as (base_env, label):
        env = {**base_env, PASSWORD_ENV: password, "DEBUG": "0"}
        print(f"load: opening {MEMBERS} members' accounts …", flush=True)
        prepared = _child_json(env, "load (preparing the accounts)", "bench.load")
        run_child(["collectstatic", "--noinput", "-v0"], env)
        with tempfile.TemporaryDirectory(prefix="dangvien-load-") as scratch:
            port = _free_port()
            with gunicorn(env, port, workers, Path(scratch)) as master:
                print(f"load: {MEMBERS} sign-ins on gunicorn ({workers} workers) …", flush=True)
                cookies = [sign_in(port, a["identifier"], password) for a in prepared["accounts"]]
                for cookie, account in zip(cookies, prepared["accounts"], strict=True):
                    status, _h, body, _c = _get(port, FEED, cookie)
                    if status != 200 or MARKER not in body or account["name"] not in body:
                        raise SystemExit(f"the feed of {account['name']} answered {status}")
                cookie_file = Path(scratch) / "cookies.txt"
                cookie_file.write_text("\n".join(cookies) + "\n")
                pids = _server_pids(master)
                front = _free_port()
                with nginx(front, port, Path(scratch)) as proxy:
                    runs += _layout(NGINX, front, cookie_file, seconds, pids, [proxy])
                runs += _layout(DIRECT, port, cookie_file, seconds, pids, [])
    return [_result(runs, prepared, workers, seconds, options.scale, label)]


NGINX = "behind nginx (production)"
DIRECT = "gunicorn alone (make run)"


def _layout(
    layout: str, port: int, cookies: Path, seconds: int, pids: list[int], proxy: list[int]
) -> list[dict[str, Any]]:
    """Warm-up, then the paced and the saturating run, on `port`."""
    print(f"load, {layout}: warm-up {WARMUP_SECONDS} s …", flush=True)
    wrk(port, cookies, WARMUP_SECONDS, 0)
    runs = []
    for think in (THINK_MS, 0):
        how = f"{think} ms between pages" if think else "no pause"
        print(f"load, {layout}: {seconds} s, {CONNECTIONS} connections, {how} …", flush=True)
        runs.append({**_measured(port, cookies, seconds, think, pids, proxy), "layout": layout})
    return runs


def _measured(
    port: int, cookies: Path, seconds: int, think: int, pids: list[int], proxy: list[int]
) -> dict[str, Any]:
    """A wrk run with the CPU the server, its proxy, wrk and the whole machine used meanwhile."""
    load = os.getloadavg()[0]
    proxies = [pid for master in proxy for pid in _server_pids(master)]
    server_before, proxy_before = _cpu_seconds(pids), _cpu_seconds(proxies)
    busy_before, _total = _machine_busy()
    figures, wrk_cpu = wrk(port, cookies, seconds, think)
    server = _cpu_seconds(pids) - server_before
    proxy_cpu = _cpu_seconds(proxies) - proxy_before
    busy = _machine_busy()[0] - busy_before
    return {
        **figures,
        "think": think,
        "load": load,
        "server": server,
        "proxy": proxy_cpu,
        "wrk": wrk_cpu,
        "others": max(0.0, busy - server - proxy_cpu - wrk_cpu),
    }


def _ms(microseconds: float) -> str:
    return f"{microseconds / 1000:.1f} ms"


def _rows(run: dict[str, Any], seconds: int) -> list[tuple[str, str, str]]:
    duration = run["duration_us"] / 1e6
    rate = run["requests"] / duration
    sockets = run["connect_errors"] + run["read_errors"] + run["write_errors"]
    errors = run["not_200"] + run["not_page"] + sockets + run["timeouts"]
    p95 = run["p95_us"] / 1e6
    paced = run["think"] > 0
    target = paced and run["layout"] == NGINX
    what = f"{run['layout']}, " + (
        f"paced, {run['think']} ms mean pause" if paced else "saturating, no pause"
    )
    cores = os.cpu_count() or 1
    return [
        (
            f"{what}: requests per second",
            f"{rate:,.0f} ({run['requests']:,} in {duration:.1f} s)",
            f"≥ {TARGET_RATE:.0f} ({'met' if rate >= TARGET_RATE else 'MISSED'})" if target else "",
        ),
        (
            f"{what}: latency p50 / p95 / p99",
            " / ".join(_ms(run[k]) for k in ("p50_us", "p95_us", "p99_us")),
            f"p95 < 100 ms ({'met' if p95 < TARGET_P95 else 'MISSED'})" if target else "",
        ),
        (
            f"{what}: errors (not 200 / not the feed / socket / timeouts)",
            f"{run['not_200']} / {run['not_page']} / {sockets} / {run['timeouts']}",
            f"0 ({'met' if errors == 0 else 'MISSED'})",
        ),
        (
            f"{what}: server CPU per request",
            f"{run['server'] / max(1, run['requests']) * 1000:.2f} ms",
            "",
        ),
        (
            f"{what}: CPU used, server / nginx / wrk / other processes",
            f"{run['server'] / seconds:.2f} / {run['proxy'] / seconds:.2f} / "
            f"{run['wrk'] / seconds:.2f} / {run['others'] / seconds:.2f} cores of {cores} "
            f"(load average {run['load']:.2f})",
            "",
        ),
    ]


def _result(
    runs: list[dict[str, Any]],
    prepared: dict[str, Any],
    workers: int,
    seconds: int,
    scale: str,
    label: str,
) -> Result:
    cpu_median, cpu_p95 = prepared["cpu"]
    rows = [
        ("members signed in (cells)", f"{len(prepared['accounts'])} ({prepared['cells']})", ""),
        *[row for run in runs for row in _rows(run, seconds)],
        (
            "one feed in process: CPU median / p95, queries, size",
            f"{cpu_median * 1000:.1f} ms / {cpu_p95 * 1000:.1f} ms, "
            f"{prepared['queries'][0]}–{prepared['queries'][1]} queries, "
            f"{prepared['bytes'] / 1024:.1f} KiB",
            "",
        ),
    ]
    return Result(
        name="load",
        key=f"load-{scale}",
        title=f"Member home page under load, scale `{scale}`",
        rows=rows,
        notes=[
            f"gunicorn `dangvien.wsgi --workers {workers}` (sync workers, as `make run`, with its "
            "access log), DEBUG off, static files collected; wrk (2 threads, "
            f"{CONNECTIONS} connections) on the same machine: {WARMUP_SECONDS} s warm-up, then "
            f"{seconds} s paced and {seconds} s saturating, in two layouts: behind Debian's nginx "
            "(one worker process, keep-alive, proxying to gunicorn), as docs/operations.md sets "
            "up production, which the targets apply to; and gunicorn alone, as `make run` serves "
            "the demo.",
            "Alone, a sync worker that accepts a connection waits on it until its request comes, "
            "and wrk opens each connection before the pause (a browser's idle keep-alive or "
            "preconnected socket does the same): workers sit idle on waiting members while pages "
            "queue, so the paced run falls short although the CPU is not used up. nginx holds "
            "the waiting connections itself and hands gunicorn whole requests.",
            f"Paced: each connection pauses 0.5–1.5 × {THINK_MS} ms between a page and the next "
            "(members reading), which offers a little over 300 pages a second when answers are "
            "quick: the run meets the target if the server keeps up with it in time. "
            "Saturating: each connection asks again at once, which measures the capacity; with "
            f"{CONNECTIONS} requests always waiting its latency is {CONNECTIONS} ÷ requests per "
            "second (Little's law), queueing, not service time.",
            "Each member signed in by a real login POST (CCCD and password) after the activation "
            "services opened the account; each request is the next member's cookies "
            "(bench/load.lua); a 200 counts only if it is the feed page.",
            "The machine is shared: the CPU rows show what other processes used during each run.",
        ],
        database=label,
    )


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
