"""Route kinds: for a route of each kind, what every persona must get.

A kind turns (world, url maker) into checks; `url(*args)` builds the route's URL for its
arguments (an org id, a member id, an object's pk …).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from django.conf import settings
from django.contrib import admin
from django.db.models import Model
from django.shortcuts import resolve_url
from django.test import RequestFactory
from django.urls import reverse
from tests.walk.oracle import (
    ALL_MEMBERS,
    ALL_ORGS,
    PERSONAS,
    REPORT_ORGS,
    STAFF,
    VISIBLE_MEMBERS,
    VISIBLE_ORGS,
)

UrlMaker = Callable[..., str]
MISSING_ID = 987654321  # an id no world object has: must answer exactly like out of scope


@dataclass(frozen=True)
class Check:
    persona: str
    url: str
    status: int
    method: str = "get"
    location: Callable[[], str] | None = None  # the redirect must start with this
    logs_out: bool = False  # after the request, the persona is no longer logged in


def login_url() -> str:
    return resolve_url(settings.LOGIN_URL)


def admin_login_url() -> str:
    return reverse("admin:login")


def admin_index_url() -> str:
    return reverse("admin:index")


class Kind:
    # The HTTP methods this kind knows how to walk (an API operation must use one of them).
    methods: ClassVar[tuple[str, ...]] = ("GET",)

    def checks(self, world: Any, url: UrlMaker) -> Iterator[Check]:
        raise NotImplementedError


@dataclass(frozen=True)
class Public(Kind):
    """Anyone, logged in or not: 200 (the login page, the OpenAPI schema)."""

    def checks(self, world: Any, url: UrlMaker) -> Iterator[Check]:
        for persona in PERSONAS:
            yield Check(persona, url(), 200)


@dataclass(frozen=True)
class Fixed(Kind):
    """Everyone gets the same status (e.g. a root that only exists to be reversed: 404)."""

    status: int

    def checks(self, world: Any, url: UrlMaker) -> Iterator[Check]:
        for persona in PERSONAS:
            yield Check(persona, url(), self.status)


@dataclass(frozen=True)
class RedirectsEveryone(Kind):
    """Anonymous: to the login page; logged in: elsewhere (the home page sends each user on)."""

    def checks(self, world: Any, url: UrlMaker) -> Iterator[Check]:
        for persona in PERSONAS:
            where = login_url if persona == "anonymous" else None
            yield Check(persona, url(), 302, location=where)


@dataclass(frozen=True)
class LoginRequired(Kind):
    """Anonymous: 302 to the login page; everyone logged in: 200."""

    def checks(self, world: Any, url: UrlMaker) -> Iterator[Check]:
        for persona in PERSONAS:
            if persona == "anonymous":
                yield Check(persona, url(), 302, location=login_url)
            else:
                yield Check(persona, url(), 200)


@dataclass(frozen=True)
class PostOnly(Kind):
    """GET: 405 for everyone. POST: redirect, and the session is over (logout)."""

    def checks(self, world: Any, url: UrlMaker) -> Iterator[Check]:
        for persona in PERSONAS:
            yield Check(persona, url(), 405)
            yield Check(persona, url(), 302, method="post", logs_out=True)


def _scoped(
    world: Any, url: UrlMaker, names: frozenset[str], visible: dict[str, frozenset[str]]
) -> Iterator[tuple[str, str, bool]]:
    """(persona, url, in scope) for every world object of a type, then for a missing id."""
    for persona in PERSONAS:
        for name in sorted(names):
            yield persona, url(getattr(world, name).pk), name in visible[persona]
        yield persona, url(MISSING_ID), False


@dataclass(frozen=True)
class ObjectPage(Kind):
    """A page about one org or one member: anonymous → login; in scope → 200; else → 404."""

    of: str  # "org" or "member"

    def checks(self, world: Any, url: UrlMaker) -> Iterator[Check]:
        names, visible = _objects(self.of)
        for persona, target, in_scope in _scoped(world, url, names, visible):
            if persona == "anonymous":
                yield Check(persona, target, 302, location=login_url)
            else:
                yield Check(persona, target, 200 if in_scope else 404)


@dataclass(frozen=True)
class ApiList(Kind):
    """An API list: anonymous → 401; logged in → 200 (the list itself is scoped).

    With `org_param`, the list is also requested for every world org as `?<org_param>=<id>`:
    an org out of scope (or missing) → 404.
    """

    org_param: str | None = None

    def checks(self, world: Any, url: UrlMaker) -> Iterator[Check]:
        for persona in PERSONAS:
            yield Check(persona, url(), 401 if persona == "anonymous" else 200)
        if self.org_param is None:
            return
        names, visible = _objects("org")
        for persona, pk_url, in_scope in _scoped(
            world, _query(url, self.org_param), names, visible
        ):
            status = 401 if persona == "anonymous" else 200 if in_scope else 404
            yield Check(persona, pk_url, status)


@dataclass(frozen=True)
class ApiObject(Kind):
    """One org or member in the API: anonymous → 401; in scope → 200; else (or missing) → 404."""

    of: str

    def checks(self, world: Any, url: UrlMaker) -> Iterator[Check]:
        names, visible = _objects(self.of)
        for persona, target, in_scope in _scoped(world, url, names, visible):
            yield Check(
                persona, target, 401 if persona == "anonymous" else 200 if in_scope else 404
            )


@dataclass(frozen=True)
class ReportPage(Kind):
    """A report of one node: anonymous → login; those who see all its members → 200; else 404.

    `query` is added to the address; with `api`, the node is the `org` parameter of an API route
    and anonymous gets 401.
    """

    query: str = ""
    api: bool = False

    def checks(self, world: Any, url: UrlMaker) -> Iterator[Check]:
        def address(pk: Any) -> str:
            if self.api:
                return f"{url()}?org={pk}" + (f"&{self.query}" if self.query else "")
            return url(pk) + (f"?{self.query}" if self.query else "")

        for persona in PERSONAS:
            targets = [(address(getattr(world, n).pk), n in REPORT_ORGS[persona]) for n in ALL_ORGS]
            for target, in_scope in [*targets, (address(MISSING_ID), False)]:
                if persona == "anonymous":
                    if self.api:
                        yield Check(persona, target, 401)
                    else:
                        yield Check(persona, target, 302, location=login_url)
                else:
                    yield Check(persona, target, 200 if in_scope else 404)


@dataclass(frozen=True)
class Home(Kind):
    """Anonymous → login; those with a node to report on → its key figures; others → the tree."""

    def checks(self, world: Any, url: UrlMaker) -> Iterator[Check]:
        for persona in PERSONAS:
            if persona == "anonymous":
                yield Check(persona, url(), 302, location=login_url)
            else:
                yield Check(persona, url(), 200 if REPORT_ORGS[persona] else 302)


@dataclass(frozen=True)
class ReportHome(Kind):
    """Anonymous → login; one node to report on → straight to it (302); none → 200 explaining."""

    def checks(self, world: Any, url: UrlMaker) -> Iterator[Check]:
        for persona in PERSONAS:
            if persona == "anonymous":
                yield Check(persona, url(), 302, location=login_url)
            else:
                yield Check(persona, url(), 302 if REPORT_ORGS[persona] else 200)


def _no_args(world: Any) -> list[tuple[Any, ...]]:
    return [()]


@dataclass(frozen=True)
class StaffOnly(Kind):
    """Django admin: staff get `staff_status`; everyone else is sent to the admin login.

    `args(world)` lists the argument tuples to walk the URL with (e.g. every app label).
    """

    staff_status: int = 200
    args: Callable[[Any], list[tuple[Any, ...]]] = _no_args
    denied_location: Callable[[], str] = admin_login_url

    def checks(self, world: Any, url: UrlMaker) -> Iterator[Check]:
        for args in self.args(world):
            target = url(*args)
            for persona in PERSONAS:
                if persona in STAFF:
                    yield Check(persona, target, self.staff_status)
                else:
                    yield Check(persona, target, 302, location=self.denied_location)


@dataclass(frozen=True)
class AdminModelPage(Kind):
    """A standard page of a registered ModelAdmin, walked with an existing object.

    What staff get follows the ModelAdmin's own permissions (a read-only admin answers 403 on
    "add"); with no object of the model in the database a missing pk is used, which sends staff
    back to the index (302). Everyone else is sent to the admin login either way.
    """

    model: type[Model]
    page: str  # changelist, add, change, history, delete, or "redirect" (the bare object URL)

    def checks(self, world: Any, url: UrlMaker) -> Iterator[Check]:
        request = RequestFactory().get("/")
        request.user = world.users["admin"]
        staff_status, args = self._for_staff(admin.site._registry[self.model], request)
        walk = StaffOnly(staff_status=staff_status, args=lambda world: [args])
        yield from walk.checks(world, url)

    def _for_staff(self, model_admin: Any, request: Any) -> tuple[int, tuple[Any, ...]]:
        """What the superuser gets, and the URL's arguments."""
        if self.page == "changelist":
            return (200 if model_admin.has_view_or_change_permission(request) else 403), ()
        if self.page == "add":
            return (200 if model_admin.has_add_permission(request) else 403), ()
        obj = self.model._default_manager.order_by("pk").first()
        args = (obj.pk if obj is not None else MISSING_ID,)
        if self.page == "redirect":
            return 302, args
        allowed = (
            model_admin.has_delete_permission(request, obj)
            if self.page == "delete"
            else model_admin.has_view_or_change_permission(request, obj)
        )
        if not allowed:
            return 403, args
        return (200 if obj is not None else 302), args


