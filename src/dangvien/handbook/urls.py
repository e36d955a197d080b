from django.urls import path

from dangvien.handbook import views

urlpatterns = [
    path("", views.feed, name="handbook_feed"),
    path("<int:post_id>/", views.post_detail, name="handbook_post"),
    path("<int:post_id>/xac-nhan/", views.post_acknowledge, name="handbook_ack"),
    path("<int:post_id>/da-doc/", views.post_reads, name="handbook_reads"),
    path("viet/", views.write_home, name="handbook_write_home"),
    path("viet/<int:org_id>/", views.write, name="handbook_write"),
]
