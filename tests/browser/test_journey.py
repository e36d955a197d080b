"""A cell secretary's journey in headless Chromium against the real production server.

gunicorn serves the app with DEBUG off, a scratch SQLite database and collected static files, as
in production (not pytest-django's live_server: the audit table's append-only trigger would stop
its flush). Screenshots of a phone-size screen go to test-artifacts/.
"""

from __future__ import annotations

import json
import os
import re
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

pytestmark = [
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


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    var = tmp_path_factory.mktemp("dangvien-var")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env.update(
        DANGVIEN_VAR=str(var),
        DEBUG="0",
        DJANGO_SETTINGS_MODULE="dangvien.settings",
        PYTHONPATH=str(ROOT / "src"),
    )
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
    page.wait_for_url("**/to-chuc/")


def test_secretary_journey(page: Any, server: Server) -> None:
    from playwright.sync_api import expect

    page.goto(server.url + "/")
    expect(page).to_have_url(f"{server.url}/dang-nhap/?next=/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    shot(page, "01-dang-nhap")

    log_in(page, server, "bithu")
    expect(page.get_by_text("Ngô Thị Lan")).to_be_visible()
    expect(page.get_by_text("Bí thư chi bộ")).to_be_visible()
    cell = page.get_by_role("link", name="Chi bộ Khu dân cư số 1")
    expect(cell).to_contain_text("5 đảng viên")
    expect(page.get_by_text("Chi bộ Khu dân cư số 2")).to_have_count(0)
    shot(page, "02-to-chuc")

    cell.click()
    page.wait_for_url(f"**/to-chuc/{server.ids['cell_a']}/")
    rows = page.locator("table.members tbody tr")
    expect(rows).to_have_count(5)
    # Vietnamese order: by given name, then middle, then family name (An < Ánh < Bình …).
    expect(rows.locator("th")).to_have_text(
        ["Nguyễn Văn An", "Phạm Văn Ánh", "Trần Thị Bình", "Đỗ Đức Đạt", "Lê Thị Hồng Nhung"]
    )
    shot(page, "03-danh-sach")

    page.get_by_label("Tìm đảng viên").press_sequentially("nguyen van an", delay=30)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Nguyễn Văn An")
    # The search is in the address: back, reload and sharing keep it.
    expect(page).to_have_url(re.compile(r"\?q=nguyen(\+|%20)van(\+|%20)an"))
    shot(page, "04-tim-kiem")
    page.locator("#ket-qua").scroll_into_view_if_needed()
    shot(page, "04-tim-kiem-ket-qua")

    page.get_by_role("link", name="Nguyễn Văn An").click()
    page.wait_for_url(f"**/dang-vien/{server.ids['member_a']}/")
    expect(page.get_by_role("heading", name="Nguyễn Văn An", level=1)).to_be_visible()
    expect(page.locator(".facts dd", has_text="001048001234")).to_be_visible()
    expect(page.get_by_role("heading", name="Lịch sử hồ sơ")).to_be_visible()
    expect(page.locator(".trail-view").first).to_contain_text("Ngô Thị Lan")
    shot(page, "05-ho-so")
    shot(page, "05-ho-so-ca-trang", full_page=True)

    response = page.goto(f"{server.url}/dang-vien/{server.ids['member_b']}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Không tìm thấy trang")).to_be_visible()
    expect(page.get_by_text("Hoàng Văn Cường")).to_have_count(0)
    shot(page, "06-khong-tim-thay")

    page.goto(f"{server.url}/to-chuc/")
    html = page.locator("html")
    expect(html).to_have_class("text-normal")
    page.get_by_role("button", name="Chữ to hơn").click()
    expect(html).to_have_class("text-large")
    page.reload()
    expect(html).to_have_class("text-large")
    shot(page, "07-chu-lon")

    page.get_by_role("button", name="Tương phản cao").click()
    page.reload()
    expect(html).to_have_class("text-large contrast-high")
    expect(page.get_by_role("button", name="Tương phản cao")).to_have_attribute(
        "aria-pressed", "true"
    )
    shot(page, "08-tuong-phan-cao")

    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/dang-nhap/")


def test_tree_opens_and_closes_nodes_on_demand(page: Any, server: Server) -> None:
    from playwright.sync_api import expect

    log_in(page, server, "quanuy")
    # The single root (the district) is open; its grassroots committee loads on demand.
    toggle = page.get_by_role("button", name="Các tổ chức trực thuộc Đảng bộ phường Kim Mã")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="Chi bộ Khu dân cư số 2")).to_be_visible()
    expect(page.get_by_role("link", name="Chi bộ Khu dân cư số 1")).to_contain_text("5 đảng viên")
    shot(page, "09-cay-mo-rong")
    toggle.click()
    expect(page.get_by_role("link", name="Chi bộ Khu dân cư số 2")).to_be_hidden()
    toggle.click()
    expect(page.get_by_role("link", name="Chi bộ Khu dân cư số 2")).to_be_visible()
