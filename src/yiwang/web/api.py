"""Shared API plumbing: the error schema, authentication (session for browsers, bearer tokens for
systems) and the handlers that give every failure one format in the request's language."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer
from pydantic import BaseModel, BeforeValidator, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from yiwang.accounts.models import ApiToken
from yiwang.core.errors import ServiceError, from_validation_error

# --- bounded numbers --------------------------------------------------------------------------
# Every integer an operation takes (path, query or body) carries its range in the schema, so the
# OpenAPI document says what is accepted and a value outside it is answered 422 in the error format
# before it reaches a query (an unbounded offset once overflowed SQLite's 64-bit integers: a 500).
MAX_ID = 2**63 - 1  # BigAutoField
MAX_VERSION = 2**31 - 1  # PositiveIntegerField
MAX_OFFSET = 100_000
Id = Annotated[int, Field(ge=1, le=MAX_ID, description="a database identifier")]
Version = Annotated[int, Field(ge=1, le=MAX_VERSION)]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]
Year = Annotated[int, Field(ge=2000, le=2100)]
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: Any) -> Any:
    """Only ``YYYY-MM-DD`` (or a date): Pydantic would otherwise read ``0`` or ``1.5e-201`` as a Unix
    timestamp, accepting what the OpenAPI document (``format: date``) says is not a date."""
    if isinstance(value, date) or value is None:
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        return value
    raise PydanticCustomError("date_parsing", "Input should be a valid date in the format YYYY-MM-DD")


# Every date an operation takes (query or body).
IsoDate = Annotated[date, BeforeValidator(_iso_day), WithJsonSchema({"type": "string", "format": "date"})]


def _a_number(value: Any) -> Any:
    """A JSON number only: a decimal amount is documented as ``number``, so a string (even ``"12"``) or a
    boolean is refused as the document says, where Pydantic's ``Decimal`` would parse the string."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise PydanticCustomError("decimal_type", "Input should be a number")
    return value


# A non-negative decimal amount in a request body (a JSON number up to 10¹³, in yuan).
Amount = Annotated[
    Decimal,
    BeforeValidator(_a_number),
    Field(ge=0, le=Decimal("1e13")),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 1e13}),
]


def whole_only(value: Any) -> Any:
    """A JSON integer only (``12`` or ``12.0``, as JSON Schema counts them): not ``true`` nor ``"12"``.
    Used as ``Annotated[int, BeforeValidator(whole_only), Field(ge, le), WithJsonSchema(…)]``, with the
    bounds written into the schema by hand (Pydantic cannot carry them through a validator)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


def require_object(value: Any) -> Any:
    """A request body must be a JSON object (Ninja's schemas would read ``[null, null]`` as an object whose
    optional fields are all missing)."""
    if not isinstance(value, dict):
        raise PydanticCustomError("dict_type", "The request body must be a JSON object.")
    return value


class ObjectIn(BaseModel):
    """The base of a request body whose fields may all be left out (a plain Pydantic model: Ninja's
    ``Schema`` wraps its input before any validator of ours sees it)."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, value: Any) -> Any:
        return require_object(value)


# Pydantic's range errors: the value is well formed but outside its documented range (422).
RANGE_ERRORS = frozenset({"greater_than_equal", "less_than_equal", "greater_than", "less_than"})


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str] = {}


# 400: the request does not match the documented schema (wrong type, missing field, malformed JSON).
# 422: it is well formed but a value is out of its documented range, or it breaks a rule (bad
#      resident-ID checksum, end before start …).
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**ERRORS, 409: ErrorOut}


class TokenAuth(HttpBearer):
    """``Authorization: Bearer yw_…`` for system accounts."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = (
            ApiToken.objects.select_related(
                "user", "user__person"
            )  # the applicant's person in the same query
            .filter(digest=ApiToken.digest_of(token), revoked=False, user__is_active=True)
            .first()
        )
        if row is None or (row.expires_at and row.expires_at < timezone.now()):
            return None
        request.user = row.user
        return row.user


class SessionAuth(APIKeyCookie):
    """The browser's session, with Django's CSRF check on unsafe methods.

    Without a session cookie there is nothing to protect: the request is simply unauthenticated
    (401), not a CSRF failure (403).
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.COOKIES.get(self.param_name):
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


AUTH = [TokenAuth(), SessionAuth()]

