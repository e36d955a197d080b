"""Reference lists of member records (ethnicities, religions, levels, occupations).

Member records and their dossier tables are not here: they change only through the services, on
the app's pages.
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
