"""The data-quality rules: one small named object each, in the order the pages list them.

Every rule says, in Vietnamese, what is wrong, which regulation asks for it and how to correct
it. Codes are stable identifiers stored with each finding; the rules the record forms already
apply (`members.validation.member_problems`, `members/rules/`) keep their codes here, so the fix
list and the edit form name a problem the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from dangvien.members.rules import admission
from dangvien.quality.models import Severity

ERROR, WARNING = Severity.ERROR.value, Severity.WARNING.value

GROUPS: dict[str, str] = {
    "required": "Thiếu thông tin bắt buộc",
    "dates": "Ngày tháng không hợp lý",
    "identifiers": "Số CCCD, số thẻ, số lý lịch sai mẫu",
    "duplicates": "Có thể trùng hồ sơ",
    "cell": "Không thuộc chi bộ nào",
    "history": "Lịch sử không khớp với hồ sơ",
    "procedures": "Thủ tục chưa hoàn tất",
}

FORM = "Hướng dẫn 12-HD/BTCTW (2022), Phiếu đảng viên (mẫu 2-HSĐV)"
STATUTE = admission.RULE
CCCD_RULE = "Thông tư 07/2016/TT-BCA và Thông tư 59/2021/TT-BCA"
CARD_RULE = "Chỉ thị 29 (thẻ 8 chữ số, cấp 2003–2025); Chỉ thị 51-CT/TW (thẻ mới 2025)"
CLEAN_DATA = "Yêu cầu dữ liệu đảng viên «đúng - đủ - sạch - sống» (Quy định 339-QĐ/TW, 2025)"
EDIT = "Sửa trên trang «Sửa hồ sơ» của đảng viên."
# The record's card fields copy the card registry: they are corrected there.
CARD_EDIT = "Sửa trên trang «Thẻ đảng viên» của đảng viên (sổ đăng ký thẻ)."


@dataclass(frozen=True)
class Rule:
    code: str
    group: str  # a key of GROUPS
    title: str
    explanation: str  # the regulation and how to correct the record, in Vietnamese
    severity: str  # ERROR counts against the score, WARNING asks for a look
    fields: tuple[str, ...]
    regulation: str
    on_edit_page: bool = True  # False: corrected through a procedure, not on the edit page

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def group_title(self) -> str:
        return GROUPS[self.group]


RULES: tuple[Rule, ...] = (
    # --- Required fields -------------------------------------------------------------------
    Rule("missing_full_name", "required", "Thiếu họ và tên",
         "Phiếu đảng viên ghi họ và tên đang dùng của đảng viên. " + EDIT,
         ERROR, ("full_name",), FORM),
    Rule("missing_gender", "required", "Thiếu giới tính",
         "Phiếu đảng viên ghi giới tính (Nam/Nữ); số CCCD cũng được đối chiếu với giới tính. "
         + EDIT, ERROR, ("gender",), FORM),
    Rule("missing_cccd", "required", "Thiếu số CCCD",
         "Hồ sơ đảng viên ghi số căn cước công dân (12 chữ số); cơ sở dữ liệu đảng viên đối "
         "chiếu đảng viên với dữ liệu dân cư bằng số này. Xin đảng viên xuất trình thẻ căn cước "
         "và ghi đủ 12 chữ số. " + EDIT, ERROR, ("citizen_id",), FORM),
    Rule("missing_admission_date", "required", "Thiếu ngày vào Đảng",
         "Ngày vào Đảng là ngày ghi trong quyết định kết nạp (mẫu 9-KNĐ); tuổi đảng, thời hạn dự "
         "bị và Huy hiệu Đảng đều tính từ ngày này. Đối chiếu quyết định kết nạp trong hồ sơ. "
         + EDIT, ERROR, ("admission_date",), FORM),
    Rule("missing_recognition_date", "required", "Đảng viên chính thức thiếu ngày chính thức",
         "Đảng viên chính thức phải có ngày được công nhận chính thức theo quyết định của cấp ủy "
         "có thẩm quyền. Đối chiếu quyết định công nhận đảng viên chính thức. " + EDIT,
         ERROR, ("recognition_date",), FORM),
    Rule("missing_card_number", "required", "Đảng viên chính thức chưa có số thẻ đảng viên",
         "Cấp ủy cấp trên cơ sở quyết định công nhận chính thức và cấp thẻ đảng viên cùng lúc; "
         "thẻ được trao tại buổi sinh hoạt chi bộ gần nhất. Quy tắc này chỉ xét đảng viên chính "
         "thức từ ba tháng trở lên. Ghi số thẻ in trên thẻ đảng viên (thẻ mất thì đề nghị cấp "
         "lại). " + CARD_EDIT, ERROR, ("party_card_number",), CARD_RULE),
    # --- Dates -----------------------------------------------------------------------------
    Rule("birth_future", "dates", "Ngày sinh chưa tới",
         "Ngày sinh sau ngày hôm nay là nhập sai. Đối chiếu giấy khai sinh hoặc thẻ căn cước. "
         + EDIT, ERROR, ("date_of_birth",), FORM),
    Rule("birth_implausible", "dates", "Ngày sinh quá xa (trên 120 tuổi)",
         "Ngày sinh cách đây hơn 120 năm gần như chắc chắn là nhập sai (ví dụ năm 1089 thay vì "
         "1989). Đối chiếu giấy khai sinh hoặc thẻ căn cước. " + EDIT,
         ERROR, ("date_of_birth",), FORM),
    Rule("admission_future", "dates", "Ngày vào Đảng chưa tới",
         "Ngày vào Đảng sau ngày hôm nay là nhập sai. Đối chiếu quyết định kết nạp. " + EDIT,
         ERROR, ("admission_date",), STATUTE),
    Rule("admission_before_birth", "dates", "Ngày vào Đảng trước ngày sinh",
         "Ngày vào Đảng không thể trước ngày sinh: một trong hai ngày bị nhập sai. " + EDIT,
         ERROR, ("admission_date", "date_of_birth"), STATUTE),
    Rule("admission_age", "dates", "Tuổi khi vào Đảng ngoài khoảng 18–60",
         "Người vào Đảng phải từ đủ 18 tuổi; trên 60 tuổi cần cấp ủy có thẩm quyền đồng ý. Chỉ xét "
         f"người vào Đảng từ {admission.EFFECTIVE_FROM:%d/%m/%Y} (theo quy định đang áp dụng lúc "
         "đó). Nếu ngày tháng đúng và trường hợp là ngoại lệ đã được đồng ý, không cần sửa; nếu "
         "không, đối chiếu ngày sinh và ngày vào Đảng. " + EDIT,
         WARNING, ("admission_date", "date_of_birth"), STATUTE),
    Rule("recognition_future", "dates", "Ngày chính thức chưa tới",
         "Ngày công nhận chính thức sau ngày hôm nay là nhập sai. Đối chiếu quyết định công nhận "
         "đảng viên chính thức. " + EDIT, ERROR, ("recognition_date",), STATUTE),
    Rule("recognition_before_admission", "dates", "Ngày chính thức trước ngày vào Đảng",
         "Đảng viên chỉ được công nhận chính thức sau 12 tháng dự bị kể từ ngày vào Đảng. "
         + EDIT, ERROR, ("recognition_date", "admission_date"), STATUTE),
    Rule("probation_length", "dates", "Ngày chính thức không đúng 12 tháng dự bị",
         "Thời hạn dự bị là 12 tháng kể từ ngày vào Đảng; đảng viên là chính thức từ ngày đủ 12 "
         "tháng, kể cả khi chi bộ họp xét muộn. Chỉ xét người vào Đảng từ "
         f"{admission.EFFECTIVE_FROM:%d/%m/%Y}. Đối chiếu quyết định công nhận chính thức. "
         + EDIT, WARNING, ("recognition_date", "admission_date"), STATUTE),
    Rule("ceremony_before_admission", "dates", "Ngày lễ kết nạp trước ngày quyết định kết nạp",
         "Lễ kết nạp được tổ chức trong 30 ngày làm việc sau khi nhận quyết định kết nạp, nên "
         "không thể trước ngày quyết định. " + EDIT,
         ERROR, ("admission_ceremony_date", "admission_date"), STATUTE),
    Rule("card_before_recognition", "dates", "Ngày cấp thẻ đảng trước ngày chính thức",
         "Thẻ đảng viên chỉ cấp cho đảng viên chính thức, cùng với quyết định công nhận chính "
         "thức. " + CARD_EDIT, ERROR, ("party_card_issued_date", "recognition_date"), CARD_RULE),
    Rule("date_future", "dates", "Ngày lễ kết nạp hoặc ngày cấp thẻ chưa tới",
         "Ngày lễ kết nạp và ngày cấp thẻ đảng không thể sau ngày hôm nay. " + EDIT,
         ERROR, ("admission_ceremony_date", "party_card_issued_date"), FORM),
    # --- Identifiers -------------------------------------------------------------------------
    Rule("cccd_length", "identifiers", "Số CCCD không đủ 12 chữ số",
         "Số căn cước công dân gồm đúng 12 chữ số (chứng minh nhân dân cũ 9 chữ số không dùng "
         "thay được). Khi nhập từ Excel, các chữ số 0 ở đầu hay bị mất: ghi lại đủ 12 chữ số. "
         + EDIT, ERROR, ("citizen_id",), CCCD_RULE),
    Rule("cccd_province", "identifiers", "Mã tỉnh trong số CCCD không có trong danh mục",
         "Ba chữ số đầu của số CCCD là mã tỉnh nơi đăng ký khai sinh (001 Hà Nội … 096 Cà Mau). "
         "Đối chiếu thẻ căn cước. " + EDIT, ERROR, ("citizen_id",), CCCD_RULE),
    Rule("cccd_century_sex", "identifiers", "Số CCCD không khớp giới tính và thế kỷ sinh",
         "Chữ số thứ tư của số CCCD cho biết thế kỷ sinh và giới tính (0 nam, 1 nữ sinh thế kỷ "
         "20; 2 nam, 3 nữ sinh thế kỷ 21). Số CCCD, giới tính hoặc ngày sinh bị nhập sai. "
         + EDIT, ERROR, ("citizen_id", "gender", "date_of_birth"), CCCD_RULE),
    Rule("cccd_year", "identifiers", "Số CCCD không khớp năm sinh",
         "Chữ số thứ năm và thứ sáu của số CCCD là hai số cuối của năm sinh. Số CCCD hoặc ngày "
         "sinh bị nhập sai. " + EDIT, ERROR, ("citizen_id", "date_of_birth"), CCCD_RULE),
    Rule("card_format", "identifiers", "Số thẻ đảng viên sai mẫu",
         "Thẻ đảng viên cấp từ 2003 đến trước ngày 8/8/2025 có số gồm 8 chữ số; mẫu số của thẻ "
         "mới (Chỉ thị 51-CT/TW, cấp từ 8/8/2025) do quản trị hệ thống khai báo. Ghi đúng số in "
         "trên thẻ, kể cả các chữ số 0 ở đầu. " + CARD_EDIT,
         ERROR, ("party_card_number",), CARD_RULE),
    Rule("record_number_format", "identifiers", "Số lý lịch sai mẫu",
         "Số lý lịch đảng viên gồm 6 chữ số và 1–3 chữ cái viết tắt tên tỉnh (ví dụ 012345HN). "
         + EDIT, ERROR, ("record_number",), FORM),
    # --- Probable duplicates -------------------------------------------------------------
    Rule("duplicate_name_birth", "duplicates", "Trùng họ tên và ngày sinh với hồ sơ khác",
         "Hai hồ sơ đang sinh hoạt có cùng họ tên (không kể dấu) và cùng ngày sinh có thể là một "
         "người được ghi hai lần (ví dụ chuyển sinh hoạt mà nơi đi chưa đóng hồ sơ). Không xét "
         "khi cả hai hồ sơ đều có số CCCD đủ 12 chữ số và khác nhau: đó là hai người. Đối chiếu "
         "hai hồ sơ; nếu là một người, báo cấp ủy cấp trên để đóng hồ sơ thừa.",
         WARNING, ("full_name", "date_of_birth"), CLEAN_DATA, False),
    Rule("duplicate_near", "duplicates", "Gần trùng: cùng ngày sinh, họ tên khác một tên đệm",
         "Cùng ngày sinh, cùng họ và tên, chỉ khác (hoặc thiếu) một tên đệm, ví dụ «Nguyễn Hùng» "
         "và «Nguyễn Văn Hùng»: có thể là một người ghi hai lần. Không xét khi cả hai hồ sơ đều "
         "có số CCCD đủ 12 chữ số và khác nhau. Đối chiếu hai hồ sơ; nếu là một người, báo cấp ủy "
         "cấp trên để đóng hồ sơ thừa.",
         WARNING, ("full_name", "date_of_birth"), CLEAN_DATA, False),
    Rule("duplicate_identifier", "duplicates",
         "Số CCCD hoặc số thẻ viết khác nhưng trùng hồ sơ khác",
         "Số CCCD hoặc số thẻ sai mẫu, nhưng khi bỏ dấu cách, dấu chấm và thêm lại các chữ số 0 "
         "ở đầu thì trùng với số của một hồ sơ khác: có thể là một người ghi hai lần. Đối chiếu "
         "hai hồ sơ.", WARNING, ("citizen_id", "party_card_number"), CLEAN_DATA, False),
    # --- Cell ------------------------------------------------------------------------------
    Rule("no_cell", "cell", "Đang sinh hoạt nhưng không thuộc chi bộ nào",
         "Mỗi đảng viên sinh hoạt trong một chi bộ. Hồ sơ này không có chi bộ, hoặc chi bộ ghi "
         "trong hồ sơ đã giải thể hoặc không phải một chi bộ. Cấp ủy ghi thủ tục chuyển sinh "
         "hoạt về chi bộ đúng; không sửa được trên trang «Sửa hồ sơ».",
         ERROR, ("org",), "Điều lệ Đảng", False),
    # --- History against the record ------------------------------------------------------
    Rule("probationary_recognised", "history", "Đảng viên dự bị nhưng đã có ngày chính thức",
         "Hồ sơ ghi ngày chính thức nhưng tình trạng vẫn là dự bị. Nếu đã có quyết định công "
         "nhận, cấp ủy ghi thủ tục chuyển đảng chính thức; nếu chưa, xóa ngày chính thức trên "
         "trang «Sửa hồ sơ».", ERROR, ("recognition_date", "status"), STATUTE, False),
    Rule("status_history_mismatch", "history", "Lịch sử tình trạng không khớp tình trạng hiện tại",
         "Quá trình tình trạng đảng viên (dự bị, chính thức, miễn sinh hoạt …) phải kết thúc ở "
         "tình trạng hiện tại. Cấp ủy ghi lại thủ tục còn thiếu (ví dụ chuyển chính thức) để "
         "lịch sử và tình trạng khớp nhau; không sửa được trên trang «Sửa hồ sơ».",
         WARNING, ("status",), STATUTE, False),
    Rule("membership_mismatch", "history", "Quá trình sinh hoạt không khớp chi bộ hiện tại",
         "Đảng viên đang sinh hoạt chính thức ở chi bộ ghi trong hồ sơ thì quá trình sinh hoạt "
         "phải có một giai đoạn đang mở ở chi bộ đó. Cấp ủy ghi lại thủ tục chuyển sinh hoạt còn "
         "thiếu; không sửa được trên trang «Sửa hồ sơ».", WARNING, ("org",), STATUTE, False),
    # --- Procedures ----------------------------------------------------------------------
    Rule("probation_overdue", "procedures", "Dự bị quá 12 tháng chưa có quyết định chính thức",
         "Thời hạn dự bị là 12 tháng; trong 30 ngày làm việc sau khi hết hạn, chi bộ phải xét "
         "công nhận chính thức (nếu không đủ tư cách thì đề nghị xóa tên). Hồ sơ này đã quá hạn "
         "mà vẫn là dự bị, chưa có ngày chính thức. Chi bộ xét và cấp ủy ghi quyết định công "
         "nhận chính thức (hoặc xóa tên); nếu đã có quyết định, ghi lại thủ tục đó.",
         ERROR, ("status", "admission_date", "recognition_date"), STATUTE, False),
    Rule("exempt_without_decision", "procedures", "Miễn sinh hoạt nhưng không ghi quyết định",
         "Miễn sinh hoạt đảng do chi bộ xem xét, quyết định theo đơn của đảng viên, ghi vào sổ "
         "nghị quyết và báo cáo cấp trên. Hồ sơ này có tình trạng miễn sinh hoạt nhưng quá trình "
         "tình trạng không có giai đoạn miễn sinh hoạt nào đang mở (ngày và nghị quyết của chi "
         "bộ). Cấp ủy ghi lại thủ tục miễn sinh hoạt với ngày của nghị quyết.",
         ERROR, ("status",), STATUTE, False),
    Rule("exempt_decision_unreferenced", "procedures",
         "Miễn sinh hoạt không ghi căn cứ (nghị quyết chi bộ)",
         "Giai đoạn miễn sinh hoạt đang mở không có ghi chú nào về nghị quyết của chi bộ hoặc lý "
         "do (tuổi cao, sức khỏe yếu). Cấp ủy bổ sung căn cứ khi ghi lại thủ tục miễn sinh hoạt.",
         WARNING, ("status",), STATUTE, False),
)  # fmt: skip

BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
ORDER: dict[str, int] = {rule.code: i for i, rule in enumerate(RULES)}


def rule_for(code: str) -> Rule:
    """The rule of a stored code; a code no longer in the catalogue still reads as something."""
    found = BY_CODE.get(code)
    if found is not None:
        return found
    return Rule(code, "dates", code, "", WARNING, (), "")
