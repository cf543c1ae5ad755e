from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from yiwang.accounts.access import access_audit_log, ensure
from yiwang.web.api import AUTH, ERRORS

from .models import AuditEvent
from .services import audit_checkpoints, audit_verify_chain

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    seq: int | None = Field(
        None, description="its place in the chain (none until the sealer has linked it, seconds after commit)"
    )
    at: datetime
    actor_label: str
    action: str
    object_type: str
    object_id: str
    outcome: str
    ip: str
    channel: str


class VerifyOut(Schema):
    ok: bool
    checked: int
    first_bad_seq: int | None
    reason: str
    unsealed: int
    oldest_unsealed_seconds: float


@router.get("/events", response={200: list[AuditEventOut], **ERRORS}, auth=AUTH)
def list_events(
    request: HttpRequest, action: str | None = None, limit: int = Query(100, ge=1, le=1000)
) -> Any:
    """The latest audit events (audit administrator only)."""
    ensure(access_audit_log(request.user), user=request.user, action="audit.list")
    qs = AuditEvent.objects.order_by("-id")
    if action:
        qs = qs.filter(action=action)
    return list(qs[:limit])


class CheckpointOut(Schema):
    seq: int
    hash: str
    at: str
    signature: str


@router.get("/checkpoints", response={200: list[CheckpointOut], **ERRORS}, auth=AUTH)
def checkpoints(request: HttpRequest) -> Any:
    """The signed checkpoints of the chain head (audit administrator only): keep a copy outside the platform;
    ``audit_verify`` compares the database with every one of them."""
    ensure(access_audit_log(request.user), user=request.user, action="audit.checkpoints")
    return [c for c in audit_checkpoints() if {"seq", "hash", "at", "signature"} <= set(c)]


@router.get("/verify", response={200: VerifyOut, **ERRORS}, auth=AUTH)
def verify(request: HttpRequest) -> Any:
    """Recompute the hash chain (audit administrator only)."""
    ensure(access_audit_log(request.user), user=request.user, action="audit.verify")
    r = audit_verify_chain()
    return {
        "ok": r.ok,
        "checked": r.checked,
        "first_bad_seq": r.first_bad_seq,
        "reason": r.reason,
        "unsealed": r.unsealed,
        "oldest_unsealed_seconds": round(r.oldest_unsealed_seconds, 1),
    }
