"""What the browser tests share: Debian's chromium driven by Playwright against gunicorn.

gunicorn serves the app with DEBUG off, a scratch SQLite database and collected static files, as
in production (not pytest-django's live_server: the audit table's append-only trigger would stop
its flush). Screenshots of a phone-size screen go to test-artifacts/.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
VENV_BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}

BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="Debian's chromium is not installed (/usr/bin/chromium): run `make browser`",
    ),
]


@dataclass
class Server:
    url: str
    ids: dict[str, int]
    password: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped with code {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/dang-nhap/", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer at {url} within {timeout}s")


def _server_env(var: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env.update(
        DANGVIEN_VAR=str(var),
        DEBUG="0",
        DJANGO_SETTINGS_MODULE="dangvien.settings",
        PYTHONPATH=str(ROOT / "src"),
    )
    return env


@pytest.fixture(scope="session")
def prepared_var(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """A var directory migrated, with static files collected and the journey's data seeded, made
    once per session; every module's server starts from a copy of it (about 20 s saved each)."""
    var = tmp_path_factory.mktemp("dangvien-template")
    env = _server_env(var)
    python = str(VENV_BIN / "python")

    def run(*args: str) -> str:
        done = subprocess.run(
            args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=180, check=False
        )
        assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    run(python, "-m", "dangvien", "migrate", "--noinput", "-v0")
    run(python, "-m", "dangvien", "collectstatic", "--noinput", "-v0")
    ids = json.loads(run(python, str(Path(__file__).with_name("seed.py"))).strip().splitlines()[-1])
    return var, ids


def seeded_copy(
    prepared: tuple[Path, dict[str, int]],
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    seed: str,
) -> tuple[Path, dict[str, int]]:
    """A copy of the session's var directory for one module's server, with `seed` (a Python
    script printing a JSON object of ids as its last line) run in it: its ids join the others."""
    template, ids = prepared
    var = tmp_path_factory.mktemp(name)
    shutil.copytree(template, var, dirs_exist_ok=True)
    done = subprocess.run(
        [str(VENV_BIN / "python"), "-c", seed],
        env=_server_env(var),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return var, {**ids, **json.loads(done.stdout.strip().splitlines()[-1])}


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, prepared_var: tuple[Path, dict[str, int]]
) -> Iterator[Server]:
    template, ids = prepared_var
    var = tmp_path_factory.mktemp("dangvien-var")
    shutil.copytree(template, var, dirs_exist_ok=True)
    env = _server_env(var)
    from tests.browser.seed import PASSWORD

    port = _free_port()
    log = (var / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        [
            *(str(VENV_BIN / "gunicorn"), "dangvien.wsgi", "--bind", f"127.0.0.1:{port}"),
            *("--workers", "2", "--access-logfile", "-"),
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process)
        yield Server(url, ids, PASSWORD)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def worker(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """`dangvien worker` (background tasks) on the module's server database (its var directory:
    the newest one)."""
    var = max(tmp_path_factory.getbasetemp().glob("dangvien-var*"), key=lambda p: p.stat().st_mtime)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env.update(
        DANGVIEN_VAR=str(var),
        DJANGO_SETTINGS_MODULE="dangvien.settings",
        PYTHONPATH=str(ROOT / "src"),
        TASKS_INLINE="0",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "dangvien", "worker", "--poll", "0.2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def page(server: Server) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True, locale="vi-VN"
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        # No network beyond the server: a request elsewhere (a CDN) fails the test.
        outside: list[str] = []
        page.on(
            "request",
            lambda request: (
                None if request.url.startswith(server.url) else outside.append(request.url)
            ),
        )
        yield page
        assert outside == [], f"requests outside the server: {outside}"
        browser.close()


def shot(page: Any, name: str, full_page: bool = False) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def log_in(page: Any, server: Server, username: str) -> None:
    page.goto(server.url + "/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(server.password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)
