"""The portal's announcements (通知公告): what the bureau tells everyone on the home page — holiday opening
hours, new services, changes of address. Written in the admin by the portal's editors (docs/adr/0134)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Announcement(models.Model):
    title = models.CharField(_("title"), max_length=120)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    body = models.TextField(pgettext_lazy("announcement", "text"), max_length=5000)
    body_en = models.TextField(_("English text"), max_length=8000, blank=True)
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
        help_text=_("The department that issues it (blank: the service bureau)."),
    )
    published_at = models.DateTimeField(
        _("published at"),
        default=timezone.now,
        help_text=_("It appears from this moment (a later one schedules it)."),
    )
    expires_at = models.DateTimeField(
        _("shown until"), null=True, blank=True, help_text=_("Blank: it stays until it is withdrawn.")
    )
    pinned = models.BooleanField(_("pinned to the top"), default=False)
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-pinned", "-published_at", "-id"]
        verbose_name = _("announcement (通知公告)")
        verbose_name_plural = _("announcements (通知公告)")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=F("published_at")),
                name="announcement_expires_after_publication",
            )
        ]

    def __str__(self) -> str:
        return self.title
