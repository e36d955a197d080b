"""Which kind every route is, and by which action it is decided. A new view is declared here,
once, by its URL name, as `Route(kind, action)`: both are required, so neither can be forgotten.

- A web page: add `"<url name>": Route(<kind>, <action>)` to WEB_PAGES. Names that do not exist
  (yet) are ignored; an existing pattern with no entry fails test_every_url_pattern_is_declared.
- An API operation: add `"<METHOD> <path as in openapi.json>": Route(<kind>, <action>)` to
  API_ROUTES.
- Django admin: every registered ModelAdmin's standard pages are declared by `admin_model_page`;
  a custom admin view (ModelAdmin.get_urls) needs its own entry in ADMIN_SITE.

The action is the one the view decides by:
- A page about objects of the tree takes a policy action (`accounts.access`: VIEW, MANAGE,
  REPORT, PUBLISH …) and a kind whose `model` is that object's (ObjectPage("org" | "member"),
  ReportPage, IssueActivation, RestructuringPage, ImportUpload …). The kind then reads who may
  from the oracle's hand-written table `ACTIONS[(model, action)]` (oracle.py): a new action is a
  new row of POLICY, a new table there, and routes declared with it.
- Any other page takes one of the access levels of kinds.py and a kind that walks it: PUBLIC
  (Public, Fixed, PostOnly), LOGIN (LoginRequired, ApiList without an org, the handbook's
  reading pages: what they show is scoped by the view), STAFF_SITE (the Django admin), OWNER
  (OwnTask: a background job).
test_every_route_declares_an_action_its_kind_walks fails on an action that is neither, or one the
kind cannot walk. A policy action on nodes or records no route is declared with must be listed in
SERVICES_ONLY with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from tests.walk.exemptions import ExemptionPage
from tests.walk.handbook import (
    CorrectionAction,
    DocumentPage,
    IssueActivation,
    PostFilePage,
    PostPage,
    WriteHome,
    WritePage,
)
from tests.walk.imports import ImportUpload
from tests.walk.kinds import (
    LOGIN,
    OWNER,
    PUBLIC,
    STAFF_SITE,
    AdminLogin,
    AdminModelPage,
    ApiList,
    ApiObject,
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
from tests.walk.procedure_documents import CaseDocumentFile as CaseDocumentPdf
from tests.walk.procedure_documents import CaseDocumentMake
from tests.walk.procedures import CaseDocumentFile, ProcedurePage
from tests.walk.quality import ReportAction
from tests.walk.records import ApiPatchMember
from tests.walk.restructuring import RestructuringPage
from tests.walk.routes import Operation, Pattern, fill
from tests.walk.targets import TargetPage

from dangvien.accounts.access import (
    ACTIVATE,
    CHECK_QUALITY,
    DECIDE,
    EXPORT,
    IMPORT,
    IMPORT_CREATE,
    MANAGE,
    PROPOSE,
    PUBLISH,
    REPORT,
    RESTRUCTURE,
    SEE_TRAIL,
    VIEW,
)

CASE, CANDIDATE = "procedures.case", "procedures.candidate"


@dataclass(frozen=True)
class Route:
    """A route's declaration: its kind (what each persona gets) and its action (who may)."""

    kind: Kind
    action: str  # a policy action (accounts.access), or one of kinds.LEVELS


