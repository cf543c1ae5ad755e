from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "yiwang.feedback"
    label = "feedback"
    verbose_name = _("Satisfaction reviews and complaints")

    def ready(self) -> None:
        from . import reviewables, workflow  # noqa: F401 - registers the two kinds and the reviewable services
