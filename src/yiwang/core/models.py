"""The platform's one shared, atomic attempt counter (rate limits, lockouts, per-user caps).

The database cache's ``incr`` is a read and a write: concurrent requests all read the same count and
each passes the limit (22 guesses got through a limit of 10). A counter row is incremented only by a
conditional ``UPDATE … SET count = count + 1 WHERE count < limit``, which both PostgreSQL and SQLite
apply atomically, so at most ``limit`` attempts are ever counted in a window.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AttemptCounter(models.Model):
    key = models.CharField(_("key"), max_length=200)
    window_start = models.DateTimeField(_("window start"))
    count = models.PositiveIntegerField(_("count"), default=0)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("attempt counter")
        verbose_name_plural = _("attempt counters")
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="core_counter_key_window")
        ]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
