"""The default pause kinds (行政许可法 Art. 45, Art. 32; 政府信息公开条例 Art. 32). Editable in the admin."""

from django.db import migrations

DEFAULTS = [
    ("correction", "补正材料", "Correction of materials (补正)", "行政许可法第三十二条", 10),
    (
        "third_party",
        "征求第三方意见",
        "Third-party consultation",
        "政府信息公开条例第三十二条；行政许可法第三十六条",
        20,
    ),
    ("expert_review", "专家评审", "Expert review", "行政许可法第四十五条", 30),
    ("hearing", "听证", "Hearing", "行政许可法第四十五条、第四十七条", 40),
    ("testing", "检验、检测、检疫", "Testing, inspection or quarantine", "行政许可法第四十五条", 50),
    ("site_survey", "现场勘查", "Site survey", "行政许可法第三十四条、第四十五条", 60),
]


def seed(apps, schema_editor):
    PauseKind = apps.get_model("workdays", "PauseKind")
    for code, name, name_en, basis, order in DEFAULTS:
        PauseKind.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "legal_basis": basis, "order": order}
        )


def unseed(apps, schema_editor):
    apps.get_model("workdays", "PauseKind").objects.filter(code__in=[d[0] for d in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
