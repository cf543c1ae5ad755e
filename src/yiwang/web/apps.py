from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The web shell (admin site, page helpers, API authentication); an app for its translations."""

    name = "yiwang.web"
    label = "web"
    verbose_name = _("Web shell")
