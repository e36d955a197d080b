"""Fixtures of the browser tests (see tests/browser/support.py)."""

from tests.browser.support import page, prepared_var, server, worker

__all__ = ["page", "prepared_var", "server", "worker"]
