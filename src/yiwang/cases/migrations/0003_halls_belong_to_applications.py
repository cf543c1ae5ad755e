from django.db import migrations


class Migration(migrations.Migration):
    """The receiving and return halls now live on the application (copied there by applications 0002)."""

    dependencies = [
        ("cases", "0002_kernel_for_every_kind"),
        ("applications", "0002_kernel_for_every_kind"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="case", name="case_hall_status"),
        migrations.RemoveField(model_name="case", name="receiving_hall"),
        migrations.RemoveField(model_name="case", name="return_hall"),
    ]
