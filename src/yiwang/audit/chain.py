"""Pure hashing of audit rows: SM3 where this Python offers it, else SHA-256, recorded per row."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import datetime

GENESIS = "0" * 64


def preferred_algorithm() -> str:
    return "sm3" if "sm3" in hashlib.algorithms_available else "sha256"


def canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def row_fields(
    *,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    outcome: str,
    ip: str,
    channel: str,
    data: dict[str, Any],
) -> dict[str, Any]:
    return {
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "outcome": outcome,
        "ip": ip,
        "channel": channel,
        "data": data,
    }


def compute_hash(algorithm: str, prev_hash: str, fields: dict[str, Any]) -> str:
    h = hashlib.new(algorithm)
    h.update(prev_hash.encode())
    h.update(b"\n")
    h.update(canonical(fields))
    return h.hexdigest()
