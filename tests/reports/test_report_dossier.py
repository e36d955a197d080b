"""Breakdowns by the dossier's reference lists: education, qualification, theory, occupation."""

from __future__ import annotations

from dangvien.members.models import EducationLevel, Member, Occupation, TheoryLevel
from dangvien.reports import selectors


def test_members_are_counted_by_education_theory_and_occupation(world):
    twelve = EducationLevel.objects.order_by("order").first()
    high = TheoryLevel.objects.get(code="cao_cap")
    retired = Occupation.objects.get(code="huu_tri")
    Member.objects.filter(pk=world.a1.pk).update(education=twelve, theory_level=high)
    Member.objects.filter(pk__in=[world.a2.pk, world.b1.pk]).update(occupation=retired)
    totals = selectors.member_totals(world.province, selectors.today())
    assert totals[f"education_{twelve.code}"] == 1
    assert totals["education__unknown"] == 3
    assert totals["theory_cao_cap"] == 1
    assert totals["occupation_huu_tri"] == 2
    assert totals["professional__unknown"] == 4
    groups = {g.group.key for g in selectors.member_figures(world.province, selectors.today())}
    assert {"education", "professional", "theory", "occupation"} <= groups
