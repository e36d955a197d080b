"""Helpers of the API tests: a persona's API token."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dangvien.accounts.services import token_create


@pytest.fixture
def token_for(world) -> Callable[[str], str]:
    """A fresh API token of the persona."""

    def issue(persona: str) -> str:
        return token_create(acting_user=None, user=world.users[persona])

    return issue
