"""The demo's handbook: posts and notices at every level, documents with valid files."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from dangvien.accounts.models import User
from dangvien.handbook.files import check_document_file
from dangvien.handbook.models import Document, Post
from dangvien.handbook.selectors import document_search, documents_for_reader, posts_for_reader


@pytest.fixture
def tiny(db):
    call_command("demo", scale="tiny", stdout=StringIO())


def test_the_demo_member_opens_a_living_handbook(tiny):
    member = User.objects.get(username="dangvien")
    feed = list(posts_for_reader(member))
    assert len(feed) >= 5
    assert {p.kind for p in feed} == {Post.Kind.POST, Post.Kind.NOTICE}
    assert len({p.org_id for p in feed}) >= 3  # the province, the upper committee, the grassroots
    assert documents_for_reader(member).count() >= 20


def test_demo_documents_look_real_and_their_files_pass_the_upload_check(tiny):
    documents = list(Document.objects.all())
    assert len(documents) == 60
    for document in documents[:15]:
        data = (Path(settings.MEDIA_ROOT) / document.file.name).read_bytes()
        checked = check_document_file(data)
        assert checked.content_type == document.content_type
        assert document.number in checked.text
        assert "/" in document.number and "-" in document.number
    kinds = {d.kind for d in documents}
    assert len(kinds) >= 5


def test_demo_documents_are_found_without_tones(tiny):
    member = User.objects.get(username="dangvien")
    found = list(document_search(documents_for_reader(member), "Chi bộ đảng phí"))
    assert found
    for document in found:  # every word of the query, somewhere in the document
        assert all(
            word in document.search_head + document.search_text
            for word in ("chi", "bo", "dang", "phi")
        )


def test_the_folded_text_of_demo_documents_is_the_fold_of_their_text(tiny):
    from dangvien.core.text import fold

    for document in Document.objects.all()[:60]:
        assert document.search_text == fold(document.text)
