from django.contrib import admin
from django.urls import include, path

from dangvien import views
from dangvien.handbook import pwa

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("dangvien.accounts.urls")),
    path("", include("dangvien.orgs.urls")),
    path("", include("dangvien.members.urls")),
    path("chat-luong/", include("dangvien.quality.urls")),
    path("", include("dangvien.restructuring.urls")),
    path("", include("dangvien.procedures.urls")),
    path("bao-cao/", include("dangvien.reports.urls")),
    path("so-tay/", include("dangvien.handbook.urls")),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("tac-vu/", include("dangvien.jobs.urls")),
    path("quan-tri/", admin.site.urls),
    path("api/v1/", include("dangvien.api.urls")),
]
