"""One error format for every failure, in the request's language, naming the field; never a 500."""

from __future__ import annotations

import json

import pytest

from yiwang.accounts.models import Person

pytestmark = pytest.mark.django_db


def _post(client, path, body, lang="zh-hans"):  # type: ignore[no-untyped-def]
    return client.post(
        path,
        json.dumps(body) if not isinstance(body, str) else body,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=lang,
    )


def test_invalid_resident_id_named_in_chinese_and_english(world, client_for) -> None:  # type: ignore[no-untyped-def]
    c = client_for("clerk")
    r = _post(c, "/api/people", {"name": "甲", "id_number": "110105194912310021", "mobile": "13812341234"})
    assert r.status_code == 422  # well-formed but breaks a rule (400 is for schema violations)
    body = r.json()
    assert body["code"] == "invalid"
    assert body["fields"] == {"id_number": "居民身份证号码无效（GB 11643）：请核对18位号码及末位校验码。"}
    assert body["message"].startswith("id_number")
    r = _post(c, "/api/people", {"name": "甲", "id_number": "110105194912310021"}, lang="en")
    assert r.json()["fields"] == {
        "id_number": "Not a valid resident ID number (GB 11643): check the 18 characters and the last check character."
    }
    assert Person.objects.filter(name="甲").count() == 0


def test_invalid_credit_code_and_mobile(world, client_for) -> None:  # type: ignore[no-untyped-def]
    c = client_for("clerk")
    r = _post(
        c,
        "/api/enterprises",
        {"name": "某公司", "credit_code": "91350100M000100Y44", "legal_representative": "甲"},
        lang="en",
    )
    assert r.status_code == 422
    assert list(r.json()["fields"]) == ["credit_code"]
    r = _post(
        c,
        "/api/enterprises",
        {"name": "某公司", "credit_code": "91350100M000100Y43", "legal_representative": "甲"},
    )
    assert r.status_code == 201 and r.json()["credit_code"] == "91350100M000100Y43"
    r = _post(
        c, "/api/people", {"name": "甲", "id_number": "11010519491231002X", "mobile": "1234"}, lang="en"
    )
    assert r.json()["fields"] == {"mobile": "Not a valid mobile number: 11 digits starting with 13–19."}


def test_missing_fields_malformed_json_and_wrong_types(world, client_for) -> None:  # type: ignore[no-untyped-def]
    c = client_for("clerk")
    r = _post(c, "/api/people", {"id_number": "x"}, lang="en")
    assert r.status_code == 400 and r.json()["fields"] == {"name": "This field is required."}
    r = _post(c, "/api/people", "{not json", lang="en")
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    r = _post(c, "/api/people", "[1,2]")
    assert r.status_code == 400
    r = _post(c, "/api/people", {"name": 5, "id_number": ["x"]}, lang="en")
    assert r.status_code == 400 and set(r.json()["fields"]) == {"name", "id_number"}
    r = c.get("/api/people/not-a-number", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code in (400, 404)
    assert set(r.json()) == {"code", "message", "fields"}


def test_unauthenticated_and_forbidden_format(world, client_for) -> None:  # type: ignore[no-untyped-def]
    r = client_for("anonymous").get("/api/me", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 401
    assert r.json() == {
        "code": "unauthenticated",
        "message": "Please sign in or give a valid API token.",
        "fields": {},
    }
    r = client_for("applicant").get("/api/audit/events")
    assert r.status_code == 403
    assert r.json() == {"code": "forbidden", "message": "您无权执行此操作。", "fields": {}}
    r = client_for("clerk").get("/api/people/999999", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_oversized_request_is_refused_cleanly(world, client_for) -> None:  # type: ignore[no-untyped-def]
    big = {"name": "甲" * 10, "id_number": "1" * (6 * 1024 * 1024)}
    r = _post(client_for("clerk"), "/api/people", big)
    assert r.status_code in (400, 413)
    assert r.status_code != 500


def test_bearer_token_authentication(world) -> None:
    from django.test import Client

    from yiwang.accounts.services import api_token_create

    _token, raw = api_token_create(actor=None, user=world.users["reviewer"], name="system")
    r = Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert r.status_code == 200 and r.json()["username"] == "t_reviewer"
    assert r.json()["roles"] == ["reviewer"]
    r = Client().get("/api/me", HTTP_AUTHORIZATION="Bearer yw_wrong")
    assert r.status_code == 401


def test_healthz_and_openapi(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok", "database": "up"}
    doc = client.get("/api/openapi.json").json()
    assert doc["info"]["title"] == "Yiwang API"
    assert "/api/people" in doc["paths"]
    assert client.get("/api/docs").status_code == 200
