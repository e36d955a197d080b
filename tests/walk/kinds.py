"""Route kinds: for a route of each kind, what every persona must get.

A kind turns (world, url maker, declared action) into checks; `url(*args)` builds the route's URL
for its arguments (an org id, a member id, an object's pk …). The action decides who may: a kind
about objects of the tree (its `model`) reads `oracle.ACTIONS[(model, action)]`, so the route's
declared action picks the hand-written table that is the truth; any other kind walks one of the
access levels below, which are not the policy's.
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
from tests.walk.oracle import ACTIONS, ALL_MEMBERS, ALL_ORGS, PERSONAS, STAFF

ORGS = "orgs.organization"
MEMBERS = "members.member"

UrlMaker = Callable[..., str]
Reached = dict[str, frozenset[str]]  # persona → names of the world objects it reaches
MISSING_ID = 987654321  # an id no world object has: must answer exactly like out of scope

# Access levels of routes that are not about an object of the tree, so not the policy's.
PUBLIC = "public"  # anyone, signed in or not (the login page, the OpenAPI schema, logout)
LOGIN = "login"  # anyone signed in; what the page shows is scoped by the view (feed, search)
STAFF_SITE = "staff"  # the Django admin: staff only
OWNER = "owner"  # a background job: its owner's alone
LEVELS = frozenset({PUBLIC, LOGIN, STAFF_SITE, OWNER})


@dataclass(frozen=True)
class Check:
    persona: str
    url: str
    status: int
    method: str = "get"
    location: Callable[[], str] | None = None  # the redirect must start with this
    logs_out: bool = False  # after the request, the persona is no longer logged in
    # The request's form, made anew for each request (an uploaded file is read once).
    data: Callable[[], dict[str, Any]] | None = None


def login_url() -> str:
    return resolve_url(settings.LOGIN_URL)


def admin_login_url() -> str:
    return reverse("admin:login")


def admin_index_url() -> str:
    return reverse("admin:index")


class Kind:
    # The HTTP methods this kind knows how to walk (an API operation must use one of them).
    methods: ClassVar[tuple[str, ...]] = ("GET",)
    # The access level the kind walks when it has no `model` (one of LEVELS).
    level: ClassVar[str | None] = None

    @property
    def model(self) -> str | None:
        """The policy's model label whose (model, action) oracle table decides this kind."""
        return None

    def accepts(self, action: str) -> bool:
        """Whether a route of this kind may be declared with `action`."""
        if self.model is not None:
            return (self.model, action) in ACTIONS
        return action == self.level

    def reached(self, action: str) -> Reached:
        """Who reaches what by the route's declared action: the oracle's hand-written table."""
        if self.model is None:
            raise TypeError(f"{type(self).__name__} walks an access level, not a policy action")
        return ACTIONS[(self.model, action)]

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        raise NotImplementedError


@dataclass(frozen=True)
class OrgKind(Kind):
    """A kind about one node of the tree, or the nodes a persona reaches."""

    @property
    def model(self) -> str | None:
        return ORGS


@dataclass(frozen=True)
class MemberKind(Kind):
    """A kind about one member's record."""

    @property
    def model(self) -> str | None:
        return MEMBERS


@dataclass(frozen=True)
class Public(Kind):
    """Anyone, logged in or not: 200 (the login page, the OpenAPI schema)."""

    level: ClassVar[str | None] = PUBLIC

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        for persona in PERSONAS:
            yield Check(persona, url(), 200)


@dataclass(frozen=True)
class Fixed(Kind):
    """Everyone gets the same status (e.g. a root that only exists to be reversed: 404)."""

    status: int
    level: ClassVar[str | None] = PUBLIC

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        for persona in PERSONAS:
            yield Check(persona, url(), self.status)


@dataclass(frozen=True)
class RedirectsEveryone(Kind):
    """Anonymous: to the login page; logged in: elsewhere (the home page sends each user on)."""

    level: ClassVar[str | None] = LOGIN

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        for persona in PERSONAS:
            where = login_url if persona == "anonymous" else None
            yield Check(persona, url(), 302, location=where)


@dataclass(frozen=True)
class LoginRequired(Kind):
    """Anonymous: 302 to the login page; everyone logged in: 200."""

    level: ClassVar[str | None] = LOGIN

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        for persona in PERSONAS:
            if persona == "anonymous":
                yield Check(persona, url(), 302, location=login_url)
            else:
                yield Check(persona, url(), 200)


@dataclass(frozen=True)
class PostOnly(Kind):
    """GET: 405 for everyone. POST: redirect, and the session is over (logout)."""

    level: ClassVar[str | None] = PUBLIC

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        for persona in PERSONAS:
            yield Check(persona, url(), 405)
            yield Check(persona, url(), 302, method="post", logs_out=True)


def _scoped(
    world: Any, url: UrlMaker, names: frozenset[str], visible: Reached
) -> Iterator[tuple[str, str, bool]]:
    """(persona, url, in scope) for every world object of a type, then for a missing id."""
    for persona in PERSONAS:
        for name in sorted(names):
            yield persona, url(getattr(world, name).pk), name in visible[persona]
        yield persona, url(MISSING_ID), False


