import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import formats, translation

from dangvien.core.env import env_bool, env_database, env_int, env_list, secret_key


def test_bad_boolean_names_the_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG", False)


@pytest.mark.parametrize("raw,expected", [("1", True), ("true", True), ("off", False), ("", False)])
def test_booleans_are_read(monkeypatch, raw, expected):
    monkeypatch.setenv("DEBUG", raw)
    assert env_bool("DEBUG", not expected) is expected


def test_bad_integer_names_the_variable(monkeypatch):
    monkeypatch.setenv("LOGIN_FAILURE_LIMIT", "five")
    with pytest.raises(ImproperlyConfigured, match="LOGIN_FAILURE_LIMIT"):
        env_int("LOGIN_FAILURE_LIMIT", 5)


def test_empty_host_list_is_refused(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " , ")
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        env_list("ALLOWED_HOSTS", ["localhost"])


def test_sqlite_is_the_default_in_wal_mode(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = env_database("DATABASE_URL", tmp_path / "db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "db.sqlite3")
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_postgres_url_selects_postgres(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@127.0.0.1:5432/dv")
    config = env_database("DATABASE_URL", tmp_path / "db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "dv"


def test_unsupported_database_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "mysql://u:p@localhost/dv")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env_database("DATABASE_URL", tmp_path / "db.sqlite3")


def test_secret_key_is_generated_once_and_kept(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = secret_key("SECRET_KEY", tmp_path / "secret_key")
    assert len(first) >= 50
    assert secret_key("SECRET_KEY", tmp_path / "secret_key") == first


def test_short_secret_key_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        secret_key("SECRET_KEY", tmp_path / "secret_key")


def test_numbers_and_dates_read_the_vietnamese_way():
    with translation.override("vi"):
        assert formats.number_format(457397, force_grouping=True) == "457.397"
        assert formats.number_format(85.39, decimal_pos=2) == "85,39"
        assert formats.date_format(dt.date(2018, 4, 3), "SHORT_DATE_FORMAT") == "03/04/2018"


def test_a_bad_regular_expression_names_its_variable(monkeypatch):
    from dangvien.core.env import env_regex

    monkeypatch.setenv("PARTY_CARD_PATTERN", "[0-9")
    with pytest.raises(ImproperlyConfigured, match="PARTY_CARD_PATTERN"):
        env_regex("PARTY_CARD_PATTERN", r"\d{8}")
    monkeypatch.setenv("PARTY_CARD_PATTERN", r"[A-Z]{2}\d{10}")
    assert env_regex("PARTY_CARD_PATTERN", r"\d{8}") == r"[A-Z]{2}\d{10}"
