"""Procedures as dated cases: a case (admission, recognition, transfer …) of one person in one
cell, made of dated steps, each with who recorded it, its document and its vote.

A case copies its cell's path (`org_path`), as a member record does, so "the cases of a subtree"
is one index range and the policy scopes them like records. Steps are never edited or deleted:
a step recorded late stays marked late, with its reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dangvien.core.periods import Period
from dangvien.members.models import (
    EducationLevel,
    Ethnicity,
    Gender,
    Member,
    Occupation,
    ProfessionalLevel,
    Religion,
)
from dangvien.orgs.models import Organization
from dangvien.procedures.rules import admission as admission_rules
from dangvien.procedures.rules import badge as badge_rules


class CandidateSource(models.TextChoices):
    """Where a candidate (quần chúng ưu tú) comes from, for the sources' pipeline."""

    YOUTH_UNION = "youth_union", "Đoàn viên thanh niên"
    STUDENT = "student", "Học sinh, sinh viên"
    WORKER = "worker", "Công nhân, người lao động"
    TRADE_UNION = "trade_union", "Đoàn viên công đoàn"
    CIVIL_SERVANT = "civil_servant", "Cán bộ, công chức, viên chức"
    ARMED_FORCES = "armed_forces", "Lực lượng vũ trang"
    RESIDENT = "resident", "Quần chúng nơi cư trú"
    OTHER = "other", "Khác"


class EducationException(models.TextChoices):
    """The special cases of Hướng dẫn 01-HD/TW point 1.2 (`rules.admission.education`)."""

    NONE = "", "Không (tốt nghiệp trung học cơ sở trở lên)"
    SPECIAL_AREA = (
        admission_rules.SPECIAL_AREA,
        (
            "Sinh sống ở miền núi, biên giới, hải đảo, vùng đồng bào dân tộc thiểu số, "
            "vùng đặc biệt khó khăn, hoặc ngư dân thường xuyên làm việc trên biển, đảo "
            "(tối thiểu hoàn thành tiểu học)"
        ),
    )
    VILLAGE_ELDER = (
        admission_rules.VILLAGE_ELDER,
        "Già làng, trưởng bản, người có uy tín ở những vùng trên (có thể thấp hơn tiểu học)",
    )