WEB_PAGES: dict[str, Route] = {
    "home": Route(Home(), REPORT),  # the key figures of a node one reports on, else the tree
    "login": Route(Public(), PUBLIC),
    "activation": Route(Public(), PUBLIC),
    # Without an authenticator there is no code to give: everyone signed in is sent on.
    "two_factor_verify": Route(RedirectsEveryone(), LOGIN),
    "two_factor_enrol": Route(LoginRequired(), LOGIN),
    "service_worker": Route(Public(), PUBLIC),
    "manifest": Route(Public(), PUBLIC),
    "activation_issue": Route(IssueActivation(), ACTIVATE),
    "member_edit": Route(IssueActivation(), MANAGE),
    "member_lost_contact": Route(IssueActivation(), MANAGE),
    "logout": Route(PostOnly(), PUBLIC),  # open to all: ending a session needs no login
    "password_change": Route(LoginRequired(), LOGIN),
    "password_change_done": Route(LoginRequired(), LOGIN),
    "org_tree": Route(LoginRequired(), LOGIN),  # the tree from the nodes the user sees
    "org_children": Route(ObjectPage("org"), VIEW),
    "org_members": Route(ObjectPage("org"), VIEW),
    "member_detail": Route(ObjectPage("member"), VIEW),
    "member_search": Route(LoginRequired(), LOGIN),  # results scoped to the user
    "member_photo": Route(ObjectPage("member"), VIEW),
    "report_home": Route(ReportHome(), REPORT),
    "handbook_feed": Route(LoginRequired(), LOGIN),
    "handbook_post": Route(PostPage(), LOGIN),
    "handbook_ack": Route(PostPage(post_method=True), LOGIN),
    "handbook_reads": Route(PostPage(managers_only=True), MANAGE),
    "handbook_post_file": Route(PostFilePage(), LOGIN),
    "handbook_write_home": Route(WriteHome(), PUBLISH),
    "handbook_write": Route(WritePage(), PUBLISH),
    "handbook_library": Route(LoginRequired(), LOGIN),
    "handbook_document": Route(DocumentPage(), LOGIN),
    "handbook_document_file": Route(DocumentPage(), LOGIN),
    "handbook_bookmark": Route(DocumentPage(post_method=True), LOGIN),
    "handbook_document_publish": Route(WritePage(), PUBLISH),
    "handbook_engagement": Route(WritePage(), PUBLISH),
    "handbook_correction": Route(CorrectionAction(create=True), LOGIN),  # about one's own record
    "handbook_corrections": Route(LoginRequired(), LOGIN),
    "handbook_correction_done": Route(CorrectionAction(), MANAGE),
    "report_summary": Route(ReportPage(), REPORT),
    "report_changes": Route(ReportPage(), REPORT),
    "report_members": Route(ReportPage(query="chi-so=members"), REPORT),
    "report_orgs": Route(ReportPage(query="cap=cell"), REPORT),
    "report_export": Route(ReportPage(), EXPORT),
    "report_pdf": Route(ReportPage(), EXPORT),
    "member_export": Route(ReportPage(), EXPORT),  # GET: the choice of layout; POST starts it
    # Background tasks and imports: a task is its owner's alone.
    "task_list": Route(LoginRequired(), LOGIN),
    "task_detail": Route(OwnTask(), OWNER),
    "task_progress": Route(OwnTask(), OWNER),
    "task_download": Route(OwnTask(), OWNER),
    # Open to all signed in (the page says who may import); the upload is the policy's.
    "import_start": Route(ImportUpload(), IMPORT),
    "import_detail": Route(OwnTask(), OWNER),
    "import_commit": Route(OwnTask(logged_in_status=405), OWNER),  # POST only
    "import_remap": Route(OwnTask(logged_in_status=405), OWNER),  # POST only
    # Data quality: checking a node's records.
    "quality_home": Route(ReportHome(), CHECK_QUALITY),
    "quality_dashboard": Route(ReportPage(), CHECK_QUALITY),
    "quality_fixes": Route(ReportPage(query="loi=missing_cccd"), CHECK_QUALITY),
    "quality_start": Route(ReportAction(), CHECK_QUALITY),  # POST only: starts a check
    # Restructuring: moving, merging, splitting and dissolving nodes.
    "restructuring_home": Route(RestructuringPage(post=False), RESTRUCTURE),
    "restructuring_move": Route(RestructuringPage(), RESTRUCTURE),
    "restructuring_merge": Route(RestructuringPage(), RESTRUCTURE),
    "restructuring_split": Route(RestructuringPage(), RESTRUCTURE),
    "restructuring_dissolve": Route(RestructuringPage(), RESTRUCTURE),
    # Procedures: cases (view, propose a cell's step, decide), candidates, documents.
    "procedures_home": Route(LoginRequired(), LOGIN),  # the cases the user sees
    "case_detail": Route(ProcedurePage(CASE), VIEW),
    # Each step is recorded by the action its flow names; the walk asks for a cell's step.
    "case_step": Route(ProcedurePage(CASE, extra=("cell_resolution",)), PROPOSE),
    "case_document_upload": Route(ProcedurePage(CASE, post=True), PROPOSE),
    "case_document": Route(CaseDocumentFile(), VIEW),
    "case_introducer": Route(ProcedurePage(CASE), PROPOSE),
    "candidate_list": Route(ReportPage(), REPORT),
    "candidate_create": Route(ReportPage(), REPORT),
    "candidate_detail": Route(ProcedurePage(CANDIDATE), VIEW),
    "candidate_edit": Route(ProcedurePage(CANDIDATE), PROPOSE),
    "case_open": Route(ProcedurePage(CANDIDATE, post=True), PROPOSE),
    # Documents of procedures: made by the producing step's action (walked with both), read by
    # those who see the case; the list of probationary members due by those who keep the node.
    "case_document_generate": Route(CaseDocumentMake(), PROPOSE),
    "case_document_pdf": Route(CaseDocumentPdf(), VIEW),
    "probation_list": Route(ReportPage(), REPORT),
    # Admission targets: the page of a node's targets is a report; a target is set from above.
    "report_targets": Route(ReportPage(), REPORT),
    "target_edit": Route(TargetPage(), DECIDE),
    "org_cases": Route(ReportPage(query="chi-so=admitted"), REPORT),  # behind a figure
    # Transfers of a node (its subtree's records): lists, opening one, receiving from outside.
    # Receiving a transfer inside the installation is a step of the case (the `receive` action).
    "transfer_list": Route(ObjectPage("org"), REPORT),
    "transfer_open": Route(ObjectPage("org"), REPORT),
    "transfer_arrival": Route(ObjectPage("org"), REPORT),
    # Recognition as official: the lists of a node, opening a case from a record it keeps.
    "recognition_due": Route(ReportPage(), REPORT),
    "strike_off_proposals": Route(ReportPage(), REPORT),
    "recognition_open": Route(ObjectPage("member"), MANAGE),
    # Badges: the list of an award day is a report of the node (its Excel copy an export, which
    # the same roles hold); proposing from it is checked row by row (tests/procedures).
    "badge_list": Route(ReportPage(), REPORT),
    # Leaving the Party: opening a case from a record the user keeps; the exits of a node over a
    # period and its screening list are reports of the node (deciding a row is checked row by
    # row, tests/procedures/test_exit_pages.py).
    "exit_open": Route(ObjectPage("member"), MANAGE),
    "exit_list": Route(ReportPage(), REPORT),
    "screening_list": Route(ReportPage(), REPORT),
    # Exemptions and re-admission: the list of a node, opening from a record it keeps, the end
    # of an exemption recorded by its cell.
    "exemption_list": Route(ReportPage(), REPORT),
    "exemption_apply": Route(ObjectPage("member"), MANAGE),
    "exemption_end": Route(ExemptionPage(), PROPOSE),
    "readmission_open": Route(ObjectPage("member"), MANAGE),
    # Party cards: the queue is a report of the node (acting on a row is checked row by row,
    # tests/procedures); the lookup answers within the user's scope; a member's cards page is
    # for those who keep the record.
    "card_queue": Route(ReportPage(), REPORT),
    "card_lookup": Route(LoginRequired(), LOGIN),
    "member_cards": Route(ObjectPage("member"), MANAGE),
    # The API's own Django patterns besides its operations (walked through API_ROUTES).
    "api:openapi-json": Route(Public(), PUBLIC),
    # Exists only so that ninja can reverse the API's root: 404 to everyone, signed in or not.
    "api:api-root": Route(Fixed(404), PUBLIC),
}

