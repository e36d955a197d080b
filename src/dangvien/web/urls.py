from django.urls import path

from dangvien.accounts import activation_views, two_factor_views
from dangvien.accounts import views as accounts
from dangvien.web import dossier, exports, imports, quality, records, views
from dangvien.web import search as search_views

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", accounts.login_view, name="login"),
    path("dang-nhap/ma-xac-thuc/", two_factor_views.verify, name="two_factor_verify"),
    path("dang-nhap-hai-lop/", two_factor_views.enrol, name="two_factor_enrol"),
    path("kich-hoat/", activation_views.activate, name="activation"),
    path("dang-vien/<int:member_id>/sua/", records.member_edit, name="member_edit"),
    path("kich-hoat/cap-ma/<int:member_id>/", activation_views.issue, name="activation_issue"),
    path("dang-xuat/", accounts.Logout.as_view(), name="logout"),
    path("doi-mat-khau/", accounts.PasswordChange.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", accounts.PasswordChangeDone.as_view(), name="password_change_done"),
    path("to-chuc/", views.org_tree, name="org_tree"),
    path("to-chuc/<int:org_id>/", views.org_members, name="org_members"),
    path("to-chuc/<int:org_id>/con/", views.org_children_partial, name="org_children"),
    path("to-chuc/<int:org_id>/xuat-excel/", exports.member_export, name="member_export"),
    path("dang-vien/<int:member_id>/", views.member_detail, name="member_detail"),
    path("tim-kiem/", search_views.member_search_page, name="member_search"),
    path("dang-vien/<int:member_id>/anh/", dossier.member_photo, name="member_photo"),
    path("nhap-du-lieu/", imports.import_start, name="import_start"),
    path("nhap-du-lieu/<int:task_id>/", imports.import_detail, name="import_detail"),
    path("nhap-du-lieu/<int:task_id>/ghi/", imports.import_commit, name="import_commit"),
    path("nhap-du-lieu/<int:task_id>/cot/", imports.import_remap, name="import_remap"),
    path("chat-luong/", quality.quality_home, name="quality_home"),
    path("chat-luong/<int:org_id>/", quality.quality_dashboard, name="quality_dashboard"),
    path("chat-luong/<int:org_id>/kiem-tra/", quality.quality_start, name="quality_start"),
    path("chat-luong/<int:org_id>/can-sua/", quality.quality_fixes, name="quality_fixes"),
]
