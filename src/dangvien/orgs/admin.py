"""Reference data of the tree. Organizations themselves change only through the services of orgs
and restructuring (history and audit; the restructuring pages are their door for staff), so they
are not registered here."""

from django.contrib import admin

from dangvien.orgs.models import GrassrootsKind, OrgLevel


@admin.register(OrgLevel)
class OrgLevelAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "rank", "is_grassroots", "holds_members"]
    list_editable = ["rank"]
    search_fields = ["name", "code"]


@admin.register(GrassrootsKind)
class GrassrootsKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "rank"]
    list_editable = ["rank"]
    search_fields = ["name", "code"]
