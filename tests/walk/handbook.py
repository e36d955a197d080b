"""The handbook in the permission walk: two notices in the world, who reads and who manages them.

    province notice: P to its whole subtree      grassroots notice: G1 to cell B only

Who manages a notice, a document or a correction request is the oracle's table for the declared
action (manage); who reads them follows from it, written out by hand from the rules
(tests/walk/oracle.py explains why).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from tests.walk.kinds import (
    LOGIN,
    MEMBERS,
    MISSING_ID,
    Check,
    Kind,
    MemberKind,
    OrgKind,
    UrlMaker,
    login_url,
)
from tests.walk.oracle import (
    ACTIONS,
    ALL_MEMBERS,
    ALL_ORGS,
    MANAGED_DOCUMENTS,
    MANAGED_POSTS,
    PERSONAS,
)

from dangvien.accounts.access import VIEW

POSTS = ("province_notice", "grassroots_notice")
# Everyone logged in reads the province's notice (their chain reaches the province); the
# grassroots notice goes to cell B, where no persona belongs: only its managers open it.
VISIBLE_POSTS: dict[str, frozenset[str]] = {
    persona: frozenset({"province_notice"} | MANAGED_POSTS[persona])
    if persona != "anonymous"
    else frozenset()
    for persona in PERSONAS
}


def world_posts(world: Any) -> dict[str, Any]:
    from dangvien.handbook.models import Post

    def notice(name: str, org: Any, targets: list[Any]) -> Any:
        post, created = Post.objects.get_or_create(
            title=name,
            defaults={
                "org": org,
                "kind": Post.Kind.NOTICE,
                "body": "<p>Nội dung</p>",
                "publish_at": "2026-01-01T08:00:00+07:00",
            },
        )
        if created:
            post.targets.set(targets)
        return post

    return {
        "province_notice": notice("province_notice", world.province, []),
        "grassroots_notice": notice("grassroots_notice", world.grassroots1, [world.cell_b]),
    }


@dataclass(frozen=True)
class PostPage(Kind):
    """A post's page: anonymous → login; who may open it → 200 (`managers_only`: only those the
    declared action reaches the post for); others, or a missing post → 404. `post_method`: a
    POST action (GET → 405). Without `managers_only`, reading is the level `login` (the reading
    chain decides, not the policy)."""

    managers_only: bool = False
    post_method: bool = False
    api: bool = False
    level: ClassVar[str | None] = LOGIN

    @property
    def model(self) -> str | None:
        return "handbook.post" if self.managers_only else None

    @property
    def methods(self) -> tuple[str, ...]:  # type: ignore[override]
        return ("POST",) if self.post_method else ("GET",)

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        posts = world_posts(world)
        method = "post" if self.post_method else "get"
        may = self.reached(action) if self.managers_only else VISIBLE_POSTS
        for persona in PERSONAS:
            targets = [(url(posts[name].pk), name in may[persona]) for name in POSTS]
            for target, allowed in [*targets, (url(MISSING_ID), False)]:
                if persona == "anonymous":
                    if self.api:
                        yield Check(persona, target, 401, method=method)
                    else:
                        yield Check(persona, target, 302, location=login_url, method=method)
                    continue
                if self.post_method and not self.api:
                    yield Check(persona, target, 405)
                ok = 302 if self.post_method and not self.api else 200
                yield Check(persona, target, ok if allowed else 404, method=method)


def world_post_files(world: Any) -> dict[str, Any]:
    """An attached file on each of the two notices."""
    from django.core.files.base import ContentFile

    from dangvien.handbook.models import PostFile

    def attachment(post: Any) -> Any:
        found = PostFile.objects.filter(post=post).first()
        if found is not None:
            return found
        row = PostFile(
            post=post,
            kind=PostFile.Kind.ATTACHMENT,
            file_name="kem-theo.pdf",
            content_type="application/pdf",
            size=len(TINY_PDF),
        )
        row.file.save("kem-theo.pdf", ContentFile(TINY_PDF), save=False)
        row.save()
        return row

    return {name: attachment(post) for name, post in world_posts(world).items()}


@dataclass(frozen=True)
class PostFilePage(Kind):
    """A file of a post: anonymous → login; who may open the post → 200; others → 404, and so is
    a missing file, or a file asked for under another post than its own."""

    level: ClassVar[str | None] = LOGIN

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        posts = world_posts(world)
        files = world_post_files(world)
        mismatched = url(posts["province_notice"].pk, files["grassroots_notice"].pk)
        for persona in PERSONAS:
            targets = [
                (url(posts[name].pk, files[name].pk), name in VISIBLE_POSTS[persona])
                for name in POSTS
            ]
            missing = [url(MISSING_ID, MISSING_ID), url(posts["province_notice"].pk, MISSING_ID)]
            for target, allowed in [*targets, *((m, False) for m in [*missing, mismatched])]:
                if persona == "anonymous":
                    yield Check(persona, target, 302, location=login_url)
                else:
                    yield Check(persona, target, 200 if allowed else 404)


@dataclass(frozen=True)
class WriteHome(OrgKind):
    """Anonymous → login; a committee the action (publish) reaches → straight to it; none → 200
    explaining."""

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        reached = self.reached(action)
        for persona in PERSONAS:
            if persona == "anonymous":
                yield Check(persona, url(), 302, location=login_url)
            else:
                yield Check(persona, url(), 302 if reached[persona] else 200)


@dataclass(frozen=True)
class WritePage(OrgKind):
    """Writing for a node: anonymous → login; whom the action (publish) reaches it for → 200;
    else → 404."""

    methods: ClassVar[tuple[str, ...]] = ("GET",)

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        reached = self.reached(action)
        for persona in PERSONAS:
            nodes = [(url(getattr(world, n).pk), n in reached[persona]) for n in ALL_ORGS]
            for target, allowed in [*nodes, (url(MISSING_ID), False)]:
                if persona == "anonymous":
                    yield Check(persona, target, 302, location=login_url)
                else:
                    yield Check(persona, target, 200 if allowed else 404)


# Documents: the province's reaches everyone; G2's reaches C, where no persona reads: only those
# who manage it (other_upper, province, editor, admin) open it.
VISIBLE_DOCUMENTS: dict[str, frozenset[str]] = {
    persona: frozenset({"province_document"} | MANAGED_DOCUMENTS[persona])
    if persona != "anonymous"
    else frozenset()
    for persona in PERSONAS
}
DOCUMENTS = ("province_document", "g2_document")
TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def world_documents(world: Any) -> dict[str, Any]:
    from django.core.files.base import ContentFile

    from dangvien.handbook.models import Document

    def document(name: str, org: Any) -> Any:
        found = Document.objects.filter(number=name).first()
        if found is not None:
            return found
        doc = Document(
            org=org,
            number=name,
            kind=Document.Kind.RESOLUTION,
            issuer="Ban Chấp hành",
            issued_on="2026-01-05",
            summary=name,
            file_name=f"{name}.pdf",
            content_type="application/pdf",
            size=len(TINY_PDF),
            search_head=name,
            published_at="2026-01-05T08:00:00+07:00",
        )
        doc.file.save(f"{name}.pdf", ContentFile(TINY_PDF), save=False)
        doc.save()
        return doc

    return {
        "province_document": document("province_document", world.province),
        "g2_document": document("g2_document", world.grassroots2),
    }


@dataclass(frozen=True)
class DocumentPage(Kind):
    """A document's page, file or action: anonymous → login (API: 401); who may open it → 200
    (a POST action: 302, and GET → 405); others, or a missing document → 404. Reading is the
    level `login`: the reading chain decides, and managers read what they manage."""

    post_method: bool = False
    api: bool = False
    level: ClassVar[str | None] = LOGIN

    @property
    def methods(self) -> tuple[str, ...]:  # type: ignore[override]
        return ("POST",) if self.post_method else ("GET",)

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        documents = world_documents(world)
        method = "post" if self.post_method else "get"
        for persona in PERSONAS:
            targets = [(url(documents[n].pk), n in VISIBLE_DOCUMENTS[persona]) for n in DOCUMENTS]
            for target, allowed in [*targets, (url(MISSING_ID), False)]:
                if persona == "anonymous":
                    if self.api:
                        yield Check(persona, target, 401, method=method)
                    else:
                        yield Check(persona, target, 302, location=login_url, method=method)
                    continue
                if self.post_method:
                    yield Check(persona, target, 405)
                ok = 302 if self.post_method else 200
                yield Check(persona, target, ok if allowed else 404, method=method)


@dataclass(frozen=True)
class IssueActivation(MemberKind):
    """A page acting on a member's record (activation slip, edit page): anonymous → login; whom
    the action (manage, activate) reaches the record for → 200; who only sees it (the member
    themself) → 403; else 404."""

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        reached, seen = self.reached(action), ACTIONS[(MEMBERS, VIEW)]
        for persona in PERSONAS:
            for name in sorted(ALL_MEMBERS):
                target = url(getattr(world, name).pk)
                if persona == "anonymous":
                    yield Check(persona, target, 302, location=login_url)
                elif name in reached[persona]:
                    yield Check(persona, target, 200)
                else:
                    yield Check(persona, target, 403 if name in seen[persona] else 404)
            if persona != "anonymous":
                yield Check(persona, url(MISSING_ID), 404)


def world_correction(world: Any) -> Any:
    """a1 (the member persona) asked for a correction of their record."""
    from dangvien.handbook.models import CorrectionRequest

    found = CorrectionRequest.objects.first()
    return found or CorrectionRequest.objects.create(
        member=world.a1, requested_by=world.users["member"], text="Sửa ngày vào Đảng"
    )


@dataclass(frozen=True)
class CorrectionAction(Kind):
    """POST only. `create` (the level `login`): only a user with a record (the member) → 302,
    others → 404. Otherwise marking a1's request done: whom the action (manage) reaches the
    request for → 302, others → 404."""

    create: bool = False
    methods: ClassVar[tuple[str, ...]] = ("POST",)
    level: ClassVar[str | None] = LOGIN

    @property
    def model(self) -> str | None:
        return None if self.create else "handbook.correctionrequest"

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        if self.create:
            for persona in PERSONAS:
                if persona == "anonymous":
                    yield Check(persona, url(), 302, location=login_url, method="post")
                    continue
                yield Check(persona, url(), 405)
                yield Check(persona, url(), 302 if persona == "member" else 404, method="post")
            return
        target = url(world_correction(world).pk)
        reached = self.reached(action)
        for persona in PERSONAS:
            if persona == "anonymous":
                yield Check(persona, target, 302, location=login_url, method="post")
                continue
            yield Check(persona, target, 405)
            yield Check(
                persona, target, 302 if "a1_correction" in reached[persona] else 404, method="post"
            )
            yield Check(persona, url(MISSING_ID), 404, method="post")