class Candidate(models.Model):
    """A person a cell prepares for admission. Personal data in the fields of a member record
    (and checked by the same validators), so the decision copies them onto the new record."""

    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="candidates", verbose_name="chi bộ"
    )
    org_path = models.CharField(max_length=160, editable=False)
    full_name = models.CharField("họ và tên", max_length=120)
    name_sort = models.CharField(max_length=400, editable=False, default="")
    gender = models.CharField("giới tính", max_length=1, choices=Gender.choices)
    date_of_birth = models.DateField("ngày sinh")
    citizen_id = models.CharField("số CCCD", max_length=12, blank=True)
    ethnicity = models.ForeignKey(
        Ethnicity, null=True, blank=True, on_delete=models.PROTECT, verbose_name="dân tộc"
    )
    religion = models.ForeignKey(
        Religion, null=True, blank=True, on_delete=models.PROTECT, verbose_name="tôn giáo"
    )
    phone = models.CharField("số điện thoại", max_length=20, blank=True)
    birthplace = models.CharField("nơi sinh", max_length=250, blank=True)
    hometown = models.CharField("quê quán", max_length=250, blank=True)
    residence_address = models.CharField("địa chỉ thường trú", max_length=250, blank=True)
    current_address = models.CharField("nơi ở hiện nay", max_length=250, blank=True)
    education = models.ForeignKey(
        EducationLevel,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name="giáo dục phổ thông",
    )
    education_exception = models.CharField(
        "trường hợp đặc biệt về học vấn",
        max_length=20,
        choices=EducationException.choices,
        blank=True,
        default="",
        help_text="Theo Hướng dẫn 01-HD/TW điểm 1.2; để trống nếu không thuộc trường hợp nào.",
    )
    professional_level = models.ForeignKey(
        ProfessionalLevel,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name="trình độ chuyên môn",
    )
    professional_field = models.CharField("chuyên ngành", max_length=200, blank=True)
    occupation = models.ForeignKey(
        Occupation, null=True, blank=True, on_delete=models.PROTECT, verbose_name="nghề nghiệp"
    )
    source = models.CharField("nguồn", max_length=20, choices=CandidateSource.choices)
    class_name = models.CharField("lớp bồi dưỡng nhận thức về Đảng", max_length=250, blank=True)
    class_certificate_date = models.DateField("ngày cấp giấy chứng nhận", null=True, blank=True)
    helpers = models.ManyToManyField(
        Member, blank=True, related_name="candidates_helped", verbose_name="đảng viên giúp đỡ"
    )
    registered_on = models.DateField("ngày đưa vào danh sách")
    note = models.CharField("ghi chú", max_length=400, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "quần chúng ưu tú"
        verbose_name_plural = "quần chúng ưu tú"
        indexes = [models.Index(fields=["org_path", "name_sort"])]

    def __str__(self) -> str:
        return self.full_name


class CaseKind(models.TextChoices):
    ADMISSION = "admission", "Kết nạp đảng viên"
    RECOGNITION = "recognition", "Công nhận đảng viên chính thức"
    TRANSFER_OFFICIAL = "transfer_official", "Chuyển sinh hoạt đảng chính thức"
    TRANSFER_TEMPORARY = "transfer_temporary", "Chuyển sinh hoạt đảng tạm thời"
    TRANSFER_IN = "transfer_in", "Tiếp nhận đảng viên từ nơi khác chuyển đến"
    BADGE = "badge", "Tặng Huy hiệu Đảng"
    STRIKE_OFF = "strike_off", "Xóa tên đảng viên"
    EXPULSION = "expulsion", "Khai trừ đảng viên"
    DISCHARGE = "discharge", "Cho ra khỏi Đảng"
    DEATH = "death", "Đảng viên từ trần"
    EXEMPTION = "exemption", "Miễn công tác, sinh hoạt đảng"


class CaseState(models.TextChoices):
    OPEN = "open", "Đang giải quyết"
    CLOSED = "closed", "Đã kết thúc"


class Outcome(models.TextChoices):
    ADMITTED = "admitted", "Đã kết nạp"
    NOT_ADMITTED = "not_admitted", "Không kết nạp"
    RECOGNISED = "recognised", "Đã công nhận chính thức"
    STRIKE_OFF_PROPOSED = "strike_off_proposed", "Đề nghị xóa tên"
    TRANSFERRED = "transferred", "Đã chuyển sinh hoạt"
    RECEIVED = "received", "Đã tiếp nhận"
    AWARDED = "awarded", "Đã trao tặng"
    WITHDRAWN = "withdrawn", "Dừng giải quyết"
    STRUCK_OFF = "struck_off", "Đã xóa tên"
    EXPELLED = "expelled", "Đã khai trừ"
    DISCHARGED = "discharged", "Đã cho ra khỏi Đảng"
    DECEASED = "deceased", "Đã ghi nhận từ trần"
    EXEMPTED = "exempted", "Đã cho miễn"
    NOT_EXEMPTED = "not_exempted", "Không cho miễn"


class Case(models.Model):
    """One procedure for one person in one cell. An admission case has no member until the
    decision creates the record: until then the person is its `candidate`."""

    kind = models.CharField("thủ tục", max_length=24, choices=CaseKind.choices)
    member = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name="đảng viên",
    )
    candidate = models.ForeignKey(
        Candidate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name="người vào Đảng",
    )
    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="cases", verbose_name="chi bộ"
    )
    # The cell's path, copied for scoping (as Member.org_path).
    org_path = models.CharField(max_length=160, editable=False)
    # The other end of a transfer (the receiving cell, or a destination outside the tree).
    other_org = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_received",
        verbose_name="tổ chức nơi đến",
    )
    other_org_path = models.CharField(max_length=160, blank=True, editable=False)
    opened_on = models.DateField("ngày mở")
    state = models.CharField(
        "trạng thái", max_length=10, choices=CaseState.choices, default=CaseState.OPEN
    )
    closed_on = models.DateField("ngày kết thúc", null=True, blank=True)
    outcome = models.CharField("kết quả", max_length=24, choices=Outcome.choices, blank=True)
    # Set when a step leaves the next one with a deadline: what the to-do lists order by.
    next_deadline = models.DateField("hạn bước tiếp theo", null=True, blank=True)
    # The step the case waits for ("" until a step is recorded: the first of its flow), so a
    # to-do list asks SQL for the cases waiting on what its user may record.
    next_step = models.CharField("bước tiếp theo", max_length=32, blank=True)
    note = models.TextField("ghi chú", blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "hồ sơ thủ tục"
        verbose_name_plural = "hồ sơ thủ tục"
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["org_path", "state", "next_deadline"]),
            models.Index(fields=["state", "next_step", "org_path"]),
            models.Index(fields=["other_org_path", "state"]),
            models.Index(fields=["kind", "state", "next_deadline"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member__isnull=False) | models.Q(candidate__isnull=False),
                name="procedures_case_has_a_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person_name}"

    @property
    def person_name(self) -> str:
        if self.member is not None:
            return self.member.full_name
        return self.candidate.full_name if self.candidate is not None else ""

    @property
    def is_open(self) -> bool:
        return self.state == CaseState.OPEN


class Introducer(models.Model):
    """One of the two official members who introduce an applicant (3-KNĐ)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="introducers")
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="introduced", verbose_name="đảng viên"
    )
    known_since = models.DateField("cùng công tác, học tập, sinh sống từ")

    class Meta:
        verbose_name = "người giới thiệu"
        verbose_name_plural = "người giới thiệu"
        constraints = [
            models.UniqueConstraint(fields=["case", "member"], name="procedures_introducer_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} từ {self.known_since}"


class CaseDocument(models.Model):
    """A document of a case: an uploaded scan or a generated file, with its form code (1-KNĐ …).
    Kept under MEDIA_ROOT without a URL: served only by the case's scoped view."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    form_code = models.CharField("mẫu", max_length=12)
    title = models.CharField("tên tài liệu", max_length=200)
    file = models.FileField("tệp", upload_to="procedures/%Y/", max_length=200)
    file_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    generated = models.BooleanField("do hệ thống tạo", default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tài liệu thủ tục"
        verbose_name_plural = "tài liệu thủ tục"
        ordering = ["case_id", "form_code", "id"]

    def __str__(self) -> str:
        return f"{self.form_code} {self.title}"


class Step(models.Model):
    """A dated step of a case: what was done, on which day, by whom, with which document and
    vote, under which rule; late when done after its deadline (with the reason, for ever)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField("bước", max_length=32)
    done_on = models.DateField("ngày")
    received_on = models.DateField("ngày nhận", null=True, blank=True)
    reference = models.CharField("số, ký hiệu", max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    document = models.ForeignKey(
        CaseDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="steps"
    )
    eligible = models.PositiveSmallIntegerField("đảng viên chính thức", null=True, blank=True)
    present = models.PositiveSmallIntegerField("có mặt", null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField("tán thành", null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField("không tán thành", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)
    deadline = models.DateField("hạn", null=True, blank=True)
    late = models.BooleanField("quá hạn", default=False)
    late_reason = models.TextField("lý do chậm", blank=True)
    rule = models.CharField("căn cứ", max_length=300, blank=True)

    class Meta:
        verbose_name = "bước thủ tục"
        verbose_name_plural = "bước thủ tục"
        ordering = ["case_id", "done_on", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.done_on}"


class AdmissionTarget(models.Model):
    """How many members an organization is to admit in a year (chỉ tiêu kết nạp), set by the
    committee above it. The organization's path and its parent's are copied, as a case copies
    its cell's: the policy scopes who sees a target by the first and who sets it by the second."""

    org = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="admission_targets",
        verbose_name="tổ chức đảng",
    )
    org_path = models.CharField(max_length=160, editable=False)
    parent_path = models.CharField(max_length=160, blank=True, editable=False)
    year = models.PositiveSmallIntegerField("năm")
    target = models.PositiveIntegerField("chỉ tiêu")
    note = models.CharField("ghi chú", max_length=400, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "chỉ tiêu kết nạp"
        verbose_name_plural = "chỉ tiêu kết nạp"
        indexes = [models.Index(fields=["org_path", "year"])]
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="procedures_target_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year}: {self.target}"


class TransferReason(models.TextChoices):
    NEW_JOB = "new_job", "Chuyển công tác, thay đổi nơi làm việc"
    RETIREMENT = "retirement", "Nghỉ hưu, nghỉ việc, thôi việc"
    RESIDENCE = "residence", "Thay đổi nơi cư trú"
    WORK = "work", "Đi công tác, làm việc có thời hạn"
    STUDY = "study", "Đi học"
    OTHER = "other", "Lý do khác"


class Transfer(models.Model):
    """What a transfer case carries besides its steps: why, until when (a temporary one), and
    the other end when it lies outside the installation (the destination, or where an arriving
    member comes from). Inside the installation the other end is the case's `other_org`."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="transfer")
    reason = models.CharField("lý do", max_length=12, choices=TransferReason.choices)
    starts_on = models.DateField("sinh hoạt tạm thời từ ngày", null=True, blank=True)
    ends_on = models.DateField("đến ngày", null=True, blank=True)
    outside_name = models.CharField("tổ chức đảng ngoài Đảng bộ", max_length=250, blank=True)

    class Meta:
        verbose_name = "chuyển sinh hoạt đảng"
        verbose_name_plural = "chuyển sinh hoạt đảng"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=False, ends_on__gt=models.F("starts_on")),
                name="procedures_transfer_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.case_id})"


class BadgeEarly(models.TextChoices):
    NONE = "", "Đủ tuổi đảng"
    ILL = badge_rules.ILL, "Xét sớm: đảng viên bệnh nặng"
    POSTHUMOUS = badge_rules.POSTHUMOUS, "Truy tặng: đảng viên đã từ trần"


class Badge(models.Model):
    """What a badge case carries: the milestone (years of party age), the award day of the round
    it is proposed for, the day the member's party age reaches it, and why it is early if it is.
    A member gets each milestone once: one active badge case per (member, milestone)."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="badge")
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="badges", verbose_name="đảng viên"
    )
    milestone = models.PositiveSmallIntegerField("huy hiệu (năm tuổi đảng)")
    award_day = models.DateField("đợt trao tặng")
    reaches_on = models.DateField("ngày đủ tuổi đảng")
    early = models.CharField(
        "trường hợp", max_length=12, choices=BadgeEarly.choices, blank=True, default=""
    )
    active = models.BooleanField(default=True)  # False once the proposal is withdrawn

    class Meta:
        verbose_name = "Huy hiệu Đảng"
        verbose_name_plural = "Huy hiệu Đảng"
        constraints = [
            models.UniqueConstraint(
                fields=["member", "milestone"],
                condition=models.Q(active=True),
                name="procedures_badge_once",
            ),
        ]
        indexes = [models.Index(fields=["reaches_on", "member"], condition=models.Q(active=True),
                                name="procedures_badge_reaches")]  # fmt: skip

    def __str__(self) -> str:
        return f"Huy hiệu {self.milestone} năm tuổi Đảng ({self.member_id})"


class AwardDay(models.Model):
    """A day of badge awards the installation adds to the four yearly ones (a great
    anniversary)."""

    day = models.DateField("ngày", unique=True)
    name = models.CharField("dịp", max_length=200)

    class Meta:
        verbose_name = "ngày trao Huy hiệu Đảng"
        verbose_name_plural = "ngày trao Huy hiệu Đảng (ngoài 3/2, 19/5, 2/9, 7/11)"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}"


