"""Errors raised by services and turned into one format by pages and the API:
``{"code": …, "message": …, "fields": {field: message}}`` in the request's language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.encoding import force_str
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django.core.exceptions import ValidationError


class ServiceError(Exception):
    # 422: the request was well-formed (it matched the API schema) but breaks a rule. Malformed
    # requests are answered 400 by the API's schema validation before any service runs.
    status = 422
    default_code = "invalid"

    def __init__(self, message: Any = "", *, code: str | None = None, fields: dict[str, Any] | None = None):
        self.message = message
        self.code = code or self.default_code
        self.fields = fields or {}
        super().__init__(force_str(message))

    def as_dict(self) -> dict[str, Any]:
        fields = {k: force_str(v) for k, v in self.fields.items()}
        message = (
            force_str(self.message)
            if self.message
            else (next(iter(fields.values())) if fields else _("The request is not valid."))
        )
        return {"code": self.code, "message": message, "fields": fields}


class NotFound(ServiceError):
    status = 404
    default_code = "not_found"


class Conflict(ServiceError):
    """The object changed under the caller (concurrent edit) or the action clashes with its state."""

    status = 409
    default_code = "conflict"


def from_validation_error(exc: ValidationError) -> ServiceError:
    if hasattr(exc, "error_dict"):
        fields = {
            ("__all__" if k == "__all__" else k): " ".join(force_str(m) for m in msgs)
            for k, msgs in exc.message_dict.items()
        }
        general = fields.pop("__all__", "")
        first = general or (next(iter(fields.values())) if fields else "")
        if fields and not general:
            name = next(iter(fields))
            first = _("%(field)s: %(problem)s") % {"field": name, "problem": fields[name]}
        return ServiceError(first, code="invalid", fields=fields)
    return ServiceError(" ".join(force_str(m) for m in exc.messages), code="invalid")


class RateLimited(ServiceError):
    """Too many attempts in a window (``core.ratelimit``)."""

    status = 429
    default_code = "rate_limited"
