from django.urls import path

from dangvien.tasks import views

urlpatterns = [
    path("", views.task_list, name="task_list"),
    path("<int:task_id>/", views.task_detail, name="task_detail"),
    path("<int:task_id>/tien-do/", views.task_progress, name="task_progress"),
    path("<int:task_id>/tai-ve/", views.task_download, name="task_download"),
]
