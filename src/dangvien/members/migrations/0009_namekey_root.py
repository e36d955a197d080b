import django.db.models.expressions
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0008_reference_lists"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="namekey",
            index=models.Index(
                django.db.models.expressions.Func(
                    django.db.models.expressions.F("org_path"),
                    django.db.models.expressions.Value(1),
                    django.db.models.expressions.Value(8),
                    function="SUBSTR",
                ),
                django.db.models.expressions.F("word"),
                django.db.models.expressions.F("position"),
                django.db.models.expressions.F("name_sort"),
                django.db.models.expressions.F("member"),
                name="members_namekey_root",
            ),
        ),
    ]
