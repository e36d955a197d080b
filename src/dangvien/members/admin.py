"""Reference data of member records, and the dossier tables as inlines of a member.

Member records are worked on in the app, through the scoping selector and the services; the member
admin is for administrators (superusers) who correct a record's history tables by hand.
"""

from django.contrib import admin

from dangvien.members.models import (
    AcademicTitle,
    EducationLevel,
    Ethnicity,
    Occupation,
    ProfessionalLevel,
    Religion,
    TheoryLevel,
)


@admin.register(Ethnicity)
class EthnicityAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Religion)
class ReligionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class ReferenceListAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order"]
    list_editable = ["name", "order"]
    search_fields = ["code", "name"]


for reference in (EducationLevel, ProfessionalLevel, AcademicTitle, TheoryLevel, Occupation):
    admin.site.register(reference, ReferenceListAdmin)


# Member records are not in the admin: an admin form would write around the services (no rules,
# no version, no audit row, no view logged). Superusers use the app's pages like everyone else.
