"""Posts and notices of the handbook: issued by a committee to its subtree (or to chosen
organizations in it), read by the members below, notices acknowledged."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dangvien.orgs.models import Organization


class Post(models.Model):
    class Kind(models.TextChoices):
        POST = "post", "Tin bài"
        NOTICE = "notice", "Thông báo"

    kind = models.CharField("loại", max_length=10, choices=Kind.choices, default=Kind.POST)
    org = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="posts",
        verbose_name="cấp ủy ban hành",
    )
    targets = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="targeted_posts",
        verbose_name="gửi tới",
        help_text="Để trống: toàn bộ các tổ chức trực thuộc.",
    )
    title = models.CharField("tiêu đề", max_length=200)
    body = models.TextField("nội dung")  # sanitised HTML (handbook.services.clean_html)
    pinned = models.BooleanField("ghim lên đầu", default=False)
    publish_at = models.DateTimeField("đăng lúc", db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pinned", "-publish_at", "-pk"]
        indexes = [models.Index(fields=["org", "publish_at"])]
        verbose_name = "tin bài, thông báo"
        verbose_name_plural = "tin bài, thông báo"

    def __str__(self) -> str:
        return self.title

    @property
    def is_notice(self) -> bool:
        return self.kind == self.Kind.NOTICE


ALT_MAX_LENGTH = 300


class PostFile(models.Model):
    """An image shown in a post, or a file attached to it. Checked by content when published
    (images re-encoded as JPEG), kept in MEDIA_ROOT and served only by the scoped
    `handbook_post_file` view to those who may open the post."""

    class Kind(models.TextChoices):
        IMAGE = "image", "Ảnh"
        ATTACHMENT = "attachment", "Tệp đính kèm"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    file = models.FileField("tệp", upload_to="posts/%Y/", max_length=200)
    file_name = models.CharField(max_length=200)  # what a download is called
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    # Images only: what a screen reader says, and the size the page reserves before it loads.
    alt = models.CharField("mô tả ảnh", max_length=ALT_MAX_LENGTH, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "kind", "order"], name="one_post_file_per_place"
            )
        ]
        verbose_name = "tệp của tin bài"
        verbose_name_plural = "tệp của tin bài"

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_image(self) -> bool:
        return self.kind == self.Kind.IMAGE


class Reading(models.Model):
    """A user opened a post; for a notice, also when they confirmed having read it."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="readings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="one_reading_per_user")
        ]
        indexes = [models.Index(fields=["user", "post"])]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.post_id}"


class Document(models.Model):
    """A Party document in the library: its reference data, the file, and its text for search."""

    class Kind(models.TextChoices):
        RESOLUTION = "nghi_quyet", "Nghị quyết"
        DIRECTIVE = "chi_thi", "Chỉ thị"
        CONCLUSION = "ket_luan", "Kết luận"
        REGULATION = "quy_dinh", "Quy định"
        DECISION = "quyet_dinh", "Quyết định"
        GUIDANCE = "huong_dan", "Hướng dẫn"
        PLAN = "ke_hoach", "Kế hoạch"
        NOTICE = "thong_bao", "Thông báo"
        LETTER = "cong_van", "Công văn"

    org = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name="đăng cho",
        help_text="Văn bản đến được các đảng viên thuộc tổ chức này.",
    )
    number = models.CharField("số/ký hiệu", max_length=60)
    kind = models.CharField("loại văn bản", max_length=20, choices=Kind.choices)
    issuer = models.CharField("cơ quan ban hành", max_length=200)
    issued_on = models.DateField("ngày ban hành")
    summary = models.CharField("trích yếu", max_length=500)
    field = models.CharField("lĩnh vực", max_length=100, blank=True)
    file = models.FileField("tệp", upload_to="documents/%Y/", max_length=200)
    file_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    text = models.TextField(blank=True, editable=False)  # extracted from the file
    # Folded (no tones, đ → d, lower case) reference data and text: what a search matches.
    search_head = models.CharField(max_length=1000, editable=False)
    search_text = models.TextField(blank=True, editable=False)
    published_at = models.DateTimeField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-issued_on", "-pk"]
        indexes = [
            models.Index(fields=["org", "issued_on"]),
            models.Index(fields=["kind", "issued_on"]),
        ]
        verbose_name = "văn bản"
        verbose_name_plural = "văn bản"

    def __str__(self) -> str:
        return f"{self.number} {self.summary}"


class Bookmark(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "document"], name="one_bookmark_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ★ {self.document_id}"


class Visit(models.Model):
    """A user opened the handbook on a day (one row per user and day): how many members use it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_visit_per_day")]
        indexes = [models.Index(fields=["day", "user"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


class DocumentOpen(models.Model):
    """A user opened a document's file on a day (one row per user, document and day)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="opens")
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "document", "day"], name="one_open_per_day")
        ]
        indexes = [models.Index(fields=["day", "document"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.document_id} {self.day}"


class CorrectionRequest(models.Model):
    """A member asks for a correction of their record; it reaches those who manage the record."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="correction_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("nội dung đề nghị")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "đề nghị sửa hồ sơ"
        verbose_name_plural = "đề nghị sửa hồ sơ"

    def __str__(self) -> str:
        return f"{self.member_id}: {self.text[:40]}"
