from django.urls import path

from dangvien.members.imports import views as import_views
from dangvien.members.views import activation, edit, export, lost_contact, photo, record, search
from dangvien.members.views import list as member_list

urlpatterns = [
    path("dang-vien/<int:member_id>/sua/", edit.member_edit, name="member_edit"),
    path(
        "dang-vien/<int:member_id>/mat-lien-lac/",
        lost_contact.member_lost_contact,
        name="member_lost_contact",
    ),
    path("kich-hoat/", activation.activate, name="activation"),
    path("kich-hoat/cap-ma/<int:member_id>/", activation.issue, name="activation_issue"),
    path("to-chuc/<int:org_id>/", member_list.org_members, name="org_members"),
    path("to-chuc/<int:org_id>/xuat-excel/", export.member_export, name="member_export"),
    path("dang-vien/<int:member_id>/", record.member_detail, name="member_detail"),
    path("tim-kiem/", search.member_search_page, name="member_search"),
    path("dang-vien/<int:member_id>/anh/", photo.member_photo, name="member_photo"),
    path("nhap-du-lieu/", import_views.import_start, name="import_start"),
    path("nhap-du-lieu/<int:task_id>/", import_views.import_detail, name="import_detail"),
    path("nhap-du-lieu/<int:task_id>/ghi/", import_views.import_commit, name="import_commit"),
    path("nhap-du-lieu/<int:task_id>/cot/", import_views.import_remap, name="import_remap"),
]
