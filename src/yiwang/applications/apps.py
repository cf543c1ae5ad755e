from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "yiwang.applications"
    label = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        from . import workflow  # noqa: F401 - registers the application workflow with the case kernel
