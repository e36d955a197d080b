from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("dangvien.web.urls")),
    path("bao-cao/", include("dangvien.reports.urls")),
    path("so-tay/", include("dangvien.handbook.urls")),
    path("quan-tri/", admin.site.urls),
    path("api/v1/", include("dangvien.api.urls")),
]
