"""The member core: identity, status with history, and membership periods in cells.

Periods run from `valid_from` (inclusive) to `valid_to` (exclusive, empty while open). Records are
permanent: leaving the Party closes the record, it is never deleted.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Func, Value

from dangvien.core.paths import SEGMENT
from dangvien.core.periods import Period
from dangvien.members.storage import member_file_storage
from dangvien.orgs.models import Organization


class Ethnicity(models.Model):
    """Ethnic groups, coded per QĐ 121-TCTK/PPCĐ (1979): Kinh = 01 … Rơ Măm = 54."""

    code = models.CharField("mã", max_length=4, unique=True)
    name = models.CharField("tên dân tộc", max_length=60)

    class Meta:
        ordering = ["code"]
        verbose_name = "dân tộc"
        verbose_name_plural = "dân tộc"

    def __str__(self) -> str:
        return self.name


class Religion(models.Model):
    code = models.CharField("mã", max_length=4, unique=True)
    name = models.CharField("tên tôn giáo", max_length=120)

    class Meta:
        ordering = ["code"]
        verbose_name = "tôn giáo"
        verbose_name_plural = "tôn giáo"

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    PROBATIONARY = "probationary", "Dự bị"
    OFFICIAL = "official", "Chính thức"
    EXEMPTED = "exempted", "Miễn sinh hoạt"
    TRANSFERRED_OUT = "transferred_out", "Đã chuyển đi"
    DECEASED = "deceased", "Đã từ trần"
    STRUCK_OFF = "struck_off", "Đã xóa tên"
    EXPELLED = "expelled", "Đã khai trừ"
    DISCHARGED = "discharged", "Cho ra khỏi Đảng"


# Members who belong to the organization today and count in its numbers.
IN_PARTY = (Status.PROBATIONARY, Status.OFFICIAL, Status.EXEMPTED)


class Gender(models.TextChoices):
    MALE = "M", "Nam"
    FEMALE = "F", "Nữ"


class Member(models.Model):
    full_name = models.CharField("họ và tên", max_length=120)
    name_fold = models.CharField(max_length=120, db_index=True, editable=False)
    name_sort = models.CharField(max_length=400, db_index=True, editable=False)
    gender = models.CharField("giới tính", max_length=1, choices=Gender.choices)
    date_of_birth = models.DateField("ngày sinh")
    citizen_id = models.CharField("số CCCD", max_length=12, unique=True, null=True, blank=True)
    party_card_number = models.CharField(
        "số thẻ đảng viên", max_length=16, unique=True, null=True, blank=True
    )
    record_number = models.CharField("số lý lịch", max_length=10, blank=True)
    ethnicity = models.ForeignKey(
        Ethnicity, null=True, blank=True, on_delete=models.PROTECT, verbose_name="dân tộc"
    )
    religion = models.ForeignKey(
        Religion, null=True, blank=True, on_delete=models.PROTECT, verbose_name="tôn giáo"
    )
    birth_province_code = models.PositiveSmallIntegerField("tỉnh nơi sinh", null=True, blank=True)
    residence_province_code = models.PositiveSmallIntegerField(
        "tỉnh nơi thường trú", null=True, blank=True
    )
    residence_ward_code = models.PositiveIntegerField("xã/phường thường trú", null=True, blank=True)
    admission_date = models.DateField("ngày vào Đảng", null=True, blank=True)
    recognition_date = models.DateField("ngày chính thức", null=True, blank=True)
    # The day party age counts from when it is not the admission date: the member came back after
    # time out (struck off, expelled, a transfer's gap). Kept by `member_set_status` from the
    # status history (`rules.party_age.counted_from`), so lists by party age stay SQL ranges.
    party_age_from = models.DateField(null=True, blank=True, editable=False)
    status = models.CharField("tình trạng", max_length=20, choices=Status.choices)
    org = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name="chi bộ",
    )
    # The current organization's path, copied so that a subtree is one index range on members.
    org_path = models.CharField(max_length=160, blank=True, editable=False)

    # The dossier (Phiếu đảng viên 2-HSĐV and lý lịch, DOMAIN.md §4). Text fields keep what was
    # written; codes are the current administrative units (vietnam-provinces).
    birth_name = models.CharField("họ tên khai sinh", max_length=120, blank=True)
    other_names = models.CharField("tên gọi khác", max_length=120, blank=True)
    phone = models.CharField("số điện thoại", max_length=20, blank=True, db_index=True)
    birthplace = models.CharField("nơi sinh", max_length=250, blank=True)
    hometown = models.CharField("quê quán", max_length=250, blank=True)
    hometown_province_code = models.PositiveSmallIntegerField(
        "tỉnh quê quán", null=True, blank=True
    )
    hometown_ward_code = models.PositiveIntegerField("xã/phường quê quán", null=True, blank=True)
    residence_address = models.CharField("địa chỉ thường trú", max_length=250, blank=True)
    # The permanent address as first written (e.g. with the district, before 7/2025), kept when
    # it was converted to the current units: a conversion can be checked against it.
    residence_original = models.CharField("địa chỉ thường trú ban đầu", max_length=250, blank=True)
    current_address = models.CharField("nơi ở hiện nay", max_length=250, blank=True)
    current_province_code = models.PositiveSmallIntegerField(
        "tỉnh nơi ở hiện nay", null=True, blank=True
    )
    current_ward_code = models.PositiveIntegerField(
        "xã/phường nơi ở hiện nay", null=True, blank=True
    )
    education = models.ForeignKey(
        "EducationLevel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name="giáo dục phổ thông",
    )
    professional_level = models.ForeignKey(
        "ProfessionalLevel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name="trình độ chuyên môn",
    )
    professional_field = models.CharField("chuyên ngành", max_length=200, blank=True)
    academic_title = models.ForeignKey(
        "AcademicTitle", null=True, blank=True, on_delete=models.PROTECT, verbose_name="học hàm"
    )
    theory_level = models.ForeignKey(
        "TheoryLevel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name="lý luận chính trị",
    )
    foreign_languages = models.CharField("ngoại ngữ", max_length=200, blank=True)
    it_skills = models.CharField("tin học", max_length=200, blank=True)
    occupation = models.ForeignKey(
        "Occupation", null=True, blank=True, on_delete=models.PROTECT, verbose_name="nghề nghiệp"
    )
    admission_ceremony_date = models.DateField("ngày kết nạp", null=True, blank=True)
    admission_org_name = models.CharField("nơi kết nạp", max_length=250, blank=True)
    introducer_1 = models.CharField("người giới thiệu thứ nhất", max_length=200, blank=True)
    introducer_2 = models.CharField("người giới thiệu thứ hai", max_length=200, blank=True)
    recognition_org_name = models.CharField("nơi công nhận chính thức", max_length=250, blank=True)
    party_card_issued_date = models.DateField("ngày cấp thẻ đảng", null=True, blank=True)
    # Stored outside the web root and served only through the scoped `member_photo` view.
    photo = models.FileField("ảnh 3×4", max_length=200, blank=True, storage=member_file_storage)
    # Bumped by every update: a save made from a stale version is refused (optimistic concurrency).
    version = models.PositiveIntegerField("phiên bản", default=1, editable=False)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True, null=True)

    class Meta:
        verbose_name = "đảng viên"
        verbose_name_plural = "đảng viên"
        indexes = [
            models.Index(fields=["org_path", "name_sort"]),
            models.Index(fields=["org_path", "status"]),  # subtree counts read only the index
            models.Index(fields=["org", "status"]),
            # Changes over a period start from the events in it (reports); who reaches a party
            # age between two days (badges) reads the subtree and the status from the index.
            models.Index(fields=["admission_date", "org_path", "status"]),
            models.Index(
                fields=["party_age_from"],
                condition=models.Q(party_age_from__isnull=False),
                name="members_party_age_from",
            ),
            models.Index(fields=["recognition_date"]),
            # Probations ending in a subtree (to-do lists, recognition lists): a few percent of
            # the members, found by path and admission date without reading the others.
            models.Index(
                fields=["org_path", "admission_date"],
                condition=models.Q(status="probationary"),
                name="members_probationary",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def in_party(self) -> bool:
        return self.status in IN_PARTY


class StatusPeriod(Period):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="status_periods")
    status = models.CharField(max_length=20, choices=Status.choices)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["member_id", "valid_from"]
        constraints = [
            *Period.Meta.constraints,
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(valid_to__isnull=True),
                name="members_statusperiod_one_open",
            ),
        ]
        indexes = [
            # Covering: a report of a past day reads a member's status that day from the index.
            models.Index(fields=["member", "valid_from", "valid_to", "status"]),
            models.Index(fields=["status", "valid_from"]),  # changes of status in a period
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} [{self.valid_from} – {self.valid_to or '…'})"


class Membership(Period):
    """A period in which a member belongs to an organization (official or temporary). A member
    has at most one open official membership; temporary ones (a second cell, for a while) are
    not limited."""

    class Kind(models.TextChoices):
        OFFICIAL = "official", "Sinh hoạt chính thức"
        TEMPORARY = "temporary", "Sinh hoạt tạm thời"

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="memberships")
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="memberships")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.OFFICIAL)

    class Meta:
        ordering = ["member_id", "valid_from"]
        constraints = [
            *Period.Meta.constraints,
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(valid_to__isnull=True, kind="official"),
                name="members_membership_one_open_official",
            ),
        ]
        indexes = [
            # Covering: a report of a past day reads the members of a node that day from it.
            models.Index(fields=["org", "valid_from", "valid_to", "kind", "member"]),
            models.Index(fields=["member", "valid_from"]),
            # Departures in a period (reports). Not on valid_from: SQLite would prefer such an
            # index to (org, valid_from) when it counts a subtree on a day.
            models.Index(fields=["valid_to"]),
            # Temporary transfers in a period: few rows, their own small index.
            models.Index(
                fields=["valid_from"],
                condition=models.Q(kind="temporary"),
                name="members_membership_temporary",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org_id} [{self.valid_from} – {self.valid_to or '…'})"


# ---------------------------------------------------------------------------------------------
# The dossier: reference lists and the tables of a member's history.


class ReferenceList(models.Model):
    """A short list coded by the installation (seeded by migration 0008, edited in the admin)."""

    code = models.CharField("mã", max_length=20, unique=True)
    name = models.CharField("tên", max_length=120)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class EducationLevel(ReferenceList):
    class Meta(ReferenceList.Meta):
        verbose_name = "trình độ giáo dục phổ thông"
        verbose_name_plural = "trình độ giáo dục phổ thông"


class ProfessionalLevel(ReferenceList):
    class Meta(ReferenceList.Meta):
        verbose_name = "trình độ chuyên môn"
        verbose_name_plural = "trình độ chuyên môn"


class AcademicTitle(ReferenceList):
    class Meta(ReferenceList.Meta):
        verbose_name = "học hàm"
        verbose_name_plural = "học hàm"


class TheoryLevel(ReferenceList):
    class Meta(ReferenceList.Meta):
        verbose_name = "trình độ lý luận chính trị"
        verbose_name_plural = "trình độ lý luận chính trị"


class Occupation(ReferenceList):
    class Meta(ReferenceList.Meta):
        verbose_name = "nghề nghiệp"
        verbose_name_plural = "nghề nghiệp"


class FamilyMember(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="family")
    relation = models.CharField("quan hệ", max_length=40)
    full_name = models.CharField("họ và tên", max_length=120)
    birth_year = models.PositiveSmallIntegerField("năm sinh", null=True, blank=True)
    occupation = models.CharField("nghề nghiệp", max_length=200, blank=True)
    address = models.CharField("nơi ở", max_length=250, blank=True)
    note = models.CharField("ghi chú", max_length=250, blank=True)

    class Meta:
        ordering = ["member_id", "pk"]
        verbose_name = "người thân"
        verbose_name_plural = "quan hệ gia đình"

    def __str__(self) -> str:
        return f"{self.relation}: {self.full_name}"


class WorkPeriod(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="work_history")
    start = models.DateField("từ")
    end = models.DateField("đến", null=True, blank=True)
    description = models.CharField("làm gì, ở đâu", max_length=400)

    class Meta:
        ordering = ["member_id", "start"]
        verbose_name = "giai đoạn công tác"
        verbose_name_plural = "quá trình công tác"

    def __str__(self) -> str:
        return self.description


class TrainingCourse(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="training")
    start = models.DateField("từ")
    end = models.DateField("đến", null=True, blank=True)
    school = models.CharField("trường", max_length=250)
    field = models.CharField("ngành học", max_length=200, blank=True)
    form = models.CharField("hình thức", max_length=60, blank=True)
    qualification = models.CharField("văn bằng, chứng chỉ", max_length=120, blank=True)

    class Meta:
        ordering = ["member_id", "start"]
        verbose_name = "khóa đào tạo"
        verbose_name_plural = "đào tạo, bồi dưỡng"

    def __str__(self) -> str:
        return self.school


class Award(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="awards")
    date = models.DateField("ngày")
    form = models.CharField("hình thức", max_length=200)
    issuer = models.CharField("cấp quyết định", max_length=200, blank=True)
    reason = models.CharField("lý do", max_length=400, blank=True)

    class Meta:
        ordering = ["member_id", "date"]
        verbose_name = "khen thưởng"
        verbose_name_plural = "khen thưởng"

    def __str__(self) -> str:
        return self.form


class Discipline(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="disciplines")
    date = models.DateField("ngày")
    form = models.CharField("hình thức", max_length=200)
    issuer = models.CharField("cấp quyết định", max_length=200, blank=True)
    reason = models.CharField("lý do", max_length=400, blank=True)

    class Meta:
        ordering = ["member_id", "date"]
        verbose_name = "kỷ luật"
        verbose_name_plural = "kỷ luật"

    def __str__(self) -> str:
        return self.form


class LostContact(models.Model):
    """A period in which the member lost contact with the Party organization, recorded by the
    cell once contact was restored: party age does not count it (`rules.party_age`). The member
    stays on the roll meanwhile (a member out of contact for long is struck off instead)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="lost_contacts")
    start = models.DateField("mất liên lạc từ ngày")
    end = models.DateField("liên lạc lại từ ngày")
    note = models.CharField("ghi chú", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["member_id", "start"]
        verbose_name = "thời gian mất liên lạc"
        verbose_name_plural = "thời gian mất liên lạc"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="members_lostcontact_ends_later"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days


class Position(models.Model):
    class Kind(models.TextChoices):
        PARTY = "party", "Chức vụ Đảng"
        GOVERNMENT = "government", "Chức vụ chính quyền"
        MASS = "mass", "Chức vụ đoàn thể"

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="positions")
    kind = models.CharField("loại", max_length=12, choices=Kind.choices)
    title = models.CharField("chức vụ", max_length=200)
    org_name = models.CharField("cơ quan, tổ chức", max_length=250, blank=True)
    start = models.DateField("từ", null=True, blank=True)
    end = models.DateField("đến", null=True, blank=True)

    class Meta:
        ordering = ["member_id", "kind", "start"]
        verbose_name = "chức vụ"
        verbose_name_plural = "chức vụ"

    def __str__(self) -> str:
        return self.title


