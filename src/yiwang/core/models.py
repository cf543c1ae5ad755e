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


class Generation(models.Model):
    """A named counter bumped in the transaction that changes what it names (``core.generations``):
    processes keep configuration in memory and rebuild it when the counter they built it at moved."""

    name = models.CharField(_("name"), max_length=50, primary_key=True)
    value = models.BigIntegerField(_("value"), default=0)

    class Meta:
        verbose_name = _("generation")
        verbose_name_plural = _("generations")

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"
