from django.urls import path

from dangvien.handbook import documents_views as docs
from dangvien.handbook import views

urlpatterns = [
    path("", views.feed, name="handbook_feed"),
    path("<int:post_id>/", views.post_detail, name="handbook_post"),
    path("<int:post_id>/xac-nhan/", views.post_acknowledge, name="handbook_ack"),
    path("<int:post_id>/da-doc/", views.post_reads, name="handbook_reads"),
    path("<int:post_id>/tep/<int:file_id>/", views.post_file, name="handbook_post_file"),
    path("viet/", views.write_home, name="handbook_write_home"),
    path("viet/<int:org_id>/", views.write, name="handbook_write"),
    path("de-nghi-sua/", views.correction_create, name="handbook_correction"),
    path("de-nghi-sua/danh-sach/", views.corrections, name="handbook_corrections"),
    path(
        "de-nghi-sua/<int:request_id>/xong/", views.correction_done, name="handbook_correction_done"
    ),
    path("tuong-tac/<int:org_id>/", views.engagement, name="handbook_engagement"),
    path("van-ban/", docs.library, name="handbook_library"),
    path("van-ban/<int:document_id>/", docs.document_detail, name="handbook_document"),
    path("van-ban/<int:document_id>/tep/", docs.document_file, name="handbook_document_file"),
    path("van-ban/<int:document_id>/luu/", docs.document_bookmark, name="handbook_bookmark"),
    path("van-ban/dang/<int:org_id>/", docs.document_publish, name="handbook_document_publish"),
]
