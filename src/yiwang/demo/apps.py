from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The optional demo district: ``yiwang load_demo``. Installed by the local and test settings only;
    no other package imports it, so a deployment runs without it (docs/adr/0061-demo-package.md)."""

    name = "yiwang.demo"
    label = "demo"
    verbose_name = "Demo district"
