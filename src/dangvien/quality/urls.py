from django.urls import path

from dangvien.quality import views

urlpatterns = [
    path("", views.quality_home, name="quality_home"),
    path("<int:org_id>/", views.quality_dashboard, name="quality_dashboard"),
    path("<int:org_id>/kiem-tra/", views.quality_start, name="quality_start"),
    path("<int:org_id>/can-sua/", views.quality_fixes, name="quality_fixes"),
]