@dataclass(frozen=True)
class AdminLogin(Kind):
    """The admin login form: shown to everyone but staff, who go straight to the index."""

    def checks(self, world: Any, url: UrlMaker) -> Iterator[Check]:
        for persona in PERSONAS:
            if persona in STAFF:
                yield Check(persona, url(), 302, location=admin_index_url)
            else:
                yield Check(persona, url(), 200)


def _objects(of: str) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    if of == "org":
        return ALL_ORGS, VISIBLE_ORGS
    if of == "member":
        return ALL_MEMBERS, VISIBLE_MEMBERS
    raise ValueError(f"unknown object type {of!r}")


def _query(url: UrlMaker, param: str) -> UrlMaker:
    def with_param(pk: Any) -> str:
        return f"{url()}?{param}={pk}"

    return with_param


TASK_OWNER = "secretary"


def owned_task(world: Any) -> Any:
    """A finished import check of the secretary's, with a result file to download."""
    from dangvien.jobs.models import Job
    from dangvien.jobs.registry import job_dir
    from dangvien.members.imports.tasks import VALIDATE

    task = Job.objects.create(
        kind=VALIDATE,
        title="Kiểm tra tệp ds.xlsx",
        owner=world.users[TASK_OWNER],
        status=Job.Status.DONE,
        result_name="bao-cao.xlsx",
        summary={"rows": 1, "blocking": 1},
        params={"filename": "ds.xlsx"},
    )
    job_dir(task).mkdir(parents=True, exist_ok=True)
    (job_dir(task) / "result").write_bytes(b"PK")
    return task


