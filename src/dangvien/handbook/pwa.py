"""The handbook as an installable web app: the manifest and the service worker (served from the
site's root so that it may keep the handbook's pages for reading offline)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control


@login_not_required
@cache_control(max_age=86400, public=True)
def manifest(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "name": "Sổ tay đảng viên điện tử",
            "short_name": "Sổ tay",
            "lang": "vi",
            "start_url": "/so-tay/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#f4f1ea",
            "theme_color": "#a3121e",
            "icons": [
                {"src": static("handbook/icon.svg"), "sizes": "any", "type": "image/svg+xml"}
            ],
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@login_not_required
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    response = render(request, "handbook/pwa/sw.js", content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response
