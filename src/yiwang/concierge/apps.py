from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConciergeConfig(AppConfig):
    name = "yiwang.concierge"
    label = "concierge"
    verbose_name = _("Key-enterprise concierge")
