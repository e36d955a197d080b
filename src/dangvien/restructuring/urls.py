from django.urls import path

from dangvien.restructuring import views

urlpatterns = [
    path("to-chuc/<int:org_id>/sap-xep/", views.restructuring_home, name="restructuring_home"),
    path(
        "to-chuc/<int:org_id>/sap-xep/chuyen/",
        views.restructuring_move,
        name="restructuring_move",
    ),
    path(
        "to-chuc/<int:org_id>/sap-xep/hop-nhat/",
        views.restructuring_merge,
        name="restructuring_merge",
    ),
    path(
        "to-chuc/<int:org_id>/sap-xep/chia-tach/",
        views.restructuring_split,
        name="restructuring_split",
    ),
    path(
        "to-chuc/<int:org_id>/sap-xep/giai-the/",
        views.restructuring_dissolve,
        name="restructuring_dissolve",
    ),
]
