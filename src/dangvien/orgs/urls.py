from django.urls import path

from dangvien.orgs import views

urlpatterns = [
    path("to-chuc/", views.org_tree, name="org_tree"),
    path("to-chuc/<int:org_id>/con/", views.org_children_partial, name="org_children"),
]