# --- Leaving the Party (xóa tên, khai trừ, cho ra khỏi Đảng, từ trần) ----------------------------


class ExitReason(models.TextChoices):
    """Why a member is struck off, as the statute's implementing rules list it
    (`rules.exit.STRIKE_OFF_REASONS`): the codes are the rule's."""

    NO_ACTIVITY_OR_DUES = (
        "no_activity_or_dues",
        "Bỏ sinh hoạt đảng hoặc không đóng đảng phí ba tháng trong năm mà không có lý do "
        "chính đáng",
    )
    CARD_GIVEN_UP = "card_given_up", "Tự ý trả thẻ đảng viên hoặc tự hủy thẻ đảng viên"
    NO_PROGRESS = (
        "no_progress",
        "Giảm sút ý chí phấn đấu, không làm nhiệm vụ đảng viên, đã được chi bộ giáo dục nhưng "
        "sau 12 tháng phấn đấu không tiến bộ",
    )
    TWO_YEARS_FAILING = "two_years_failing", "Hai năm liền vi phạm tư cách đảng viên"
    POLITICAL_STANDARD = (
        "political_standard",
        "Không bảo đảm tiêu chuẩn chính trị theo quy định của Bộ Chính trị",
    )
    NOT_RECOGNISED = (
        "not_recognised",
        "Đảng viên dự bị không đủ tư cách khi xét công nhận chính thức",
    )


