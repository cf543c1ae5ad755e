"""Model fields of the platform: an identifier encrypted at rest with its blind index (core.fieldcrypt)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Lookup
from django.db.models.expressions import Col

from . import fieldcrypt


class EncryptedTextField(models.TextField):
    """A secret stored SM4-encrypted (core.fieldcrypt), read back in the clear; it cannot be searched."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return value if value is None or value == "" else fieldcrypt.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "" or str(value).startswith(fieldcrypt.PREFIX):
            return value
        return fieldcrypt.encrypt(str(value))


class EncryptedIdentifierField(models.TextField):
    """A resident ID or mobile number stored SM4-encrypted; ``index_field`` (declared after it on the model)
    holds its blind index. ``filter(field=value)`` and ``field__in`` compare blind indexes; nothing else
    can be searched (no prefixes, no ordering), by design."""

    def __init__(self, *args: Any, index_field: str = "", **kwargs: Any) -> None:
        self.index_field = index_field
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["index_field"] = self.index_field
        return name, path, args, kwargs

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return value if value is None or value == "" else fieldcrypt.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "" or str(value).startswith(fieldcrypt.PREFIX):
            return value
        return fieldcrypt.encrypt(str(value))

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        setattr(model_instance, self.index_field, fieldcrypt.blind_index(value or ""))
        return value


def _index_col(lookup: Lookup) -> Col:
    field = lookup.lhs.output_field
    return Col(lookup.lhs.alias, field.model._meta.get_field(field.index_field))


@EncryptedIdentifierField.register_lookup
class BlindExact(Lookup):
    lookup_name = "exact"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        sql, params = compiler.compile(_index_col(self))
        return f"{sql} = %s", (*params, fieldcrypt.blind_index(str(self.rhs or "")))


@EncryptedIdentifierField.register_lookup
class BlindIn(Lookup):
    lookup_name = "in"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        values = [fieldcrypt.blind_index(str(v or "")) for v in self.rhs]
        if not values:
            return "1 = 0", ()
        sql, params = compiler.compile(_index_col(self))
        return f"{sql} IN ({', '.join(['%s'] * len(values))})", (*params, *values)
