"""The quality models moved from the members app without touching their tables: a database
migrated before the move keeps its rows, and the content types (with the permissions granted on
them and the admin history) follow the models to the quality label, and back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dangvien.quality.models import QualityRun

BEFORE = [("members", "0012_period_constraints")]


def migrate(targets: list[tuple[str, str | None]]):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    ContentType.objects.clear_cache()  # its rows were just relabelled
    return executor.loader.project_state(targets).apps


def latest() -> list[tuple[str, str | None]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rows_content_types_grants_and_history_follow_the_move():
    old = migrate(BEFORE)
    old_run = old.get_model("members", "QualityRun")
    old_run.objects.create(today=dt.date(2026, 12, 1), path="", summary={"members": 3})
    # Going back gave the content types their members label again. Only the quality models
    # changed: the other tables are written with today's models.
    before = ContentType.objects.get(app_label="members", model="qualityrun")
    granted = Permission.objects.get(content_type=before, codename="view_qualityrun")
    group = Group.objects.create(name="kiểm tra")
    group.permissions.add(granted)
    user = get_user_model().objects.create(username="a")
    entry = LogEntry.objects.create(
        user=user, content_type=before, object_id="1", object_repr="x", action_flag=1
    )
    # What a migrate meanwhile makes under the new label (quality 0001 still applied): merged.
    made = ContentType.objects.create(app_label="quality", model="qualityrun")
    other = Group.objects.create(name="khác")
    other.permissions.add(
        Permission.objects.create(content_type=made, codename="view_qualityrun", name="x")
    )

    migrate(latest())

    assert list(QualityRun.objects.values_list("summary", flat=True)) == [{"members": 3}]
    assert not ContentType.objects.filter(app_label="members", model__startswith="quality")
    moved = ContentType.objects.get_for_model(QualityRun)
    assert moved.app_label == "quality"
    assert LogEntry.objects.get(pk=entry.pk).content_type_id == moved.pk
    assert moved.pk == before.pk  # the older row, with its id
    view = Permission.objects.get(content_type=moved, codename="view_qualityrun")
    assert list(Group.objects.get(pk=group.pk).permissions.all()) == [view]
    assert list(Group.objects.get(pk=other.pk).permissions.all()) == [view]

    migrate(BEFORE)
    assert ContentType.objects.filter(app_label="members", model="qualityrun").exists()
    assert not ContentType.objects.filter(app_label="quality", model="qualityrun").exists()
    migrate(latest())
    assert ContentType.objects.get_for_model(QualityRun).pk == moved.pk
    assert QualityRun.objects.count() == 1
