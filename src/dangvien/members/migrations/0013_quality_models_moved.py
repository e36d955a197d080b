"""The data-quality models now belong to the quality app (quality 0001), on the same tables:
removed from the members state only, the tables and their rows stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0012_period_constraints"),
        ("quality", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="QualityIssue"),
                migrations.DeleteModel(name="QualityScore"),
                migrations.DeleteModel(name="QualityRun"),
            ],
        ),
    ]
