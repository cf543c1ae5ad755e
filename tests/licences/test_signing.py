"""Signatures: round trip, tamper detection for every field, rotation (old signatures stay verifiable)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import override_settings

from yiwang.licences import keys, signing

FIELDS: dict[str, Any] = {
    "v": 1,
    "kid": "D0101/k1",
    "id": "1.2.156.3005.2.LT01.91440307MA5T00900X.2026000001.001.Q",
    "type": "LT01",
    "name": "食品经营许可证",
    "holder": "示范科技有限公司",
    "holder_no": "91440307MA5T00001X",
    "issuer": "市场监管局",
    "from": "2026-01-05",
    "to": "2031-01-04",
    "signed": "2026-01-05",
    "f": {"scope": "预包装食品销售", "address": "龙城街道1号"},
}


def _resigned_body(token: str, change: Any) -> str:
    fields, _body, sig = signing.decode(token)
    change(fields)
    return f"{signing.FORMAT}.{signing.b64(signing.canonical(fields))}.{signing.b64(sig)}"


def test_round_trip() -> None:
    key = signing.new_private_key()
    token = signing.sign(key, FIELDS)
    checked = signing.verify(token, {"D0101/k1": key.public_key()})
    assert checked.ok and checked.reason == "authentic" and checked.fields == FIELDS


def _paths(fields: dict[str, Any]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for k, v in fields.items():
        if isinstance(v, dict):
            out += [(k, sub) for sub in v]
        else:
            out.append((k,))
    return out


@pytest.mark.parametrize("path", _paths(FIELDS), ids=lambda p: ".".join(p))
def test_changing_any_field_is_detected(path: tuple[str, ...]) -> None:
    key = signing.new_private_key()
    other = signing.new_private_key()
    token = signing.sign(key, FIELDS)

    def change(fields: dict[str, Any]) -> None:
        target = fields
        for part in path[:-1]:
            target = target[part]
        value = target[path[-1]]
        if path == ("kid",):
            target[path[-1]] = "D0101/k2"  # pointing at another published key does not help
        else:
            target[path[-1]] = value + 1 if isinstance(value, int) else str(value) + "1"

    forged = _resigned_body(token, change)
    checked = signing.verify(forged, {"D0101/k1": key.public_key(), "D0101/k2": other.public_key()})
    assert not checked.ok and checked.reason == "forged"


def test_removed_or_added_field_is_detected() -> None:
    key = signing.new_private_key()
    token = signing.sign(key, FIELDS)
    for change in (lambda f: f.pop("to"), lambda f: f.update(extra="x"), lambda f: f["f"].pop("scope")):
        forged = _resigned_body(token, change)
        assert signing.verify(forged, {"D0101/k1": key.public_key()}).reason == "forged"


@pytest.mark.parametrize(
    "payload",
    [
        "",
        "YWL1",
        "YWL2.e30.AAAA",
        "YWL1.!!!.AAAA",
        "YWL1." + signing.b64(b"not json") + "." + signing.b64(b"x" * 64),
        "YWL1." + signing.b64(b"[1,2]") + "." + signing.b64(b"x" * 64),
        "YWL1."
        + signing.b64(json.dumps({"kid": "D0101/../k1", "a": 1}).encode())
        + "."
        + signing.b64(b"x" * 64),
        "YWL1." + signing.b64(signing.canonical({"kid": "D0101/k1"})) + "." + signing.b64(b"short"),
        "YWL1." + "A" * 5000,
    ],
)
def test_malformed_payloads_are_answered_not_raised(payload: str) -> None:
    assert signing.verify(payload, {}).reason == "malformed"


def test_unknown_key() -> None:
    token = signing.sign(signing.new_private_key(), FIELDS)
    assert signing.verify(token, {}).reason == "unknown_key"


def test_signing_with_another_key_of_the_same_id_is_forged() -> None:
    token = signing.sign(signing.new_private_key(), FIELDS)
    assert signing.verify(token, {"D0101/k1": signing.new_private_key().public_key()}).reason == "forged"


def test_rotation_keeps_old_signatures_verifiable(tmp_path: Any) -> None:
    with override_settings(
        LICENCE_KEY_DIR=str(tmp_path), LICENCE_KEYS_GENERATE=True, LICENCE_CURRENT_KEYS=""
    ):
        kid1, key1 = keys.signing_key("D0101")
        assert kid1 == "D0101/k1"
        old = signing.sign(key1, {**FIELDS, "kid": kid1})
        keys.generate("D0101", "k2")
        kid2, key2 = keys.signing_key("D0101")
        assert kid2 == "D0101/k2"
        new = signing.sign(key2, {**FIELDS, "kid": kid2})
        # the old private key is retired: only its public half stays
        (tmp_path / "D0101.k1.key.pem").unlink()
        keys._cache.clear()
        published = keys.public_keys()
        assert set(published) == {"D0101/k1", "D0101/k2"}
        assert signing.verify(old, published).ok and signing.verify(new, published).ok
        assert keys.signing_key("D0101")[0] == "D0101/k2"
    keys._cache.clear()


def test_the_configuration_names_the_current_key(tmp_path: Any) -> None:
    with override_settings(
        LICENCE_KEY_DIR=str(tmp_path), LICENCE_KEYS_GENERATE=False, LICENCE_CURRENT_KEYS="D0101:a"
    ):
        keys.generate("D0101", "a")
        keys.generate("D0101", "b")
        assert keys.signing_key("D0101")[0] == "D0101/a"
        with pytest.raises(keys.NoSigningKey):
            keys.signing_key("D0999")  # production generates nothing
    keys._cache.clear()


def test_a_key_id_is_never_overwritten(tmp_path: Any) -> None:
    with override_settings(
        LICENCE_KEY_DIR=str(tmp_path), LICENCE_KEYS_GENERATE=True, LICENCE_CURRENT_KEYS=""
    ):
        keys.generate("D0101", "k1")
        before = (tmp_path / "D0101.k1.key.pem").read_bytes()
        assert keys.generate("D0101", "k1") == "D0101/k1"
        assert (tmp_path / "D0101.k1.key.pem").read_bytes() == before
    keys._cache.clear()


def test_an_unreadable_key_file_is_skipped(tmp_path: Any) -> None:
    with override_settings(
        LICENCE_KEY_DIR=str(tmp_path), LICENCE_KEYS_GENERATE=False, LICENCE_CURRENT_KEYS=""
    ):
        keys.generate("D0101", "k1")
        (tmp_path / "D0101.k2.key.pem").write_bytes(b"-----BEGIN PRIVATE KEY-----\nnot a key")
        keys._cache.clear()
        assert keys.signing_key("D0101")[0] == "D0101/k1"
    keys._cache.clear()
