from django.urls import path

from dangvien.accounts import two_factor_views, views

urlpatterns = [
    path("dang-nhap/", views.login_view, name="login"),
    path("dang-nhap/ma-xac-thuc/", two_factor_views.verify, name="two_factor_verify"),
    path("dang-nhap-hai-lop/", two_factor_views.enrol, name="two_factor_enrol"),
    path("dang-xuat/", views.Logout.as_view(), name="logout"),
    path("doi-mat-khau/", views.PasswordChange.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", views.PasswordChangeDone.as_view(), name="password_change_done"),
]
