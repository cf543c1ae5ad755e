from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicencesConfig(AppConfig):
    name = "yiwang.licences"
    label = "licences"
    verbose_name = _("E-licences")

    def ready(self) -> None:
        # Issuance opens when an application whose result is a licence is approved (cases.events).
        from yiwang.cases.events import subscribe

        from .subscribers import on_application_approved

        subscribe(on_application_approved, kind="application", action="approve")
