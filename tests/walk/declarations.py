"""Which kind every route is. A new view is declared here, once, by its URL name.

- A web page: add `"<url name>": <kind>` to WEB_PAGES (kinds in kinds.py: Public,
  LoginRequired, ObjectPage("org" | "member"), PostOnly …). Names that do not exist (yet) are
  ignored; an existing pattern with no entry fails test_every_url_pattern_is_declared.
- An API operation: add `"<METHOD> <path as in openapi.json>": <kind>` to API_ROUTES.
- Django admin: every registered ModelAdmin's standard pages are declared by `admin_model_page`;
  a custom admin view (ModelAdmin.get_urls) needs its own entry in ADMIN_SITE.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from tests.walk.handbook import (
    CorrectionAction,
    DocumentPage,
    IssueActivation,
    PostFilePage,
    PostPage,
    WriteHome,
    WritePage,
)
from tests.walk.kinds import (
    AdminLogin,
    AdminModelPage,
    ApiList,
    ApiObject,
    ApiUpload,
    Fixed,
    Home,
    Kind,
    LoginRequired,
    ObjectPage,
    OwnTask,
    PostOnly,
    Public,
    RedirectsEveryone,
    ReportHome,
    ReportPage,
    StaffOnly,
    UrlMaker,
    admin_index_url,
)
from tests.walk.quality import ReportAction
from tests.walk.records import ApiPatchMember
from tests.walk.restructuring import RestructuringPage
from tests.walk.routes import Operation, Pattern, fill

WEB_PAGES: dict[str, Kind] = {
    "home": Home(),
    "login": Public(),
    "activation": Public(),
    # Without an authenticator there is no code to give: everyone signed in is sent on.
    "two_factor_verify": RedirectsEveryone(),
    "two_factor_enrol": LoginRequired(),
    "service_worker": Public(),
    "manifest": Public(),
    "activation_issue": IssueActivation(),
    "member_edit": IssueActivation(),  # the same managers of the record
    "logout": PostOnly(),
    "password_change": LoginRequired(),
    "password_change_done": LoginRequired(),
    "org_tree": LoginRequired(),
    "org_children": ObjectPage("org"),
    "org_members": ObjectPage("org"),
    "member_detail": ObjectPage("member"),
    "member_search": LoginRequired(),  # results scoped to the user
    "member_photo": ObjectPage("member"),
    "report_home": ReportHome(),
    "handbook_feed": LoginRequired(),
    "handbook_post": PostPage(),
    "handbook_ack": PostPage(post_method=True),
    "handbook_reads": PostPage(managers_only=True),
    "handbook_post_file": PostFilePage(),
    "handbook_write_home": WriteHome(),
    "handbook_write": WritePage(),
    "handbook_library": LoginRequired(),
    "handbook_document": DocumentPage(),
    "handbook_document_file": DocumentPage(),
    "handbook_bookmark": DocumentPage(post_method=True),
    "handbook_document_publish": WritePage(),
    "handbook_engagement": WritePage(),
    "handbook_correction": CorrectionAction(create=True),
    "handbook_corrections": LoginRequired(),
    "handbook_correction_done": CorrectionAction(),
    "report_summary": ReportPage(),
    "report_changes": ReportPage(),
    "report_members": ReportPage(query="chi-so=members"),
    "report_orgs": ReportPage(query="cap=cell"),
    "report_export": ReportPage(),
    "member_export": ReportPage(),  # GET: the choice of layout; POST starts the task
    # Background tasks and imports: a task is its owner's alone.
    "task_list": LoginRequired(),
    "task_detail": OwnTask(),
    "task_progress": OwnTask(),
    "task_download": OwnTask(),
    "import_start": LoginRequired(),
    "import_detail": OwnTask(),
    "import_commit": OwnTask(logged_in_status=405),  # POST only
    "import_remap": OwnTask(logged_in_status=405),  # POST only
    "report_pdf": ReportPage(),
    # Data quality: for those who may report on the node, like the reports.
    "quality_home": ReportHome(),
    "quality_dashboard": ReportPage(),
    "quality_fixes": ReportPage(query="loi=missing_cccd"),
    "quality_start": ReportAction(),  # POST only: starts a check of the node
    # Restructuring: for province staff and upper committee staff above the node.
    "restructuring_home": RestructuringPage(post=False),
    "restructuring_move": RestructuringPage(),
    "restructuring_merge": RestructuringPage(),
    "restructuring_split": RestructuringPage(),
    "restructuring_dissolve": RestructuringPage(),
    # The API's own Django patterns besides its operations (walked through API_ROUTES).
    "api:openapi-json": Public(),
    "api:api-root": Fixed(404),  # exists only so that ninja can reverse the API's root
}

API_ROUTES: dict[str, Kind] = {
    "GET /api/v1/orgs": ApiList(),
    "GET /api/v1/orgs/{org_id}": ApiObject("org"),
    "GET /api/v1/orgs/{org_id}/children": ApiObject("org"),
    "GET /api/v1/members": ApiList(org_param="org"),
    "GET /api/v1/members/{member_id}": ApiObject("member"),
    "PATCH /api/v1/members/{member_id}": ApiPatchMember(),
    "GET /api/v1/reports/summary": ReportPage(api=True),
    "GET /api/v1/feed": ApiList(),
    "POST /api/v1/notices/{post_id}/ack": PostPage(post_method=True, api=True),
    "GET /api/v1/documents": ApiList(),
    "GET /api/v1/documents/{document_id}": DocumentPage(api=True),
    "GET /api/v1/reports/changes": ReportPage(api=True, query="from=2026-01-01&to=2026-06-30"),
    "POST /api/v1/imports": ApiUpload(),
    "GET /api/v1/imports/{task_id}": OwnTask(api=True),
    "POST /api/v1/imports/{task_id}/commit": OwnTask(api=True, method="post", owner_status=409),
}


def _app_labels(world: Any) -> list[tuple[Any, ...]]:
    return sorted({(model._meta.app_label,) for model in admin.site._registry})


def _a_user_object(world: Any) -> list[tuple[Any, ...]]:
    user = world.users["admin"]
    return [(ContentType.objects.get_for_model(user).pk, user.pk)]


def _the_admin_user(world: Any) -> list[tuple[Any, ...]]:
    return [(world.users["admin"].pk,)]


def _any_device(world: Any) -> list[tuple[Any, ...]]:
    return [(1,)]


ADMIN_SITE: dict[str, Kind] = {
    "admin:index": StaffOnly(),
    "admin:login": AdminLogin(),
    "admin:logout": StaffOnly(staff_status=405, denied_location=admin_index_url),  # POST only
    "admin:password_change": StaffOnly(),
    "admin:password_change_done": StaffOnly(),
    "admin:jsi18n": StaffOnly(),
    "admin:autocomplete": StaffOnly(staff_status=403),  # refused without a field to complete
    "admin:view_on_site": StaffOnly(staff_status=404, args=_a_user_object),  # no public URL
    "admin:app_list": StaffOnly(args=_app_labels),
    # UserAdmin's own view (its name keeps "auth_user" whatever the user model's app).
    "admin:auth_user_password_change": StaffOnly(args=_the_admin_user),
    # django-otp's views of an authenticator's secret: refused, the secret stays with its owner.
    "admin:otp_totp_totpdevice_config": StaffOnly(staff_status=403, args=_any_device),
    "admin:otp_totp_totpdevice_qrcode": StaffOnly(staff_status=403, args=_any_device),
}


@dataclass(frozen=True)
class Declared:
    kind: Kind
    url: UrlMaker


def _reverser(name: str) -> UrlMaker:
    return lambda *args: reverse(name, args=args)


def _admin_route_prefix() -> str:
    return reverse("admin:index").lstrip("/")


def admin_model_page(pattern: Pattern) -> Declared | None:
    """The standard pages of every registered ModelAdmin: staff only."""
    prefix = _admin_route_prefix()
    for model in admin.site._registry:
        app, name = model._meta.app_label, model._meta.model_name
        base = f"admin:{app}_{name}_"
        for page in ("changelist", "add", "change", "history", "delete"):
            if pattern.name == f"{base}{page}":
                return Declared(AdminModelPage(model, page), _reverser(pattern.name))
        if pattern.name is None and pattern.route == f"{prefix}{app}/{name}/<path:object_id>/":
            # The bare object URL redirects staff to the change page.
            changelist = f"{base}changelist"
            return Declared(
                AdminModelPage(model, "redirect"),
                lambda pk, changelist=changelist: f"{reverse(changelist)}{pk}/",
            )
    return None


def declared_pattern(pattern: Pattern) -> Declared | None:
    if pattern.name in WEB_PAGES:
        return Declared(WEB_PAGES[pattern.name], _reverser(pattern.name))
    if pattern.name in ADMIN_SITE:
        return Declared(ADMIN_SITE[pattern.name], _reverser(pattern.name))
    if pattern.name is None and pattern.route == f"{_admin_route_prefix()}(?P<url>.*)$":
        # The admin's catch-all: an unknown admin URL is 404 for staff, login for the rest.
        return Declared(StaffOnly(staff_status=404), lambda: f"{reverse('admin:index')}khong-co/")
    return admin_model_page(pattern)


def declared_operation(operation: Operation) -> Declared | None:
    kind = API_ROUTES.get(operation.key)
    if kind is None or operation.method not in kind.methods:
        return None
    return Declared(kind, lambda *args: fill(operation.path, *args))