class Supplement(models.Model):
    """The yearly phiếu bổ sung hồ sơ: what changed that year, applied to the record."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="supplements")
    year = models.PositiveSmallIntegerField("năm")
    submitted = models.DateField("ngày nộp")
    changes = models.JSONField("nội dung bổ sung", default=dict, blank=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        ordering = ["member_id", "year"]
        verbose_name = "phiếu bổ sung hồ sơ"
        verbose_name_plural = "phiếu bổ sung hồ sơ"
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="members_supplement_one_a_year")
        ]

    def __str__(self) -> str:
        return f"Phiếu bổ sung năm {self.year}"


class NameKey(models.Model):
    """Search index of names: one row per word start of the member's folded name.

    'Nguyễn Văn Phong' has the keys 'nguyen van phong' (position 0), 'van phong' (1) and 'phong'
    (2): any word-start query is a prefix of a key, one B-tree range on every database. The
    member's org_path and name_sort are copied so that scoping and ordering read this table only
    (see members/search.py; kept in sync by members/search.py `name_keys_refresh`).
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=120)
    word = models.CharField(max_length=120)  # the key's first word
    word2 = models.CharField(max_length=120, blank=True)  # its second word ("" if none)
    position = models.PositiveSmallIntegerField()
    org_path = models.CharField(max_length=160, blank=True)
    name_sort = models.CharField(max_length=400)

    class Meta:
        indexes = [
            # Exact names in name order; prefix ranges of sparse queries.
            models.Index(fields=["key", "name_sort"], name="members_namekey_key"),
            # Small scopes: every key of a subtree, checked in the index.
            models.Index(fields=["org_path", "key"], name="members_namekey_scope"),
            # Dense queries in a large scope: one stream in name order per (word, position),
            # merged; each stops after a page.
            models.Index(
                fields=["word", "position", "name_sort", "member"], name="members_namekey_word"
            ),
            # The same for queries of two words or more, one stream per (word, word2, position).
            models.Index(
                fields=["word", "word2", "position", "name_sort", "member"],
                name="members_namekey_words",
            ),
            # Dense queries inside one top node (a province): its streams alone, in name order.
            # The expression is spelled in the query as here (members/search.py ROOT_EXPRESSION).
            models.Index(
                Func(F("org_path"), Value(1), Value(SEGMENT), function="SUBSTR"),
                F("word"),
                F("position"),
                F("name_sort"),
                F("member"),
                name="members_namekey_root",
            ),
        ]

    def __str__(self) -> str:
        return self.key
