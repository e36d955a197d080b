"""The content types of the moved models follow them from "members" to "quality", so that their
permissions and admin history stay attached. A fresh database has no such rows yet (they are made
after migrating): then there is nothing to do."""

from django.db import migrations

MODELS = ["qualityrun", "qualityissue", "qualityscore"]


def _relabel(apps, old: str, new: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        # If the new label already exists (made by a post-migrate pass), the old row is left
        # alone: merging the two would mean moving permissions and history between them.
        if content_type.objects.filter(app_label=new, model=model).exists():
            continue
        content_type.objects.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor) -> None:
    _relabel(apps, "members", "quality")


def backwards(apps, schema_editor) -> None:
    _relabel(apps, "quality", "members")


class Migration(migrations.Migration):
    dependencies = [
        ("quality", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
