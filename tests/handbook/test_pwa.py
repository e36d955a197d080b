"""The handbook installs as a web app and its service worker keeps pages for offline reading."""

from __future__ import annotations

import json

from django.test import Client
from django.urls import reverse

from dangvien.handbook.models import Post
from dangvien.handbook.services import post_publish


def test_manifest_and_service_worker_are_served_from_the_root(db):
    client = Client()
    manifest = client.get("/manifest.webmanifest")
    data = json.loads(manifest.content)
    assert data["start_url"] == "/so-tay/" and data["display"] == "standalone"
    assert data["name"] == "Sổ tay đảng viên điện tử"
    worker = client.get("/sw.js")
    assert worker["Content-Type"].startswith("application/javascript")
    assert worker["Service-Worker-Allowed"] == "/"
    assert b"caches.open" in worker.content


def test_the_feed_asks_to_keep_its_recent_posts(as_persona, world):
    post = post_publish(
        acting_user=world.users["admin"],
        org=world.province,
        title="Tin",
        body="<p>x</p>",
        kind=Post.Kind.POST,
    )
    html = as_persona("member").get(reverse("handbook_feed")).content.decode()
    assert f"&quot;/so-tay/{post.pk}/&quot;" in html  # in data-keep-offline
