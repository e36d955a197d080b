"""The site's routes plus one view with no decorator at all: default deny must close it."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("open")


urlpatterns = [path("bare/", bare), path("", include("dangvien.urls"))]
