"""Resident ID and mobile numbers encrypted at rest (SM4-GCM) with blind indexes (docs/adr/0014): the
database holds no plaintext, exact lookups and uniqueness work, tampering is detected, keys rotate."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import override_settings

from tests.factories import resident_id
from yiwang.accounts import services
from yiwang.accounts.models import Person
from yiwang.accounts.selectors import person_search
from yiwang.core import fieldcrypt

pytestmark = pytest.mark.django_db


def _raw(pk: int) -> tuple[str, str, str, str]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id_number, id_number_index, mobile, mobile_index FROM accounts_person WHERE id = %s", [pk]
        )
        return cur.fetchone()  # type: ignore[return-value]


def test_the_database_holds_no_plaintext_and_lookups_still_work() -> None:
    number = resident_id("19800101", 11)
    person = services.person_register(actor=None, name="张三", id_number=number, mobile="13812345678")
    raw_id, id_index, raw_mobile, mobile_index = _raw(person.pk)
    assert raw_id.startswith("sm4g1:test1:") and number not in raw_id and "13812345678" not in raw_mobile
    assert id_index == fieldcrypt.blind_index(number) and len(mobile_index) == 64
    fresh = Person.objects.get(pk=person.pk)
    assert (fresh.id_number, fresh.mobile, fresh.masked_id) == (number, "13812345678", person.masked_id)
    assert Person.objects.get(id_number=number) == person
    assert Person.objects.get(mobile="138 1234 5678") == person  # the index is over the normal form
    assert list(Person.objects.filter(id_number__in=[number, "nope"])) == [person]
    assert list(person_search(number, by_id=True)) == [person]
    again = fieldcrypt.encrypt(number)
    assert again != raw_id and fieldcrypt.decrypt(again) == number  # a fresh nonce every time


def test_uniqueness_holds_on_the_blind_index() -> None:
    number = resident_id("19800101", 12)
    Person.objects.create(name="甲", id_number=number)
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(name="乙", id_number=number)


def test_a_changed_ciphertext_is_detected() -> None:
    stored = fieldcrypt.encrypt("440524188001010014")
    body = stored.rsplit(":", 1)
    flipped = body[1][:-4] + ("AAAA" if body[1][-4:] != "AAAA" else "BBBB")
    with pytest.raises(fieldcrypt.DecryptionError):
        fieldcrypt.decrypt(f"{body[0]}:{flipped}")
    with pytest.raises(fieldcrypt.DecryptionError):  # the key id is bound to the ciphertext
        fieldcrypt.decrypt(stored.replace(":test1:", ":test0:"))


def test_keys_rotate_and_old_rows_stay_readable_until_then(world: Any) -> None:
    with override_settings(FIELD_ENCRYPTION_KEY_ID="test0"):
        old = services.person_register(
            actor=None, name="旧", id_number=resident_id("19700101", 13), mobile="13900001111"
        )
    assert _raw(old.pk)[0].startswith("sm4g1:test0:")
    assert Person.objects.get(pk=old.pk).mobile == "13900001111"  # read with the old key, still configured
    out = StringIO()
    call_command("rotate_field_keys", stdout=out)
    raw = _raw(old.pk)
    assert raw[0].startswith("sm4g1:test1:") and raw[2].startswith("sm4g1:test1:")
    assert "re-encrypted under key test1" in out.getvalue()
    assert Person.objects.get(id_number=old.id_number).mobile == "13900001111"
    out = StringIO()
    call_command("rotate_field_keys", stdout=out)
    assert "0 rows re-encrypted" in out.getvalue()  # idempotent
