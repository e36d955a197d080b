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
