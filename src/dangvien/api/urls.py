from django.urls import path

from dangvien.api.v1 import api

urlpatterns = [path("", api.urls)]
