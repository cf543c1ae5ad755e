from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "yiwang.outreach"
    label = "outreach"
    verbose_name = _("Proactive outreach")

    def ready(self) -> None:
        from . import facts  # noqa: F401 - registers the resident fact provider with the rules engine
