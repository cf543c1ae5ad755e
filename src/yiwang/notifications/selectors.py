from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Notification


def notifications_for(user: Any, limit: int = 50) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")[:limit]