@dataclass(frozen=True)
class ObjectPage(Kind):
    """A page about one org or one member: anonymous → login; in reach → 200; else → 404."""

    of: str  # "org" or "member"

    @property
    def model(self) -> str | None:
        return _model(self.of)

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        names = _names(self.of)
        for persona, target, in_scope in _scoped(world, url, names, self.reached(action)):
            if persona == "anonymous":
                yield Check(persona, target, 302, location=login_url)
            else:
                yield Check(persona, target, 200 if in_scope else 404)


@dataclass(frozen=True)
class ApiList(Kind):
    """An API list: anonymous → 401; logged in → 200 (the list itself is scoped).

    With `org_param`, the list is also requested for every world org as `?<org_param>=<id>`:
    an org out of the declared action's reach (or missing) → 404; without, the route is
    declared with the level `login`.
    """

    org_param: str | None = None
    level: ClassVar[str | None] = LOGIN

    @property
    def model(self) -> str | None:
        return ORGS if self.org_param is not None else None

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        for persona in PERSONAS:
            yield Check(persona, url(), 401 if persona == "anonymous" else 200)
        if self.org_param is None:
            return
        reached = self.reached(action)
        for persona, pk_url, in_scope in _scoped(
            world, _query(url, self.org_param), ALL_ORGS, reached
        ):
            status = 401 if persona == "anonymous" else 200 if in_scope else 404
            yield Check(persona, pk_url, status)


@dataclass(frozen=True)
class ApiObject(Kind):
    """One org or member in the API: anonymous → 401; in scope → 200; else (or missing) → 404."""

    of: str

    @property
    def model(self) -> str | None:
        return _model(self.of)

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        names = _names(self.of)
        for persona, target, in_scope in _scoped(world, url, names, self.reached(action)):
            yield Check(
                persona, target, 401 if persona == "anonymous" else 200 if in_scope else 404
            )


@dataclass(frozen=True)
class ReportPage(OrgKind):
    """A page of one node (report, export, quality check): anonymous → login; those the declared
    action reaches the node for → 200; else 404.

    `query` is added to the address; with `api`, the node is the `org` parameter of an API route
    and anonymous gets 401.
    """

    query: str = ""
    api: bool = False

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        def address(pk: Any) -> str:
            if self.api:
                return f"{url()}?org={pk}" + (f"&{self.query}" if self.query else "")
            return url(pk) + (f"?{self.query}" if self.query else "")

        reached = self.reached(action)
        for persona in PERSONAS:
            targets = [(address(getattr(world, n).pk), n in reached[persona]) for n in ALL_ORGS]
            for target, in_scope in [*targets, (address(MISSING_ID), False)]:
                if persona == "anonymous":
                    if self.api:
                        yield Check(persona, target, 401)
                    else:
                        yield Check(persona, target, 302, location=login_url)
                else:
                    yield Check(persona, target, 200 if in_scope else 404)


@dataclass(frozen=True)
class Home(OrgKind):
    """Anonymous → login; those with a node the action reaches (to report on) → its key figures;
    others → the tree."""

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        reached = self.reached(action)
        for persona in PERSONAS:
            if persona == "anonymous":
                yield Check(persona, url(), 302, location=login_url)
            else:
                yield Check(persona, url(), 200 if reached[persona] else 302)


@dataclass(frozen=True)
class ReportHome(OrgKind):
    """Anonymous → login; a node the action reaches → straight to it (302); none → 200
    explaining."""

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        reached = self.reached(action)
        for persona in PERSONAS:
            if persona == "anonymous":
                yield Check(persona, url(), 302, location=login_url)
            else:
                yield Check(persona, url(), 302 if reached[persona] else 200)


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
    level: ClassVar[str | None] = STAFF_SITE

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
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

    admin_model: type[Model]
    page: str  # changelist, add, change, history, delete, or "redirect" (the bare object URL)
    level: ClassVar[str | None] = STAFF_SITE

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        request = RequestFactory().get("/")
        request.user = world.users["admin"]
        staff_status, args = self._for_staff(admin.site._registry[self.admin_model], request)
        walk = StaffOnly(staff_status=staff_status, args=lambda world: [args])
        yield from walk.checks(world, url, action)

    def _for_staff(self, model_admin: Any, request: Any) -> tuple[int, tuple[Any, ...]]:
        """What the superuser gets, and the URL's arguments."""
        if self.page == "changelist":
            return (200 if model_admin.has_view_or_change_permission(request) else 403), ()
        if self.page == "add":
            return (200 if model_admin.has_add_permission(request) else 403), ()
        obj = self.admin_model._default_manager.order_by("pk").first()
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

    level: ClassVar[str | None] = STAFF_SITE

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        for persona in PERSONAS:
            if persona in STAFF:
                yield Check(persona, url(), 302, location=admin_index_url)
            else:
                yield Check(persona, url(), 200)


def _model(of: str) -> str:
    if of == "org":
        return ORGS
    if of == "member":
        return MEMBERS
    raise ValueError(f"unknown object type {of!r}")


def _names(of: str) -> frozenset[str]:
    return ALL_ORGS if _model(of) == ORGS else ALL_MEMBERS


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
    level: ClassVar[str | None] = OWNER

    @property
    def methods(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.method.upper(),)

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
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
