"""Importing members in the permission walk: a real file posted to the upload page and the API.

Who may is the oracle's table for the declared action (import: the records a persona keeps,
written out by hand; tests/walk/oracle.py explains why). The upload is decided in two steps:
whether the user may import at all (somewhere), then, when a cell is chosen, whether the action
reaches that cell. Members are imported into cells only, so a committee the action reaches is
not offered either. The policy is asked before the file is judged: a user who may not import
is refused whatever was sent, and learns nothing about the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.members.import_files import csv_bytes, row
from tests.walk.kinds import MISSING_ID, Check, OrgKind, UrlMaker, login_url
from tests.walk.oracle import ALL_ORGS, PERSONAS

# The world's nodes that hold members: the only ones a file's members may be imported into.
CELLS = frozenset({"cell_a", "cell_b", "cell_c"})

# One valid row for cell A; whether its rows pass the checks is the job's report, not the walk's.
VALID = csv_bytes([row(1)])


def _file(name: str, content: bytes) -> Callable[[], dict[str, Any]]:
    """The form of one upload: a new file object for every request (one is read only once)."""
    return lambda: {"file": SimpleUploadedFile(name, content)}


def _file_for(org: Any) -> Callable[[], dict[str, Any]]:
    return lambda: {"file": SimpleUploadedFile("ds.csv", VALID), "org": org}


def _newest_import(world: Any, persona: str) -> Callable[[], str]:
    """Where a started import sends its user: the page of the job just made for them (looked up
    after the request, so the redirect proves a job was started, and for whom)."""

    def location() -> str:
        from dangvien.jobs.models import Job
        from dangvien.members.imports.tasks import VALIDATE

        job = Job.objects.filter(owner=world.users[persona], kind=VALIDATE).order_by("-id").first()
        return reverse("import_detail", args=[job.pk]) if job else "(no import started)"

    return location


@dataclass(frozen=True)
class ImportUpload(OrgKind):
    """The upload of an import file (page: `api=False`, or the API's POST).

    Anonymous → login (API: 401). Logged in: the page itself (GET) → 200, it says who may.
    POST a valid file: whoever the action reaches somewhere → a check job is started (page: 302
    to it; API: 202); with a cell chosen, only if the action reaches that cell (else page: 200,
    the form again; API: 404, as a node out of reach). Whoever it reaches nowhere → 403, with a
    valid file, a wrong one, or none. A wrong file (not a table's name, empty), or none, from
    those who may → the form again (200) / 400; the API's 422 for a missing file comes from its
    schema, before the view, the same for everyone.
    """

    api: bool = False

    @property
    def methods(self) -> tuple[str, ...]:  # type: ignore[override]
        return ("POST",) if self.api else ("GET", "POST")

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        reached = self.reached(action)
        target = url()
        for persona in PERSONAS:
            if persona == "anonymous":
                if self.api:
                    yield Check(persona, target, 401, method="post", data=_file("ds.csv", VALID))
                else:
                    yield Check(persona, target, 302, location=login_url)
                    yield Check(
                        persona,
                        target,
                        302,
                        location=login_url,
                        method="post",
                        data=_file("ds.csv", VALID),
                    )
                continue
            may = bool(reached[persona])
            if not self.api:
                yield Check(persona, target, 200)
            started = 202 if self.api else 302
            where = None if self.api else _newest_import(world, persona)
            yield Check(
                persona,
                target,
                started if may else 403,
                method="post",
                location=where if may else None,
                data=_file("ds.csv", VALID),
            )
            nodes = [(getattr(world, n).pk, n in CELLS and n in reached[persona]) for n in ALL_ORGS]
            for pk, into in [*sorted(nodes), (MISSING_ID, False)]:
                refused = 404 if self.api else 200
                yield Check(
                    persona,
                    target,
                    (started if into else refused) if may else 403,
                    method="post",
                    location=where if may and into else None,
                    data=_file_for(pk),
                )
            wrong_file = 400 if self.api else 200
            for name, content in (("ds.pdf", VALID), ("ds.csv", b"")):
                yield Check(
                    persona,
                    target,
                    wrong_file if may else 403,
                    method="post",
                    data=_file(name, content),
                )
            no_file = 422 if self.api else 200 if may else 403
            yield Check(persona, target, no_file, method="post", data=dict)
