"""Fixtures of the browser tests (see tests/browser/support.py)."""

from tests.browser.support import page, server, worker

__all__ = ["page", "server", "worker"]
