from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConstructionConfig(AppConfig):
    name = "yiwang.construction"
    label = "construction"
    verbose_name = _("Construction-project approval (深圳90)")

    def ready(self) -> None:
        from . import subscribers, workflow  # noqa: F401 - registers the workflow and the event handlers
