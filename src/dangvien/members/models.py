"""The member core: identity, status with history, and membership periods in cells.

Periods run from `valid_from` (inclusive) to `valid_to` (exclusive, empty while open). Records are
permanent: leaving the Party closes the record, it is never deleted.
"""

from __future__ import annotations

from django.db import models

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

    class Meta:
        verbose_name = "đảng viên"
        verbose_name_plural = "đảng viên"
        indexes = [
            models.Index(fields=["org_path", "name_sort"]),
            models.Index(fields=["org_path", "status"]),  # subtree counts read only the index
            models.Index(fields=["org", "status"]),
            # Changes over a period start from the events in it (reports).
            models.Index(fields=["admission_date"]),
            models.Index(fields=["recognition_date"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def in_party(self) -> bool:
        return self.status in IN_PARTY


class StatusPeriod(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="status_periods")
    status = models.CharField(max_length=20, choices=Status.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["member_id", "valid_from"]
        indexes = [
            models.Index(fields=["member", "valid_from"]),
            models.Index(fields=["status", "valid_from"]),  # changes of status in a period
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} [{self.valid_from} – {self.valid_to or '…'})"


class Membership(models.Model):
    """A period in which a member belongs to an organization (official or temporary)."""

    class Kind(models.TextChoices):
        OFFICIAL = "official", "Sinh hoạt chính thức"
        TEMPORARY = "temporary", "Sinh hoạt tạm thời"

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="memberships")
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="memberships")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.OFFICIAL)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["member_id", "valid_from"]
        indexes = [
            models.Index(fields=["org", "valid_from"]),
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
