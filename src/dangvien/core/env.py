"""Typed settings from the environment: a bad value stops start-up naming the variable."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean: use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name} is set but names nothing: give a comma-separated list.")
    return items


def env_regex(name: str, default: str) -> str:
    """A regular expression; one that does not compile stops start-up."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        re.compile(raw)
    except re.error as error:
        message = f"{name}={raw!r} is not a regular expression: {error}."
        raise ImproperlyConfigured(message) from None
    return raw


def env_database(name: str, default_sqlite: Path) -> dict[str, Any]:
    """DATABASE_URL as a Django DATABASES entry; SQLite gets WAL and immediate transactions."""
    import dj_database_url

    raw = os.environ.get(name, "").strip()
    if not raw:
        default_sqlite.parent.mkdir(parents=True, exist_ok=True)
        raw = f"sqlite:///{default_sqlite}"
    try:
        config: dict[str, Any] = dict(
            dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
        )
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a database URL (sqlite:///path or postgres://…): {exc}"
        ) from None
    engine = str(config.get("ENGINE", ""))
    if engine.endswith("sqlite3"):
        # Connections persist as PostgreSQL's do (conn_max_age above): opening one per request
        # re-reads the schema and starts with an empty page cache (~2 ms of CPU a request).
        # A file needs no health check.
        config.pop("CONN_HEALTH_CHECKS", None)
        config["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                "PRAGMA busy_timeout=5000; PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
        config["TEST"] = {"NAME": None}
    elif "postgresql" not in engine:
        raise ImproperlyConfigured(
            f"{name}: only SQLite and PostgreSQL are supported, not {engine}."
        )
    return config


def secret_key(name: str, keep_in: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in var/."""
    raw = os.environ.get(name, "").strip()
    if raw:
        if len(raw) < 32:
            raise ImproperlyConfigured(f"{name} is too short: use at least 32 random characters.")
        return raw
    if keep_in.exists():
        return keep_in.read_text().strip()
    keep_in.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    keep_in.write_text(key)
    keep_in.chmod(0o600)
    return key