_PYDANTIC_MESSAGES = {
    "missing": lambda: _("This field is required."),
    "int_parsing": lambda: _("Enter a whole number."),
    "int_type": lambda: _("Enter a whole number."),
    "float_parsing": lambda: _("Enter a number."),
    "date_from_datetime_parsing": lambda: _("Enter a valid date (YYYY-MM-DD)."),
    "date_parsing": lambda: _("Enter a valid date (YYYY-MM-DD)."),
    "date_type": lambda: _("Enter a valid date (YYYY-MM-DD)."),
    "datetime_parsing": lambda: _("Enter a valid date and time."),
    "string_too_long": lambda: _("Too long."),
    "string_too_short": lambda: _("Too short."),
    "string_type": lambda: _("Enter text."),
    "greater_than_equal": lambda: _("Too small."),
    "less_than_equal": lambda: _("Too large."),
    "greater_than": lambda: _("Too small."),
    "less_than": lambda: _("Too large."),
    "bool_parsing": lambda: _("Enter true or false."),
    "json_invalid": lambda: _("The request body is not valid JSON."),
    "model_attributes_type": lambda: _("The request body must be a JSON object."),
    "dict_type": lambda: _("The request body must be a JSON object."),
    "literal_error": lambda: _("Not one of the allowed values."),
    "enum": lambda: _("Not one of the allowed values."),
    "value_error": lambda: _("Invalid value."),
    "uuid_parsing": lambda: _("Enter a valid identifier."),
    "list_type": lambda: _("Enter a list."),
}


def _field_name(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in {"body", "query", "path", "form", "payload", "header", "cookie"}]
    return ".".join(parts) or "__all__"


def validation_fields(errors: list[dict[str, Any]]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for err in errors:
        name = _field_name(list(err.get("loc", [])))
        kind = str(err.get("type", ""))
        make = _PYDANTIC_MESSAGES.get(kind)
        text = make() if make else _("Invalid value.")
        if kind in RANGE_ERRORS and err.get("ctx"):
            limit = next(iter(err["ctx"].values()))
            text = {
                "greater_than_equal": _("Must be at least %(n)s."),
                "less_than_equal": _("Must be at most %(n)s."),
                "greater_than": _("Must be more than %(n)s."),
                "less_than": _("Must be less than %(n)s."),
            }[kind] % {"n": limit}
        fields.setdefault(name, text)
    return fields


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    fields: dict[str, str] | None = None,
) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "fields": fields or {}}, status=status
    )


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def _validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = list(exc.errors)
        fields = validation_fields(errors)
        name, problem = next(iter(fields.items())) if fields else ("", _("Invalid value."))
        message = _("%(field)s: %(problem)s") % {"field": name, "problem": problem} if name else problem
        out_of_range = bool(errors) and all(str(e.get("type", "")) in RANGE_ERRORS for e in errors)
        return error_response(api, request, 422 if out_of_range else 400, "invalid", message, fields)

    @api.exception_handler(ServiceError)
    def _service(request: HttpRequest, exc: ServiceError) -> HttpResponse:
        body = exc.as_dict()
        return error_response(api, request, exc.status, body["code"], body["message"], body["fields"])

    @api.exception_handler(ValidationError)
    def _django_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        err = from_validation_error(exc)
        body = err.as_dict()
        return error_response(api, request, err.status, body["code"], body["message"], body["fields"])

    @api.exception_handler(DataError)
    def _data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
        # A value the schema allows but the database cannot take, e.g. a NUL character in a search
        # term or a number beyond 64 bits on PostgreSQL: the caller's problem (422), not a 500.
        return error_response(
            api, request, 422, "invalid", _("The request contains a value that cannot be stored or searched.")
        )

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def _database_down(request: HttpRequest, exc: Exception) -> HttpResponse:
        response = error_response(
            api,
            request,
            503,
            "unavailable",
            _("The service is temporarily unavailable: its database cannot be reached."),
        )
        response["Retry-After"] = "60"
        return response

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(
            api, request, 401, "unauthenticated", _("Please sign in or give a valid API token.")
        )

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error_response(api, request, 403, "forbidden", _("You are not allowed to do this."))

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404, "not_found", _("Not found."))

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = {
            400: "invalid",
            401: "unauthenticated",
            403: "forbidden",
            404: "not_found",
            405: "method_not_allowed",
            409: "conflict",
            413: "too_large",
            422: "unprocessable",
            429: "rate_limited",
        }.get(exc.status_code, "error")
        return error_response(api, request, exc.status_code, code, str(exc.message))
