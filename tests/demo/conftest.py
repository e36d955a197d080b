import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The demo makes nine accounts: Argon2 would spend seconds hashing their passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def scratch_var_dir(settings, tmp_path, monkeypatch):
    """The generated demo password goes to a scratch var/, never the developer's."""
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
