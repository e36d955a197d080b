"""The Hanoi table: on the `hanoi` demo, the city's report of 31/12/2020 shows the published
figures (DOMAIN.md §2), on the page and through the API. Loads 457,397 members: about a minute."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from dangvien.accounts.models import User
from dangvien.orgs.models import Organization
from dangvien.reports import selectors

DAY = dt.date(2020, 12, 31)


@pytest.fixture(autouse=True)
def _sqlite_only():
    # On PostgreSQL the city-scale recount of a past day is not tuned yet (its plan takes minutes
    # where SQLite takes a second): the figures are checked on SQLite, the engine of the demo.
    if connection.vendor != "sqlite":
        pytest.skip("the city-scale report of a past day is not tuned for PostgreSQL yet")


def test_hanoi_report_of_31_12_2020_shows_the_published_figures(db):
    call_command("demo", scale="hanoi", stdout=StringIO())
    city = Organization.objects.get(parent=None)
    counts = selectors.org_level_counts(city, DAY)
    assert counts["upper"] == 50
    assert counts["grassroots"] == 2316
    assert counts["sub_committee"] == 176
    assert counts["cell"] == 17225
    assert selectors.member_totals(city, DAY)["members"] == 457397

    client = Client()
    client.force_login(User.objects.get(username="thanhuy"))
    summary = client.get(f"/api/v1/reports/summary?org={city.pk}&date=2020-12-31").json()
    levels = {o["code"]: o["count"] for o in summary["organizations"]}
    assert (levels["upper"], summary["grassroots"], levels["sub_committee"], levels["cell"]) == (
        50,
        2316,
        176,
        17225,
    )
    assert summary["members"] == 457397
    html = client.get(reverse("report_summary", args=[city.pk]) + "?ngay=2020-12-31")
    assert "457.397" in html.content.decode()
