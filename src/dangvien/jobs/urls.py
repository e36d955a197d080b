from django.urls import path

from dangvien.jobs import views

# The names say "task": templates, the API and the permission walk use them.
urlpatterns = [
    path("", views.job_list, name="task_list"),
    path("<int:job_id>/", views.job_detail, name="task_detail"),
    path("<int:job_id>/tien-do/", views.job_progress, name="task_progress"),
    path("<int:job_id>/tai-ve/", views.job_download, name="task_download"),
]
