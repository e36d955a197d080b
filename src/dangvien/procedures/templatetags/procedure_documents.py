"""`{% case_documents case %}`: the case page's "Văn bản của thủ tục" section (the documents its
steps produce, made from templates, and those already made, as Word and PDF), kept out of the
case view so the view need not know about templates."""

from __future__ import annotations

from typing import Any

from django import template

from dangvien.accounts.access import allowed
from dangvien.procedures import documents

register = template.Library()


@register.inclusion_tag("procedures/_case_documents.html", takes_context=True)
def case_documents(context: dict[str, Any], case: Any) -> dict[str, Any]:
    user = context["request"].user
    offers = [o for o in documents.offers(case) if allowed(user, o.spec.action, case)]
    made = [d for d in case.documents.all() if d.generated]
    return {"case": case, "offers": offers, "made": made, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("procedures/_probation_list_links.html")
def probation_list_links(roots: Any) -> dict[str, Any]:
    return {"roots": roots}
