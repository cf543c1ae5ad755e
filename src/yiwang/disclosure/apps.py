from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "yiwang.disclosure"
    label = "disclosure"
    verbose_name = _("Government information disclosure")

    def ready(self) -> None:
        from . import subscribers, workflow  # noqa: F401 - registers the workflow and the 双公示 subscriber
