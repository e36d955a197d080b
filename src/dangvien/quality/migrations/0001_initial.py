"""The data-quality models move from the members app to this one, keeping their tables.

The tables (members_quality*) and their indexes already exist, created by members 0010: this
only tells Django's migration state that the models now belong here, the database is untouched.
members 0013 then removes them from the members state.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # The last members migration that changed these models.
        ("members", "0010_quality"),
        ("orgs", "0002_seed_levels_and_kinds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="QualityRun",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("path", models.CharField(blank=True, max_length=160)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("running", "Đang kiểm tra"),
                                    ("published", "Đang dùng"),
                                    ("superseded", "Đã có lần kiểm tra mới hơn"),
                                    ("failed", "Không thành công"),
                                ],
                                default="running",
                                max_length=12,
                            ),
                        ),
                        ("today", models.DateField(verbose_name="ngày đối chiếu")),
                        ("started_at", models.DateTimeField(auto_now_add=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("summary", models.JSONField(blank=True, default=dict)),
                        (
                            "org",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="orgs.organization",
                            ),
                        ),
                        (
                            "started_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "lần kiểm tra chất lượng dữ liệu",
                        "verbose_name_plural": "các lần kiểm tra chất lượng dữ liệu",
                        "db_table": "members_qualityrun",
                        "indexes": [
                            models.Index(
                                fields=["status", "path"], name="members_qua_status_f3fe64_idx"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="QualityIssue",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("rule", models.CharField(max_length=40)),
                        (
                            "severity",
                            models.CharField(
                                choices=[("error", "Lỗi"), ("warning", "Cảnh báo")], max_length=7
                            ),
                        ),
                        ("org_path", models.CharField(blank=True, max_length=160)),
                        ("detail", models.CharField(max_length=300)),
                        ("others", models.JSONField(blank=True, null=True)),
                        (
                            "member",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="quality_issues",
                                to="members.member",
                            ),
                        ),
                        (
                            "run",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="issues",
                                to="quality.qualityrun",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "members_qualityissue",
                        "indexes": [
                            models.Index(
                                fields=["run", "org_path", "rule", "member"],
                                name="members_qissue_scope",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="QualityScore",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("path", models.CharField(max_length=160)),
                        ("members", models.PositiveIntegerField(default=0)),
                        ("with_errors", models.PositiveIntegerField(default=0)),
                        ("with_issues", models.PositiveIntegerField(default=0)),
                        ("fields_filled", models.PositiveBigIntegerField(default=0)),
                        ("fields_expected", models.PositiveBigIntegerField(default=0)),
                        ("by_rule", models.JSONField(blank=True, default=dict)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "org",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="orgs.organization",
                            ),
                        ),
                        (
                            "run",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="scores",
                                to="quality.qualityrun",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "members_qualityscore",
                        "indexes": [
                            models.Index(
                                fields=["run", "path"], name="members_qua_run_id_5bded2_idx"
                            ),
                            models.Index(
                                fields=["org", "run"], name="members_qua_org_id_1ea5d8_idx"
                            ),
                        ],
                    },
                ),
            ],
        ),
    ]
