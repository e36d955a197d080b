"""Fixtures of the browser tests (see tests/browser/support.py)."""

from tests.browser.support import page, server

__all__ = ["page", "server"]