API_ROUTES: dict[str, Route] = {
    "GET /api/v1/orgs": Route(ApiList(), LOGIN),  # the nodes the user sees
    "GET /api/v1/orgs/{org_id}": Route(ApiObject("org"), VIEW),
    "GET /api/v1/orgs/{org_id}/children": Route(ApiObject("org"), VIEW),
    "GET /api/v1/members": Route(ApiList(org_param="org"), VIEW),
    "GET /api/v1/members/{member_id}": Route(ApiObject("member"), VIEW),
    "PATCH /api/v1/members/{member_id}": Route(ApiPatchMember(), MANAGE),
    "GET /api/v1/reports/summary": Route(ReportPage(api=True), REPORT),
    "GET /api/v1/feed": Route(ApiList(), LOGIN),
    "POST /api/v1/notices/{post_id}/ack": Route(PostPage(post_method=True, api=True), LOGIN),
    "GET /api/v1/documents": Route(ApiList(), LOGIN),
    "GET /api/v1/documents/{document_id}": Route(DocumentPage(api=True), LOGIN),
    "GET /api/v1/reports/changes": Route(
        ReportPage(api=True, query="from=2026-01-01&to=2026-06-30"), REPORT
    ),
    "GET /api/v1/procedures/cases": Route(ApiList(), LOGIN),
    "GET /api/v1/procedures/cases/{case_id}": Route(ProcedurePage(CASE, api=True), VIEW),
    "GET /api/v1/procedures/targets": Route(ReportPage(api=True, query="year=2026"), REPORT),
    "GET /api/v1/procedures/recognitions-due": Route(ApiList(org_param="org"), REPORT),
    "GET /api/v1/procedures/badges": Route(ReportPage(api=True, query="day=2026-09-02"), REPORT),
    "GET /api/v1/procedures/exits": Route(
        ReportPage(api=True, query="from=2026-01-01&to=2026-12-31"), REPORT
    ),
    "GET /api/v1/procedures/exemptions": Route(ReportPage(api=True), REPORT),
    "GET /api/v1/procedures/cards": Route(ApiList(org_param="org"), REPORT),
    "GET /api/v1/procedures/cards/lookup": Route(ApiList(), LOGIN),
    "GET /api/v1/procedures/cards/members/{member_id}": Route(ApiObject("member"), VIEW),
    "POST /api/v1/imports": Route(ImportUpload(api=True), IMPORT),
    "GET /api/v1/imports/{task_id}": Route(OwnTask(api=True), OWNER),
    "POST /api/v1/imports/{task_id}/commit": Route(
        OwnTask(api=True, method="post", owner_status=409), OWNER
    ),
}

