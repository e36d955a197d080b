"""The document library: search and filters, one document, its file, bookmarks, publishing.

A document outside what the user reads or manages answers 404, like one that does not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from dangvien.accounts.http import AuthenticatedRequest
from dangvien.accounts.models import User
from dangvien.handbook import selectors, services
from dangvien.handbook.files import MAX_BYTES, PDF, private_file
from dangvien.handbook.forms import DocumentForm, LibraryFilterForm
from dangvien.handbook.models import Bookmark, Document
from dangvien.web.shortcuts import Page


def _user(request: AuthenticatedRequest) -> User:
    return request.user  # a logged-in user: every view here requires one


def _visible_document(request: AuthenticatedRequest, document_id: int) -> Document:
    document = selectors.documents_visible_to(request.user).filter(pk=document_id).first()
    if document is None:
        raise Http404
    return document


def library(request: AuthenticatedRequest) -> HttpResponse:
    services.visit_record(user=_user(request), session=request.session)
    form = LibraryFilterForm(request.GET)
    documents = selectors.documents_for_reader(request.user)
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        documents = selectors.document_search(documents, query)
        if form.cleaned_data["kind"]:
            documents = documents.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["saved"]:
            documents = documents.filter(bookmarks__user=_user(request))
    documents = selectors.with_bookmarks(documents, request.user)
    page: Page[Document] = Page.from_request(request)
    page.of(documents.order_by("-issued_on", "-pk"))
    context = {
        "form": form,
        "q": query,
        "documents": page.rows,
        **page.context(),
        "writable": selectors.orgs_user_may_publish_for(request.user).exists(),
        "nav": "library",
    }
    htmx = getattr(request, "htmx", None)
    template = "handbook/_documents.html" if htmx else "handbook/library.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def document_detail(request: AuthenticatedRequest, document_id: int) -> HttpResponse:
    document = _visible_document(request, document_id)
    saved = Bookmark.objects.filter(user=_user(request), document=document).exists()
    return render(
        request,
        "handbook/document.html",
        {"document": document, "saved": saved, "nav": "library"},
    )


def document_file(request: AuthenticatedRequest, document_id: int) -> FileResponse:
    document = _visible_document(request, document_id)
    services.document_opened(user=_user(request), document=document)
    return private_file(
        document.file,
        name=document.file_name,
        content_type=document.content_type,
        as_attachment=document.content_type != PDF,
    )


@require_POST
def document_bookmark(request: AuthenticatedRequest, document_id: int) -> HttpResponse:
    document = _visible_document(request, document_id)
    saved = services.bookmark_toggle(user=request.user, document=document)
    messages.success(request, "Đã lưu văn bản." if saved else "Đã bỏ lưu văn bản.")
    return redirect("handbook_document", document.pk)


def document_publish(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    org = selectors.orgs_user_may_publish_for(request.user).filter(pk=org_id).first()
    if org is None:
        raise Http404
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error("file", f"Tệp lớn quá {MAX_BYTES // (1024 * 1024)} MB.")
        else:
            data = form.cleaned_data
            try:
                document = services.document_publish(
                    acting_user=request.user,
                    org=org,
                    number=data["number"],
                    kind=data["kind"],
                    issuer=data["issuer"],
                    issued_on=data["issued_on"],
                    summary=data["summary"],
                    field=data["field"],
                    data=upload.read(),
                    file_name=upload.name,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Đã đăng văn bản {document.number}.")
                return redirect("handbook_document", document.pk)
    return render(
        request, "handbook/document_publish.html", {"org": org, "form": form, "nav": "library"}
    )
