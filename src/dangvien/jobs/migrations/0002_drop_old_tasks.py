"""The table of the queue this app replaced (`tasks_task`) is dropped.

It held transient work: a task queued or running at the upgrade is lost and has to be started
again; finished ones only kept their page and result file (files under TASKS_DIR/<id>/, which
nothing reads any more and may be deleted). Reversing leaves nothing to restore.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_initial")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS tasks_task", reverse_sql=migrations.RunSQL.noop),
    ]
