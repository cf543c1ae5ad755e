from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallsConfig(AppConfig):
    name = "yiwang.halls"
    label = "halls"
    verbose_name = _("Service halls")

    def ready(self) -> None:
        from yiwang.accounts.access import register_unmask_scope

        from .access import person_in_own_queue

        register_unmask_scope(person_in_own_queue)
