# Written for the search index only (other models of members/models.py have their own migrations).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_report_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="NameKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=120)),
                ("word", models.CharField(max_length=120)),
                ("word2", models.CharField(blank=True, max_length=120)),
                ("position", models.PositiveSmallIntegerField()),
                ("org_path", models.CharField(blank=True, max_length=160)),
                ("name_sort", models.CharField(max_length=400)),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="name_keys",
                        to="members.member",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["key", "name_sort"], name="members_namekey_key"),
                    models.Index(fields=["org_path", "key"], name="members_namekey_scope"),
                    models.Index(
                        fields=["word", "position", "name_sort", "member"],
                        name="members_namekey_word",
                    ),
                    models.Index(
                        fields=["word", "word2", "position", "name_sort", "member"],
                        name="members_namekey_words",
                    ),
                ],
            },
        ),
    ]