# Policy actions on nodes and records that no route is declared with, and why: each is still
# checked against the oracle in tests/accounts/test_policy.py.
SERVICES_ONLY: dict[tuple[str, str], str] = {
    ("orgs.organization", IMPORT_CREATE): (
        "decided row by row by the import's validation, which refuses a new record outside it "
        "(tests/members/test_import_create_policy.py)"
    ),
    ("members.member", SEE_TRAIL): (
        "decides whether the record page (declared `view`) shows the record's trail"
    ),
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


ADMIN_SITE: dict[str, Route] = {
    "admin:index": Route(StaffOnly(), STAFF_SITE),
    "admin:login": Route(AdminLogin(), STAFF_SITE),
    # POST only.
    "admin:logout": Route(StaffOnly(staff_status=405, denied_location=admin_index_url), STAFF_SITE),
    "admin:password_change": Route(StaffOnly(), STAFF_SITE),
    "admin:password_change_done": Route(StaffOnly(), STAFF_SITE),
    "admin:jsi18n": Route(StaffOnly(), STAFF_SITE),
    # Refused without a field to complete.
    "admin:autocomplete": Route(StaffOnly(staff_status=403), STAFF_SITE),
    # No public URL.
    "admin:view_on_site": Route(StaffOnly(staff_status=404, args=_a_user_object), STAFF_SITE),
    "admin:app_list": Route(StaffOnly(args=_app_labels), STAFF_SITE),
    # UserAdmin's own view (its name keeps "auth_user" whatever the user model's app).
    "admin:auth_user_password_change": Route(StaffOnly(args=_the_admin_user), STAFF_SITE),
    # django-otp's views of an authenticator's secret: refused, the secret stays with its owner.
    "admin:otp_totp_totpdevice_config": Route(
        StaffOnly(staff_status=403, args=_any_device), STAFF_SITE
    ),
    "admin:otp_totp_totpdevice_qrcode": Route(
        StaffOnly(staff_status=403, args=_any_device), STAFF_SITE
    ),
}


@dataclass(frozen=True)
class Declared:
    """A route found by the walk, with its declaration and how to build its URL."""

    kind: Kind
    action: str
    url: UrlMaker

    @classmethod
    def of(cls, route: Route, url: UrlMaker) -> Declared:
        return cls(route.kind, route.action, url)


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
                return Declared(AdminModelPage(model, page), STAFF_SITE, _reverser(pattern.name))
        if pattern.name is None and pattern.route == f"{prefix}{app}/{name}/<path:object_id>/":
            # The bare object URL redirects staff to the change page.
            changelist = f"{base}changelist"
            return Declared(
                AdminModelPage(model, "redirect"),
                STAFF_SITE,
                lambda pk, changelist=changelist: f"{reverse(changelist)}{pk}/",
            )
    return None


def declared_pattern(pattern: Pattern) -> Declared | None:
    if pattern.name in WEB_PAGES:
        return Declared.of(WEB_PAGES[pattern.name], _reverser(pattern.name))
    if pattern.name in ADMIN_SITE:
        return Declared.of(ADMIN_SITE[pattern.name], _reverser(pattern.name))
    if pattern.name is None and pattern.route == f"{_admin_route_prefix()}(?P<url>.*)$":
        # The admin's catch-all: an unknown admin URL is 404 for staff, login for the rest.
        return Declared(
            StaffOnly(staff_status=404), STAFF_SITE, lambda: f"{reverse('admin:index')}khong-co/"
        )
    return admin_model_page(pattern)


def declared_operation(operation: Operation) -> Declared | None:
    route = API_ROUTES.get(operation.key)
    if route is None or operation.method not in route.kind.methods:
        return None
    return Declared.of(route, lambda *args: fill(operation.path, *args))
