from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "yiwang.policies"
    label = "policies"
    verbose_name = _("Policy calculator")

    def ready(self) -> None:
        from . import facts  # noqa: F401 - registers the enterprise fact provider with the rules engine
