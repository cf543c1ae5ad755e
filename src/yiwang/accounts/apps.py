from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "yiwang.accounts"
    label = "accounts"
    verbose_name = _("Organisations and people")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (login/logout audit and session rotation hooks)