class Exit(models.Model):
    """What a case of leaving the Party carries besides its steps: the reason (for striking off,
    one of the statute's), the facts in words, the body that decides an expulsion, the day of
    death, and the recognition case it follows from, if any."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="exit")
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="exits", verbose_name="đảng viên"
    )
    reason = models.CharField(
        "lý do xóa tên", max_length=24, choices=ExitReason.choices, blank=True
    )
    detail = models.CharField("nội dung, lý do cụ thể", max_length=400, blank=True)
    authority = models.CharField("cơ quan có thẩm quyền quyết định", max_length=200, blank=True)
    died_on = models.DateField("ngày từ trần", null=True, blank=True)
    source_case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="exits_following"
    )

    class Meta:
        verbose_name = "ra khỏi Đảng"
        verbose_name_plural = "ra khỏi Đảng"

    def __str__(self) -> str:
        return f"{self.case.get_kind_display()} ({self.member_id})"


class ScreeningDecision(models.TextChoices):
    KEEP = "keep", "Tiếp tục theo dõi, không xử lý"
    REMIND = "remind", "Nhắc nhở, giúp đỡ"
    STRIKE_OFF = "strike_off", "Đề nghị xóa tên (mở thủ tục xóa tên)"
    OTHER = "other", "Khác"


class ScreeningItem(models.Model):
    """A member flagged for the cell's review in the screening of members (rà soát, sàng lọc
    đảng viên, Quy định 09-QĐ/TU): raised by a rule's source (`screening.SOURCES`) or added by
    hand, then decided, by whom and when. Kept once per (member, source, day raised)."""

    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="chi bộ"
    )
    org_path = models.CharField(max_length=160, editable=False)
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="screenings", verbose_name="đảng viên"
    )
    reason = models.CharField("lý do", max_length=24, choices=ExitReason.choices)
    source = models.CharField("nguồn", max_length=24)
    raised_on = models.DateField("ngày phát hiện")
    detail = models.CharField("nội dung", max_length=400, blank=True)
    decision = models.CharField(
        "quyết định của chi bộ", max_length=12, choices=ScreeningDecision.choices, blank=True
    )
    decided_on = models.DateField("ngày quyết định", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField("ghi chú", max_length=400, blank=True)
    exit_case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="screenings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "rà soát đảng viên"
        verbose_name_plural = "rà soát đảng viên"
        indexes = [models.Index(fields=["org_path", "decision"])]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "source", "raised_on"], name="procedures_screening_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.source} {self.raised_on}"


# --- Exemptions (miễn công tác và sinh hoạt đảng) and re-admission (kết nạp lại) ---------------


class ExemptionScope(models.TextChoices):
    """What the cell exempts the member from. Exempted from meetings, the member's status is
    "miễn sinh hoạt" while it holds; exempted from party work only, the member still attends
    and counts in the cell's meetings and keeps the status "chính thức"."""

    ACTIVITY = "activity", "Miễn công tác và sinh hoạt đảng"
    WORK = "work", "Miễn công tác đảng (vẫn sinh hoạt)"


