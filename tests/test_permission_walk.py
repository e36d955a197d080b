"""The permission walk: every URL pattern and API route, requested as every persona.

Generated, not hand-picked: the routes come from the URL resolver and the API's OpenAPI schema,
their expectations from tests/walk/declarations.py (a kind and an action per route), what each
persona may reach by that action from the hand-written oracle in tests/walk/oracle.py. A route
nobody declared, or declared without an action its kind can walk, fails the walk, so a new view
is covered the day it is added.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from tests.walk.declarations import SERVICES_ONLY, Declared, declared_operation, declared_pattern
from tests.walk.kinds import LEVELS, MEMBERS, ORGS, Check
from tests.walk.oracle import ACTIONS
from tests.walk.routes import api_operations, openapi_path, url_patterns

from dangvien.accounts.access import POLICY

PATTERNS = url_patterns()
OPERATIONS = api_operations()
OPERATION_PATHS = {operation.path for operation in OPERATIONS}
HINT = "declare its kind and action in tests/walk/declarations.py"


def _is_api_operation(pattern: Any) -> bool:
    return (
        pattern.name is not None
        and pattern.name.startswith("api:")
        and (openapi_path(pattern) in OPERATION_PATHS)
    )


def _routes() -> dict[str, Declared]:
    routes: dict[str, Declared] = {}
    for pattern in PATTERNS:
        declared = None if _is_api_operation(pattern) else declared_pattern(pattern)
        if declared is not None:
            routes[pattern.key] = declared
    for operation in OPERATIONS:
        declared = declared_operation(operation)
        if declared is not None:
            routes[operation.key] = declared
    return routes


ROUTES = _routes()


def test_every_url_pattern_is_declared():
    missing = [
        pattern.key
        for pattern in PATTERNS
        if not _is_api_operation(pattern) and declared_pattern(pattern) is None
    ]
    assert not missing, (
        f"new view not covered by the permission walk: {', '.join(missing)} ({HINT})"
    )


def test_every_api_route_is_declared():
    missing = [op.key for op in OPERATIONS if declared_operation(op) is None]
    assert not missing, (
        f"new view not covered by the permission walk: {', '.join(missing)} ({HINT})"
    )


def test_every_route_declares_an_action_its_kind_walks():
    policy_actions = {action for _model, action in POLICY}
    unknown = {
        route: declared.action
        for route, declared in ROUTES.items()
        if declared.action not in policy_actions | LEVELS
    }
    assert not unknown, f"actions neither the policy's nor an access level: {unknown}"
    mismatched = {
        route: (type(declared.kind).__name__, declared.action)
        for route, declared in ROUTES.items()
        if not declared.kind.accepts(declared.action)
    }
    assert not mismatched, (
        f"kinds that cannot walk their declared action: {mismatched} (a kind about the tree "
        "takes a policy action of its model; any other kind, its own access level)"
    )


def test_every_action_on_nodes_and_records_is_walked_or_said_why_not():
    walked = {
        (declared.kind.model, declared.action)
        for declared in ROUTES.values()
        if declared.kind.model is not None
    }
    tree_actions = {key for key in POLICY if key[0] in {ORGS, MEMBERS}}
    unwalked = tree_actions - walked - set(SERVICES_ONLY)
    assert not unwalked, (
        f"no route declares {sorted(unwalked)}: declare one or list it in SERVICES_ONLY"
    )
    stale = set(SERVICES_ONLY) & walked
    assert not stale, f"listed in SERVICES_ONLY but walked by a route: {sorted(stale)}"
    assert set(SERVICES_ONLY) <= tree_actions


def test_the_oracle_has_a_table_for_every_action_of_the_policy():
    assert set(ACTIONS) == set(POLICY)


def test_the_walk_sees_the_admin_and_the_api():
    """Guard against a walk that silently finds nothing."""
    assert "admin:index" in ROUTES
    assert "GET /api/v1/members/{member_id}" in ROUTES


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_permission_walk(route, world):
    declared = ROUTES[route]
    clients: dict[str, Client] = {}
    failures = [
        failure
        for check in declared.kind.checks(world, declared.url, declared.action)
        if (failure := _run(check, _client(clients, world, check.persona)))
    ]
    assert not failures, f"{route}: {len(failures)} wrong answers\n" + "\n".join(failures)


def _client(clients: dict[str, Client], world: Any, persona: str) -> Client:
    if persona not in clients:
        client = Client()
        user = world.users[persona]
        if user is not None:
            client.force_login(user)
        clients[persona] = client
    return clients[persona]


def _run(check: Check, client: Client) -> str | None:
    form = {"data": check.data()} if check.data is not None else {}
    response = getattr(client, check.method)(check.url, **form)
    where = response.headers.get("Location", "")
    said = f"{check.persona:>11} {check.method.upper()} {check.url} → {response.status_code}"
    if response.status_code != check.status:
        return f"{said}{f' ({where})' if where else ''}, expected {check.status}"
    if check.location is not None and not where.startswith(check.location()):
        return f"{said} to {where!r}, expected a redirect to {check.location()!r}"
    if check.logs_out and "_auth_user_id" in client.session:
        return f"{said}, but the user is still logged in"
    return None
