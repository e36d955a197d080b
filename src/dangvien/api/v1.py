"""The API object: authentication, routers, and errors answered in Vietnamese JSON.

The interactive docs page is off: without "ninja" in INSTALLED_APPS django-ninja loads Swagger UI
from a CDN, and the app must work on a closed network. The schema is at /api/v1/openapi.json.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from dangvien.accounts.auth import InvalidToken, SessionAuth, TokenAuth
from dangvien.handbook.api import router as handbook_router
from dangvien.members.api import router as members_router
from dangvien.members.imports.api import router as imports_router
from dangvien.orgs.api import router as orgs_router
from dangvien.procedures.api import router as procedures_router
from dangvien.reports.api import router as reports_router
from dangvien.reports.target_api import router as targets_router
from dangvien.web.api import NOT_FOUND

NOT_AUTHENTICATED = (
    "Chưa đăng nhập: gửi kèm phiên đăng nhập hoặc tiêu đề 'Authorization: Bearer <mã truy cập>'."
)
INVALID_PARAMETERS = "Tham số không hợp lệ."

api = NinjaAPI(
    title="dangvien API",
    version="1",
    description="Tra cứu tổ chức đảng và hồ sơ đảng viên trong phạm vi được phân quyền.",
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    docs_url=None,
)
api.add_router("/orgs", orgs_router)
api.add_router("/members", members_router)
api.add_router("/reports", reports_router)
api.add_router("", handbook_router)  # /feed, /notices/{id}/ack
api.add_router("/imports", imports_router)
api.add_router("/procedures", procedures_router)
api.add_router("/procedures", targets_router)  # /procedures/targets: figures of the reports


@api.exception_handler(AuthenticationError)
def _not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = exc.message if isinstance(exc, InvalidToken) else NOT_AUTHENTICATED
    response = api.create_response(request, {"detail": detail}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="dangvien"'
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": NOT_FOUND}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    body = {"detail": INVALID_PARAMETERS, "errors": exc.errors}
    return api.create_response(request, body, status=422)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)
