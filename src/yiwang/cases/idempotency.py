"""``Idempotency-Key`` for API submissions: a replay returns the stored result; the same key with a
different body is refused with 422. The operation and the stored result commit together, so two
concurrent requests with one key run the operation once (the loser's transaction rolls back)."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from yiwang.core.errors import ServiceError

from .models import IdempotencyRecord

if TYPE_CHECKING:
    from collections.abc import Callable

HEADER = "Idempotency-Key"


class IdempotencyMismatch(ServiceError):
    status = 422
    default_code = "idempotency_key_reused"


def _digest(body: Any) -> str:
    return hashlib.sha256(
        json.dumps(body, sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()


def _jsonable(payload: Any) -> Any:
    return json.loads(json.dumps(payload, default=str, ensure_ascii=False))


def idempotent(
    *, request: Any, scope: str, body: Any, run: Callable[[], tuple[int, Any]], key: str | None = None
) -> tuple[int, Any]:
    """``key``: a page form's own one-time token (a hidden field) instead of the API's header, so a double
    click on a page's submit button runs the action once too."""
    key = (key if key is not None else request.headers.get(HEADER) or "").strip()[:100]
    if not key:
        return run()
    digest = _digest(body)
    user = request.user

    def replay(rec: IdempotencyRecord) -> tuple[int, Any]:
        if rec.body_hash != digest:
            raise IdempotencyMismatch(
                _("This Idempotency-Key was already used with a different request body.")
            )
        return rec.status_code, rec.response

    existing = IdempotencyRecord.objects.filter(user=user, scope=scope, key=key).first()
    if existing is not None:
        return replay(existing)
    try:
        with transaction.atomic():
            status, payload = run()
            payload = _jsonable(payload)
            IdempotencyRecord.objects.create(
                user=user, scope=scope, key=key, body_hash=digest, status_code=status, response=payload
            )
    except IntegrityError:
        rec = IdempotencyRecord.objects.filter(user=user, scope=scope, key=key).first()
        if rec is None:
            raise
        return replay(rec)
    return status, payload