class ExemptionReason(models.TextChoices):
    AGE = "age", "Tuổi cao"
    HEALTH = "health", "Sức khỏe yếu"


class ExemptionEnd(models.TextChoices):
    NONE = "", "Chưa kết thúc"
    MEMBER = "member", "Đảng viên xin trở lại công tác, sinh hoạt"
    CELL = "cell", "Chi bộ quyết định thôi miễn"
    SCHEDULED = "scheduled", "Hết thời hạn miễn"


class Exemption(Period):
    """What an exemption case carries: the member, what and why, and the period it holds. The row
    is written with the application (`decided` False, `valid_from` the application's day); the
    cell's resolution sets `valid_from` to its day and `decided`. `valid_to` is the scheduled end
    (the application's "đến ngày") or the day the exemption ended; `ended_by` says which, once
    recorded. The meetings' attendance reads `decided` periods of scope ACTIVITY."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="exemption")
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="exemptions", verbose_name="đảng viên"
    )
    scope = models.CharField("nội dung miễn", max_length=10, choices=ExemptionScope.choices)
    reason = models.CharField("lý do", max_length=10, choices=ExemptionReason.choices)
    decided = models.BooleanField("chi bộ đã quyết định", default=False)
    ended_by = models.CharField(
        "kết thúc", max_length=10, choices=ExemptionEnd.choices, blank=True, default=""
    )
    end_reference = models.CharField("số, ký hiệu nghị quyết thôi miễn", max_length=60, blank=True)
    end_note = models.CharField("ghi chú khi kết thúc", max_length=400, blank=True)

    class Meta:
        verbose_name = "miễn công tác, sinh hoạt đảng"
        verbose_name_plural = "miễn công tác, sinh hoạt đảng"
        constraints = [*Period.Meta.constraints]
        indexes = [
            models.Index(
                fields=["member", "valid_from", "valid_to"],
                condition=models.Q(decided=True),
                name="procedures_exemption_held",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} ({self.member_id})"


class LeaveReason(models.TextChoices):
    """Why a former member left the Party, as the re-admission rule sorts them (Quy định
    24-QĐ/TW point 3.5.2, kept by 232-QĐ/TW and 294-QĐ/TW)."""

    SELF_ABANDONED = "self_abandoned", "Tự bỏ sinh hoạt đảng"
    OWN_REQUEST = "own_request", "Làm đơn xin ra khỏi Đảng"
    FAMILY_HARDSHIP = (
        "family_hardship",
        "Xin ra khỏi Đảng vì hoàn cảnh gia đình đặc biệt khó khăn",
    )
    DISUNITY = "disunity", "Gây mất đoàn kết nội bộ nghiêm trọng"
    CORRUPTION = "corruption", "Bị kết án về tội tham nhũng"
    SERIOUS_CRIME = "serious_crime", "Bị kết án về tội phạm nghiêm trọng trở lên"
    MINOR_CRIME = "minor_crime", "Bị kết án về tội phạm ít nghiêm trọng"
    OTHER = "other", "Lý do khác (không thuộc các trường hợp trên)"


class Readmission(models.Model):
    """An admission case of a former member: the candidate is linked to the closed record, which
    the decision reopens (never a second record). Why and when the person left, as the cell
    establishes them for the rule."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="readmission")
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="readmissions", verbose_name="đảng viên cũ"
    )
    left_on = models.DateField("ngày ra khỏi Đảng")
    left_reason = models.CharField("lý do ra khỏi Đảng", max_length=20, choices=LeaveReason.choices)
    record_cleared_on = models.DateField("ngày được xóa án tích", null=True, blank=True)

    class Meta:
        verbose_name = "kết nạp lại"
        verbose_name_plural = "kết nạp lại"

    def __str__(self) -> str:
        return f"Kết nạp lại {self.member_id}"


