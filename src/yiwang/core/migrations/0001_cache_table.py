"""Create the shared database cache table with the schema, so `yiwang migrate` is enough."""

from django.core.management import call_command
from django.db import migrations


def forwards(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
