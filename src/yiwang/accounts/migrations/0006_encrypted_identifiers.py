"""Resident ID and mobile numbers encrypted at rest (SM4-GCM) with blind indexes (docs/adr/0014)."""

from django.db import migrations, models

import yiwang.core.fields
import yiwang.core.validators


def encrypt_rows(apps, schema_editor):
    for name, fields in (
        ("Person", ["id_number", "id_number_index", "mobile", "mobile_index"]),
        ("User", ["mobile", "mobile_index"]),
    ):
        model = apps.get_model("accounts", name)
        for row in model.objects.all().iterator(chunk_size=500):
            row.save(update_fields=fields)  # read as plaintext, written encrypted with its index


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_totp_devices")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="id_number_index",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="person",
            name="mobile_index",
            field=models.CharField(blank=True, db_index=True, default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="user",
            name="mobile_index",
            field=models.CharField(blank=True, db_index=True, default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="person",
            name="id_number",
            field=yiwang.core.fields.EncryptedIdentifierField(
                index_field="id_number_index",
                validators=[yiwang.core.validators.validate_resident_id],
                verbose_name="resident ID number",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="mobile",
            field=yiwang.core.fields.EncryptedIdentifierField(
                blank=True,
                index_field="mobile_index",
                validators=[yiwang.core.validators.validate_mobile],
                verbose_name="mobile",
            ),
        ),
        migrations.AlterField(
            model_name="user",
            name="mobile",
            field=yiwang.core.fields.EncryptedIdentifierField(
                blank=True,
                index_field="mobile_index",
                validators=[yiwang.core.validators.validate_mobile],
                verbose_name="mobile",
            ),
        ),
        migrations.RunPython(encrypt_rows, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="person",
            name="id_number_index",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
