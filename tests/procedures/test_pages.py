"""The procedure pages: a whole admission through the forms, refusals shown on the form, the
scope of every page, and the member record's "Thủ tục" section."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from tests.procedures.factories import DOSSIER_CODES, make_admission, make_candidate, pdf

from dangvien.members.models import Member
from dangvien.procedures.models import Candidate, Case, Step

D = dt.date


def test_a_secretary_registers_a_candidate_and_opens_a_case(world, as_persona):
    client = as_persona("secretary")
    url = reverse("candidate_create", args=[world.cell_a.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, {
        "cell": world.cell_a.pk, "full_name": "Đặng Thị Hương", "gender": "F",
        "date_of_birth": "2000-02-29", "source": "youth_union", "registered_on": "2026-01-05",
        "class_certificate_date": "2026-01-10", "helpers": [world.a1.pk],
    })  # fmt: skip
    candidate = Candidate.objects.get(full_name="Đặng Thị Hương")
    assert response.status_code == 302 and response.url == reverse(
        "candidate_detail", args=[candidate.pk]
    )
    assert list(candidate.helpers.all()) == [world.a1]
    listed = client.get(reverse("candidate_list", args=[world.grassroots1.pk]))
    assert listed.status_code == 404  # the secretary keeps cell A only
    listed = client.get(reverse("candidate_list", args=[world.cell_a.pk]))
    assert "Đặng Thị Hương" in listed.content.decode()
    opened = client.post(reverse("case_open", args=[candidate.pk]), {"opened_on": "2026-03-02"})
    case = Case.objects.get(candidate=candidate)
    assert opened.url == reverse("case_detail", args=[case.pk])


def test_a_candidate_with_a_bad_cccd_is_refused_by_the_record_rules(world, as_persona):
    client = as_persona("secretary")
    response = client.post(reverse("candidate_create", args=[world.cell_a.pk]), {
        "cell": world.cell_a.pk, "full_name": "Đặng Thị Hương", "gender": "F",
        "date_of_birth": "2000-03-01", "source": "youth_union", "registered_on": "2026-01-05",
        "citizen_id": "12345",
    })  # fmt: skip
    assert response.status_code == 200
    assert "phải gồm đúng 12 chữ số" in response.content.decode()
    assert not Candidate.objects.exists()


def test_an_admission_through_the_pages(world, as_persona):
    case = make_admission(world, dossier=False)
    secretary, upper = as_persona("secretary"), as_persona("upper")
    for code in DOSSIER_CODES:
        response = secretary.post(
            reverse("case_document_upload", args=[case.pk]), {"form_code": code, "upload": pdf()}
        )
        assert response.status_code == 302
    assert case.documents.count() == 5
    document = case.documents.first()
    file = secretary.get(reverse("case_document", args=[case.pk, document.pk]))
    assert file.status_code == 200 and file["Cache-Control"] == "private, no-store"
    assert (
        as_persona("other_upper")
        .get(reverse("case_document", args=[case.pk, document.pk]))
        .status_code
        == 404
    )

    def step(client, kind, **data):
        return client.post(reverse("case_step", args=[case.pk, kind]), data)

    assert step(secretary, "dossier", on="2026-03-10").status_code == 302
    refused = step(
        secretary, "cell_resolution", on="2026-03-16", present=2, votes_for=1, votes_against=1
    )
    body = refused.content.decode()
    assert refused.status_code == 200
    assert "Chỉ 1/2 đảng viên chính thức tán thành" in body and "Quy định 294-QĐ/TW" in body
    assert not Step.objects.filter(kind="cell_resolution").exists()
    assert (
        step(
            secretary, "cell_resolution", on="2026-03-16", present=2, votes_for=2, votes_against=0
        ).status_code
        == 302
    )
    assert (
        step(as_persona("grassroots"), "grassroots_resolution", on="2026-03-20").status_code == 302
    )
    # The decision is the committee above's: the secretary sees the case but may not record it.
    assert secretary.get(reverse("case_step", args=[case.pk, "decision"])).status_code == 403
    assert step(upper, "decision", on="2026-04-10", received_on="2026-04-13",
                reference="Số 12-QĐ/QU").status_code == 302  # fmt: skip
    page = secretary.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Lễ kết nạp" in page and "28/05/2026" in page and "Bí thư chi bộ" in page
    assert step(secretary, "ceremony", on="2026-05-05").status_code == 302
    member = Member.objects.get(full_name="Hoàng Văn Em")
    record = secretary.get(reverse("member_detail", args=[member.pk])).content.decode()
    assert "Thủ tục" in record and "Kết nạp đảng viên" in record and "Lễ kết nạp" in record


def test_cases_are_scoped(world, as_persona):
    case = make_admission(world)
    url = reverse("case_detail", args=[case.pk])
    assert as_persona("secretary").get(url).status_code == 200
    assert as_persona("upper").get(url).status_code == 200
    assert as_persona("other_upper").get(url).status_code == 404
    assert as_persona("member").get(url).status_code == 404
    home = as_persona("other_upper").get(reverse("procedures_home")).content.decode()
    assert "Hoàng Văn Em" not in home
    assert (
        "Hoàng Văn Em" in as_persona("grassroots").get(reverse("procedures_home")).content.decode()
    )


def test_an_introducer_is_picked_by_the_member_search(world, as_persona):
    case = make_admission(world, dossier=False)
    case.introducers.all().delete()
    client = as_persona("secretary")
    url = reverse("case_introducer", args=[case.pk])
    found = client.get(url, {"q": "binh"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Trần Thị Bình" in found
    response = client.post(url, {"member": world.a2.pk, "known_since": "2025-12-20"})
    assert "chưa đủ 12 tháng" in response.content.decode()
    response = client.post(url, {"member": world.a2.pk, "known_since": "2020-01-01"})
    assert response.status_code == 302
    assert list(case.introducers.values_list("member", flat=True)) == [world.a2.pk]
    # Someone out of the secretary's scope cannot be picked.
    response = client.post(url, {"member": world.c1.pk, "known_since": "2020-01-01"})
    assert response.status_code == 404


def test_the_api_lists_and_shows_cases_in_scope(world, as_persona):
    case = make_admission(world)
    listed = as_persona("upper").get("/api/v1/procedures/cases").json()
    assert [row["id"] for row in listed["items"]] == [case.pk]
    assert as_persona("other_upper").get("/api/v1/procedures/cases").json()["items"] == []
    detail = as_persona("secretary").get(f"/api/v1/procedures/cases/{case.pk}").json()
    assert detail["person"] == "Hoàng Văn Em"
    assert [s["kind"] for s in detail["steps"]] == ["dossier"]
    assert as_persona("other_upper").get(f"/api/v1/procedures/cases/{case.pk}").status_code == 404


def test_a_candidate_page_is_scoped(world, as_persona):
    candidate = make_candidate(world)
    url = reverse("candidate_detail", args=[candidate.pk])
    assert as_persona("secretary").get(url).status_code == 200
    assert as_persona("other_upper").get(url).status_code == 404
