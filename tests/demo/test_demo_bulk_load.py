"""`dangvien demo` into a real SQLite file, outside a test transaction, so the bulk-load settings
apply (demo/writer.py `fast_load`): afterwards the file is as a migrated database expects."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the bulk-load settings are SQLite's"
)


def dangvien(var: Path, *args: str) -> None:
    env = {**os.environ, "DANGVIEN_VAR": str(var)}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "dangvien", *args], env=env, check=True, timeout=300)


def schema(path: Path) -> list[tuple[str, str]]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
        ).fetchall()


def test_the_loaded_file_keeps_every_index_wal_and_sound_foreign_keys(tmp_path):
    database = tmp_path / "dangvien.sqlite3"
    dangvien(tmp_path, "migrate", "--noinput", "-v0")
    migrated = schema(database)
    assert any(name == "members_namekey_words" for name, _sql in migrated)

    dangvien(tmp_path, "demo", "--scale", "tiny")

    assert schema(database) == migrated
    with contextlib.closing(sqlite3.connect(database)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        members = db.execute("SELECT COUNT(*) FROM members_member").fetchone()[0]
        keys = db.execute(
            "SELECT COUNT(*) FROM members_namekey INDEXED BY members_namekey_key"
        ).fetchone()[0]
    assert members > 0
    assert keys >= members
