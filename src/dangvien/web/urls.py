from django.contrib.auth.views import LogoutView
from django.urls import path

from dangvien.accounts import activation_views
from dangvien.accounts import views as accounts
from dangvien.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", accounts.login_view, name="login"),
    path("kich-hoat/", activation_views.activate, name="activation"),
    path("kich-hoat/cap-ma/<int:member_id>/", activation_views.issue, name="activation_issue"),
    path("dang-xuat/", LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", accounts.PasswordChange.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", accounts.PasswordChangeDone.as_view(), name="password_change_done"),
    path("to-chuc/", views.org_tree, name="org_tree"),
    path("to-chuc/<int:org_id>/", views.org_members, name="org_members"),
    path("to-chuc/<int:org_id>/con/", views.org_children_partial, name="org_children"),
    path("dang-vien/<int:member_id>/", views.member_detail, name="member_detail"),
]
