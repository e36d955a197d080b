"""Every page forbids content from elsewhere and inline scripts (content security policy)."""

from __future__ import annotations

from django.urls import reverse


def test_pages_and_api_carry_the_content_security_policy(client, db):
    for url in (reverse("login"), "/api/v1/openapi.json", "/khong-co-trang-nay/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy


def test_logged_in_pages_render_without_inline_scripts(as_persona, world):
    html = as_persona("secretary").get(reverse("org_tree")).content.decode()
    for tag in html.split("<script")[1:]:
        assert 'src="' in tag.split(">")[0], "an inline script would be blocked by the policy"
