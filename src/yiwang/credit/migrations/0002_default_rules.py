"""The published default list rules (docs/adr/0111-list-rules.md)."""

from django.db import migrations

RULES = [
    ("black-serious-dishonesty", "black", ["mr_serious"], 1),
    ("black-tax-d", "black", ["tax_d"], 1),
    ("black-court-dishonest", "black", ["court_dishonest"], 1),
    ("black-work-safety", "black", ["safety_black"], 1),
    ("black-procurement-ban", "black", ["procurement_ban"], 1),
    ("black-customs-dishonest", "black", ["customs_dishonest"], 1),
    ("black-environment", "black", ["env_dishonest"], 2),
    ("black-social-arrears", "black", ["social_arrears"], 3),
    ("red-tax-a", "red", ["tax_a"], 1),
    ("red-customs-aeo", "red", ["customs_aeo"], 1),
    ("red-honours", "red", ["honours", "contract_honour"], 1),
]


def install(apps, schema_editor):
    ListRule = apps.get_model("credit", "ListRule")
    for code, lst, cats, sev in RULES:
        ListRule.objects.get_or_create(
            code=code, defaults={"list": lst, "categories": cats, "min_severity": sev}
        )


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
