"""Enumerating what the walk must cover: every URL pattern and every API operation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from dangvien.api.v1 import api


@dataclass(frozen=True)
class Pattern:
    route: str  # the full route as written, e.g. "quan-tri/auth/group/<path:object_id>/"
    name: str | None  # qualified with its namespaces, e.g. "admin:auth_group_change"

    @property
    def key(self) -> str:
        return self.name or self.route


@dataclass(frozen=True)
class Operation:
    method: str  # "GET", "POST" …
    path: str  # as in the OpenAPI schema, e.g. "/api/v1/orgs/{org_id}"

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


def url_patterns() -> list[Pattern]:
    """Every URL pattern of the project, nested includes (admin, API) walked recursively."""
    found: list[Pattern] = []

    def walk(entries: list[Any], prefix: str, namespaces: tuple[str, ...]) -> None:
        for entry in entries:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
                walk(entry.url_patterns, route, inner)
            elif isinstance(entry, URLPattern):
                name = ":".join((*namespaces, entry.name)) if entry.name else None
                found.append(Pattern(route, name))

    walk(get_resolver().url_patterns, "", ())
    return found


def api_operations() -> list[Operation]:
    """Every operation of the ninja API, from its OpenAPI schema."""
    schema = api.get_openapi_schema()
    return [
        Operation(method.upper(), path)
        for path, methods in schema["paths"].items()
        for method in methods
    ]


def openapi_path(pattern: Pattern) -> str:
    """'api/v1/orgs/<org_id>' → '/api/v1/orgs/{org_id}': where an operation's pattern is found."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", pattern.route)


def fill(path: str, *args: Any) -> str:
    """Put `args` into the {placeholders} of an OpenAPI path, in order."""
    values = iter(args)
    return re.sub(r"\{\w+\}", lambda _: str(next(values)), path)
