from django.urls import path

from dangvien.procedures import (
    badge_views,
    card_views,
    document_views,
    exit_views,
    recognition_views,
    target_views,
    transfer_views,
    views,
)

urlpatterns = [
    path("thu-tuc/", views.procedures_home, name="procedures_home"),
    path("thu-tuc/<int:case_id>/", views.case_detail, name="case_detail"),
    path("thu-tuc/<int:case_id>/buoc/<slug:kind>/", views.case_step, name="case_step"),
    path(
        "thu-tuc/<int:case_id>/tai-lieu/", views.case_document_upload, name="case_document_upload"
    ),
    path(
        "thu-tuc/<int:case_id>/tai-lieu/<int:document_id>/",
        views.case_document,
        name="case_document",
    ),
    path(
        "thu-tuc/<int:case_id>/van-ban/<str:form_code>/",
        document_views.case_document_generate,
        name="case_document_generate",
    ),
    path(
        "thu-tuc/<int:case_id>/tai-lieu/<int:document_id>/pdf/",
        document_views.case_document_pdf,
        name="case_document_pdf",
    ),
    path(
        "to-chuc/<int:org_id>/du-bi-den-han/",
        document_views.probation_list,
        name="probation_list",
    ),
    path("thu-tuc/<int:case_id>/nguoi-gioi-thieu/", views.case_introducer, name="case_introducer"),
    path("to-chuc/<int:org_id>/quan-chung-uu-tu/", views.candidate_list, name="candidate_list"),
    path(
        "to-chuc/<int:org_id>/quan-chung-uu-tu/them/",
        views.candidate_create,
        name="candidate_create",
    ),
    path("quan-chung-uu-tu/<int:candidate_id>/", views.candidate_detail, name="candidate_detail"),
    path("quan-chung-uu-tu/<int:candidate_id>/sua/", views.candidate_edit, name="candidate_edit"),
    path("quan-chung-uu-tu/<int:candidate_id>/mo-ho-so/", views.case_open, name="case_open"),
    path("to-chuc/<int:org_id>/chi-tieu-ket-nap/", target_views.target_edit, name="target_edit"),
    path("to-chuc/<int:org_id>/thu-tuc/", target_views.org_cases, name="org_cases"),
    path(
        "to-chuc/<int:org_id>/chuyen-sinh-hoat/",
        transfer_views.transfer_list,
        name="transfer_list",
    ),
    path(
        "to-chuc/<int:org_id>/chuyen-sinh-hoat/chuyen-di/",
        transfer_views.transfer_open_page,
        name="transfer_open",
    ),
    path(
        "to-chuc/<int:org_id>/chuyen-sinh-hoat/tiep-nhan/",
        transfer_views.transfer_arrival_page,
        name="transfer_arrival",
    ),
    path(
        "to-chuc/<int:org_id>/du-bi-sap-het-han/",
        recognition_views.recognition_due,
        name="recognition_due",
    ),
    path(
        "to-chuc/<int:org_id>/de-nghi-xoa-ten/",
        recognition_views.strike_off_proposals,
        name="strike_off_proposals",
    ),
    path("to-chuc/<int:org_id>/huy-hieu-dang/", badge_views.badge_list_page, name="badge_list"),
    path(
        "dang-vien/<int:member_id>/cong-nhan-chinh-thuc/",
        recognition_views.recognition_open,
        name="recognition_open",
    ),
    # Leaving the Party and the screening of members.
    path("dang-vien/<int:member_id>/ra-khoi-dang/", exit_views.exit_open, name="exit_open"),
    path("to-chuc/<int:org_id>/ra-khoi-dang/", exit_views.exit_list, name="exit_list"),
    path(
        "to-chuc/<int:org_id>/ra-soat-dang-vien/", exit_views.screening_list, name="screening_list"
    ),
]

# Exemptions and re-admission.
from dangvien.procedures import exemption_views  # noqa: E402

urlpatterns += [
    path(
        "to-chuc/<int:org_id>/mien-sinh-hoat/",
        exemption_views.exemption_list,
        name="exemption_list",
    ),
    path(
        "dang-vien/<int:member_id>/xin-mien/",
        exemption_views.exemption_apply_page,
        name="exemption_apply",
    ),
    path(
        "mien-sinh-hoat/<int:exemption_id>/ket-thuc/",
        exemption_views.exemption_end_page,
        name="exemption_end",
    ),
    path(
        "dang-vien/<int:member_id>/ket-nap-lai/",
        exemption_views.readmission_open_page,
        name="readmission_open",
    ),
    # Party cards: the issue queue, the lookup by number, a member's cards.
    path("to-chuc/<int:org_id>/the-dang-vien/", card_views.card_queue, name="card_queue"),
    path("the-dang-vien/", card_views.card_lookup, name="card_lookup"),
    path("dang-vien/<int:member_id>/the-dang-vien/", card_views.member_cards, name="member_cards"),
]
