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

        from django.db.models.signals import m2m_changed, post_delete, post_save

        from yiwang.accounts.models import Hall, Street, Window

        from . import models
        from .signals import halls_changed

        # What a booking snapshot holds (docs/adr/0015): any change moves the halls' generation.
        for model in (
            Hall,
            Street,
            Window,
            models.HallConfig,
            models.BookingPolicy,
            models.SpecialDay,
            models.BusinessCategory,
        ):
            post_save.connect(halls_changed, sender=model, dispatch_uid=f"halls-gen-save-{model.__name__}")
            post_delete.connect(
                halls_changed, sender=model, dispatch_uid=f"halls-gen-delete-{model.__name__}"
            )
        for through in (models.BusinessCategory.windows.through, models.BusinessCategory.departments.through):
            m2m_changed.connect(
                halls_changed, sender=through, dispatch_uid=f"halls-gen-m2m-{through.__name__}"
            )
