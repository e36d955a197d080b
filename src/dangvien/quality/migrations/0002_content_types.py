"""The content types of the moved models follow them from "members" to "quality", so that their
permissions and admin history stay attached. A fresh database has no such rows yet (they are made
after migrating): then there is nothing to do.

Going back and forth can leave a row under each label: migrating back to members 0012 leaves
quality 0001 applied, so the content types made after that migrate include new "quality" rows.
The older row (the one with the history) is kept under the new label; what points to the other
row (permissions granted, admin history) is moved to it and the other row removed.
"""

from django.conf import settings
from django.db import migrations

MODELS = ["qualityrun", "qualityissue", "qualityscore"]


def _merge(apps, keep, drop) -> None:
    """Points everything that refers to `drop` (a content type) at `keep`, then deletes `drop`."""
    permission = apps.get_model("auth", "Permission")
    content_type = apps.get_model("contenttypes", "ContentType")
    grants = [rel.through for rel in permission._meta.related_objects if rel.many_to_many]
    for perm in permission.objects.filter(content_type=drop):
        twin = permission.objects.filter(content_type=keep, codename=perm.codename).first()
        if twin is None:
            perm.content_type = keep
            perm.save(update_fields=["content_type"])
            continue
        for through in grants:
            to_perm, owner = _through_fields(through, permission)
            for row in through.objects.filter(**{to_perm: perm}):
                holder = getattr(row, f"{owner}_id")
                through.objects.get_or_create(**{to_perm: twin, f"{owner}_id": holder})
        perm.delete()
    for rel in content_type._meta.related_objects:
        if rel.one_to_many and rel.related_model._meta.label_lower != "auth.permission":
            rel.related_model.objects.filter(**{rel.field.name: drop}).update(
                **{rel.field.name: keep}
            )
    drop.delete()


def _through_fields(through, permission) -> tuple[str, str]:
    """The names of a grant table's field to the permission and to its holder (user, group)."""
    to_perm = owner = ""
    for field in through._meta.fields:
        if not field.is_relation:
            continue
        if field.related_model._meta.label_lower == permission._meta.label_lower:
            to_perm = field.name
        else:
            owner = field.name
    return to_perm, owner


def _relabel(apps, old: str, new: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        moving = content_type.objects.filter(app_label=old, model=model).first()
        if moving is None:
            continue
        there = content_type.objects.filter(app_label=new, model=model).first()
        if there is not None:
            # The older row keeps its id and takes the new label.
            keep, drop = sorted([moving, there], key=lambda row: row.pk)
            _merge(apps, keep=keep, drop=drop)
            moving = keep
        moving.app_label = new
        moving.save(update_fields=["app_label"])


def forwards(apps, schema_editor) -> None:
    _relabel(apps, "members", "quality")


def backwards(apps, schema_editor) -> None:
    _relabel(apps, "quality", "members")


class Migration(migrations.Migration):
    # After members 0013, so that going back to members 0012 first gives the labels back.
    dependencies = [
        ("quality", "0001_initial"),
        ("members", "0013_quality_models_moved"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0001_initial"),
        ("admin", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
