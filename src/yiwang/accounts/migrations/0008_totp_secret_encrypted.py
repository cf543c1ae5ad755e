"""Authenticator secrets encrypted at rest like the identifiers (docs/adr/0013, 0014)."""

from django.db import migrations

import yiwang.core.fields


def encrypt_secrets(apps, schema_editor):
    for device in apps.get_model("accounts", "TotpDevice").objects.all():
        device.save(update_fields=["secret"])  # read in the clear, written encrypted


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_hotline_roles")]

    operations = [
        migrations.AlterField(
            model_name="totpdevice",
            name="secret",
            field=yiwang.core.fields.EncryptedTextField(editable=False),
        ),
        migrations.RunPython(encrypt_secrets, migrations.RunPython.noop),
    ]
