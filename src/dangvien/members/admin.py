"""Reference data of member records. Member records are worked on in the app, through the
scoping selector and the services, so Member is not registered here."""

from django.contrib import admin

from dangvien.members.models import Ethnicity, Religion


@admin.register(Ethnicity)
class EthnicityAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Religion)
class ReligionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
