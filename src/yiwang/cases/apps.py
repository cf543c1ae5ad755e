from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "yiwang.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from yiwang.accounts.access import register_unmask_scope

        from .access import person_in_own_cases
        from .states import case_states_sync

        register_unmask_scope(person_in_own_cases)

        # After every migrate (and every flush of a test database) the statuses of the registered
        # workflows are in the database, so cases of every kind can be written.
        post_migrate.connect(case_states_sync, sender=self, dispatch_uid="cases.case_states_sync")