# --- Party cards (the registry) ---------------------------------------------------------------


class CardState(models.TextChoices):
    REQUESTED = "requested", "Đã đề nghị cấp"
    REGISTERED = "registered", "Đã có số thẻ"
    HANDED = "handed", "Đang dùng"
    VOID = "void", "Đã hủy"
    WITHDRAWN = "withdrawn", "Đã thu hồi"


CARD_IN_PROGRESS = (CardState.REQUESTED, CardState.REGISTERED)
CARD_ENDED = (CardState.VOID, CardState.WITHDRAWN)


class CardVoidReason(models.TextChoices):
    LOST = "lost", "Mất thẻ"
    DAMAGED = "damaged", "Thẻ hư hỏng"
    WRONG = "wrong", "Thẻ in sai thông tin"


class PartyCard(models.Model):
    """One party card of one member, from the committee's request to its end: requested →
    registered (its number and issue day) → handed (the member's active card) → void (lost,
    damaged, wrongly printed) or withdrawn (the member left the Party). Rows are never deleted, so
    the registry answers who held a number and every card a member held. The record's
    `party_card_number` and `party_card_issued_date` copy the active card (`procedures.cards`
    writes both)."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="party_cards", verbose_name="đảng viên"
    )
    number = models.CharField("số thẻ", max_length=16, unique=True, null=True, blank=True)
    state = models.CharField("tình trạng", max_length=12, choices=CardState.choices)
    requested_on = models.DateField("ngày đề nghị cấp", null=True, blank=True)
    registered_on = models.DateField("ngày ghi số thẻ", null=True, blank=True)
    issued_on = models.DateField("ngày cấp thẻ", null=True, blank=True)
    handed_on = models.DateField("ngày trao thẻ", null=True, blank=True)
    ended_on = models.DateField("ngày hủy/thu hồi", null=True, blank=True)
    void_reason = models.CharField(
        "lý do hủy", max_length=8, choices=CardVoidReason.choices, blank=True
    )
    end_note = models.CharField("lý do, ghi chú", max_length=500, blank=True)
    reference = models.CharField("số quyết định, công văn", max_length=100, blank=True)
    handed_note = models.CharField("ghi chú khi trao thẻ", max_length=500, blank=True)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by",
        verbose_name="cấp lại thay thẻ",
    )  # fmt: skip
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name="người ghi",
    )  # fmt: skip

    class Meta:
        verbose_name = "thẻ đảng viên"
        verbose_name_plural = "thẻ đảng viên"
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(state="handed"),
                name="procedures_card_one_active",
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(state__in=["requested", "registered"]),
                name="procedures_card_one_in_progress",
            ),
            models.CheckConstraint(
                condition=models.Q(number__isnull=False)
                | ~models.Q(state__in=["registered", "handed"]),
                name="procedures_card_numbered",
            ),
        ]
        indexes = [
            # The queue's stages: few rows, read by state then the member's path.
            models.Index(fields=["state", "member"], condition=models.Q(state__in=[
                "requested", "registered"]), name="procedures_card_queue"),
            models.Index(fields=["ended_on"], condition=models.Q(ended_on__isnull=False),
                         name="procedures_card_ended"),
            models.Index(fields=["issued_on"], name="procedures_card_issued"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"Thẻ đảng viên {self.number or '(chưa có số)'} ({self.member_id})"
