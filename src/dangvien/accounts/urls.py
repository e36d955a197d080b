from django.contrib.auth.views import LogoutView
from django.urls import path

from dangvien.accounts import activation_views, views

urlpatterns = [
    path("dang-nhap/", views.login_view, name="login"),
    path("kich-hoat/", activation_views.activate, name="activation"),
    path("dang-xuat/", LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", views.PasswordChange.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", views.PasswordChangeDone.as_view(), name="password_change_done"),
]
