"""The documents of procedures made from templates: making one for a case (by those who may
record the step that produces it), its PDF (for those who may see the case), and the list of
probationary members due (for those who keep the organization's records).

Out of scope is 404; a case the user sees but whose document belongs to another level (the
decision, for a cell's secretary) is 403. A template that cannot be used is said on the case
page, in the office layer's words; nothing is saved.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dangvien.accounts.access import REPORT, allowed
from dangvien.accounts.http import AuthenticatedRequest
from dangvien.jobs.services import job_detail_url
from dangvien.members.selectors import members_visible_to
from dangvien.office.docx import DOCX
from dangvien.orgs.selectors import org_for
from dangvien.procedures import document_jobs, documents, selectors


def _download(data: bytes, content_type: str, file_name: str, *, inline: bool) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    ascii_name = file_name.encode("ascii", "ignore").decode() or "van-ban"
    response["Content-Disposition"] = f'{disposition}; filename="{ascii_name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def case_document_generate(
    request: AuthenticatedRequest, case_id: int, form_code: str
) -> HttpResponse:
    """Make the document `form_code` of a case from its template and keep it on the case."""
    case = selectors.case_detail(request.user, case_id)
    if case is None:
        raise Http404
    offer = documents.offer_of(case, form_code)
    if offer is None:
        raise Http404
    if not allowed(request.user, offer.spec.action, case):
        raise PermissionDenied("Văn bản này do cấp khác lập.")
    try:
        document = documents.document_generate(
            acting_user=request.user, case=case, form_code=form_code
        )
    except documents.DocumentRefused as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, f"Đã tạo văn bản {document.form_code}: {document.title}.")
    return redirect("case_detail", case.pk)


@require_GET
def case_document_pdf(
    request: AuthenticatedRequest, case_id: int, document_id: int
) -> HttpResponse:
    """The PDF of a case's document, only to those who may see the case."""
    case = selectors.case_detail(request.user, case_id)
    if case is None:
        raise Http404
    document = selectors.case_document_visible(request.user, case, document_id)
    if document is None:
        raise Http404
    try:
        data = documents.pdf_of(document)
    except documents.DocumentRefused as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("case_detail", case.pk)
    stem = document.file_name.rsplit(".", 1)[0]
    return _download(data, documents.PDF, f"{stem}.pdf", inline=True)


@require_GET
def probation_list(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    """The probationary members of a subtree whose 12 months end within the coming weeks, as a
    Word document (or its PDF with ?dinh-dang=pdf); a long list is made by a job, whose page
    the user is sent to."""
    org = org_for(request.user, REPORT, org_id)
    if org is None:
        raise Http404
    today = timezone.localdate()
    members = members_visible_to(request.user)
    as_pdf = request.GET.get("dinh-dang") == "pdf"
    if documents.probation_due_count(members, org, today=today) > document_jobs.INLINE_ROWS:
        job = document_jobs.probation_list_start(
            acting_user=request.user, org=org, as_pdf=as_pdf, today=today
        )
        return redirect(job_detail_url(job))
    try:
        data = documents.probation_list_docx(members, org, today=today)
        if as_pdf:
            data = documents.convert(data, title="Danh sách đảng viên dự bị đến hạn")
    except documents.DocumentRefused as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("procedures_home")
    name = "danh-sach-du-bi-den-han." + ("pdf" if as_pdf else "docx")
    return _download(data, documents.PDF if as_pdf else DOCX, name, inline=as_pdf)