@dataclass(frozen=True)
class OwnTask(Kind):
    """A background task's page: anonymous → login (API: 401); its owner → 200; others → 404."""

    api: bool = False
    logged_in_status: int | None = None  # e.g. 405: a POST-only route refuses GET before looking
    method: str = "get"
    owner_status: int = 200  # e.g. 409: the walk's task (a check with errors) cannot be committed

    @property
    def methods(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.method.upper(),)

    def checks(self, world: Any, url: UrlMaker) -> Iterator[Check]:
        task = owned_task(world)
        for persona in PERSONAS:
            for target, mine in ((url(task.pk), persona == TASK_OWNER), (url(MISSING_ID), False)):
                if persona == "anonymous":
                    if self.api:
                        yield Check(persona, target, 401, method=self.method)
                    else:
                        yield Check(persona, target, 302, location=login_url)
                elif self.logged_in_status is not None:
                    yield Check(persona, target, self.logged_in_status)
                else:
                    status = self.owner_status if mine else 404
                    yield Check(persona, target, status, method=self.method)


@dataclass(frozen=True)
class ApiUpload(Kind):
    """A multipart POST: anonymous → 401; logged in, without the file → 422 (nothing started)."""

    methods: ClassVar[tuple[str, ...]] = ("POST",)

    def checks(self, world: Any, url: UrlMaker) -> Iterator[Check]:
        for persona in PERSONAS:
            yield Check(persona, url(), 401 if persona == "anonymous" else 422, method="post")
