from django.urls import path

from dangvien.reports import target_views, views

urlpatterns = [
    path("", views.report_home, name="report_home"),
    path("<int:org_id>/", views.report_summary, name="report_summary"),
    path("<int:org_id>/bien-dong/", views.report_changes, name="report_changes"),
    path("<int:org_id>/danh-sach/", views.report_members, name="report_members"),
    path("<int:org_id>/to-chuc/", views.report_orgs, name="report_orgs"),
    path("<int:org_id>/excel/", views.report_export, name="report_export"),
    path("<int:org_id>/pdf/", views.report_pdf_view, name="report_pdf"),
    path("<int:org_id>/chi-tieu-ket-nap/", target_views.report_targets, name="report_targets"),
]
