"""The applications API: errors in Chinese and English, Idempotency-Key, optimistic concurrency, masking."""

from __future__ import annotations

import json
from typing import Any

import pytest

from yiwang.cases.models import Case
from yiwang.core.errors import ServiceError

from .builders import PDF, code_of

pytestmark = pytest.mark.django_db


def post(client: Any, url: str, body: Any, **headers: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_online_application_through_the_api(world: Any, item: Any, client_for: Any) -> None:
    c = client_for("applicant")
    r = post(
        c,
        "/api/applications",
        {"item": item.code, "delivery_method": "post", "delivery_address": "龙岗区龙城街道清林路1号"},
    )
    assert r.status_code == 201, r.content
    case_id = r.json()["id"]
    assert r.json()["number"] is None and r.json()["status"] == "draft"
    for pos in (1, 2):
        up = c.post(
            f"/api/applications/{case_id}/materials/{code_of(item, pos)}", {"file": _file(PDF, "a.pdf")}
        )
        assert up.status_code == 200, up.content
    r = post(c, f"/api/applications/{case_id}/actions/submit", {"expected_version": up.json()["version"]})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "submitted" and r.json()["number"]
    assert "*" in r.json()["applicant"]  # the resident ID is masked


def _file(data: bytes, name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_wrong_file_type_message_in_chinese_and_english(world: Any, item: Any, client_for: Any) -> None:
    c = client_for("applicant")
    case_id = post(c, "/api/applications", {"item": item.code}).json()["id"]
    url = f"/api/applications/{case_id}/materials/{code_of(item, 1)}"
    zh = c.post(url, {"file": _file(b"MZ\x90\x00rest", "申请书.pdf")}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    en = c.post(url, {"file": _file(b"MZ\x90\x00rest", "form.pdf")}, HTTP_ACCEPT_LANGUAGE="en")
    assert zh.status_code == en.status_code == ServiceError.status
    assert zh.json()["code"] == "file_type"
    assert "Only PDF, JPG, PNG and OFD files are accepted." in en.json()["message"]
    assert "PDF" in zh.json()["message"] and "Only" not in zh.json()["message"]


def test_transition_not_allowed_is_409_in_both_languages(world: Any, item: Any, client_for: Any) -> None:
    from yiwang.applications import services as s

    case = s.application_receive(actor=world.users["clerk"], item=item, person=world.other_person)
    c = client_for("reviewer")
    en = post(c, f"/api/applications/{case.pk}/actions/approve", {}, HTTP_ACCEPT_LANGUAGE="en")
    zh = post(c, f"/api/applications/{case.pk}/actions/approve", {}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert en.status_code == zh.status_code == 409
    assert "is not possible while the case is" in en.json()["message"]
    assert en.json()["message"] != zh.json()["message"]


def test_stale_version_gives_changed_by_someone_else(world: Any, item: Any, client_for: Any) -> None:
    from yiwang.applications import services as s

    case = s.application_receive(actor=world.users["clerk"], item=item, person=world.other_person)
    c = client_for("clerk")
    ok = post(c, f"/api/applications/{case.pk}/actions/start_pre_review", {"expected_version": case.version})
    assert ok.status_code == 200
    stale = post(
        c,
        f"/api/applications/{case.pk}/actions/request_correction",
        {"expected_version": case.version, "items": {code_of(item, 1): "x"}},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    assert "changed by someone else" in stale.json()["message"]


def test_idempotency_key_replays_and_refuses_a_different_body(world: Any, item: Any, client_for: Any) -> None:
    c = client_for("clerk")
    body = {"item": item.code, "person_id": world.other_person.pk, "provided": [code_of(item, 1)]}
    first = post(c, "/api/applications/receive", body, HTTP_IDEMPOTENCY_KEY="k-1")
    again = post(c, "/api/applications/receive", body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Case.objects.count() == 1
    other = post(
        c,
        "/api/applications/receive",
        {**body, "provided": []},
        HTTP_IDEMPOTENCY_KEY="k-1",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert other.status_code == 422
    assert "different request body" in other.json()["message"]
    assert Case.objects.count() == 1
    post(c, "/api/applications/receive", body, HTTP_IDEMPOTENCY_KEY="k-2")
    assert Case.objects.count() == 2


def test_public_progress_needs_the_right_four_characters(world: Any, item: Any, client: Any) -> None:
    from yiwang.applications import services as s

    case = s.application_receive(actor=world.users["clerk"], item=item, person=world.other_person)
    good = client.get(
        "/api/applications/progress", {"number": case.number, "last4": world.other_person.id_number[-4:]}
    )
    assert good.status_code == 200 and good.json()["status"] == "received"
    assert world.other_person.name not in good.content.decode()
    bad = client.get("/api/applications/progress", {"number": case.number, "last4": "0000"})
    assert bad.status_code == 404


def test_applicant_cannot_read_someone_elses_case(world: Any, item: Any, client_for: Any) -> None:
    from yiwang.applications import services as s
    from yiwang.audit.models import AuditEvent

    case = s.application_receive(actor=world.users["clerk"], item=item, person=world.other_person)
    r = client_for("applicant").get(f"/api/applications/{case.pk}")
    assert r.status_code == 403
    assert AuditEvent.objects.filter(action="application.view", outcome="denied").exists()


def test_guessing_the_four_characters_is_limited(world: Any, item: Any, client: Any) -> None:
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from yiwang.applications import services as s
    from yiwang.applications.selectors import PROGRESS_MAX_MISSES

    case = s.application_receive(actor=world.users["clerk"], item=item, person=world.other_person)
    for n in range(PROGRESS_MAX_MISSES):
        r = client.get("/api/applications/progress", {"number": case.number, "last4": f"{n:04d}"})
        assert r.status_code == 404
    right = world.other_person.id_number[-4:]
    r = client.get(
        "/api/applications/progress", {"number": case.number, "last4": right}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert r.status_code == 429 and "Too many wrong attempts" in r.json()["message"]
    page = client.get("/applications/progress/", {"number": case.number, "last4": right})
    assert page.status_code == 429
    with time_machine.travel(timezone.now() + timedelta(hours=1), tick=False):
        r = client.get("/api/applications/progress", {"number": case.number, "last4": right})
        assert r.status_code == 200


def test_an_applicants_list_filters_by_status_and_when(world: Any, item: Any, client_for: Any) -> None:
    """Every documented filter of ``GET /api/applications`` filters an applicant's own list too (``when`` used
    to be read only for staff)."""
    from datetime import timedelta

    from django.utils import timezone

    from yiwang.cases import clockops

    c = client_for("applicant")

    def submitted() -> int:
        case_id = post(c, "/api/applications", {"item": item.code}).json()["id"]
        for pos in (1, 2):
            up = c.post(
                f"/api/applications/{case_id}/materials/{code_of(item, pos)}", {"file": _file(PDF, "a.pdf")}
            )
        r = post(c, f"/api/applications/{case_id}/actions/submit", {"expected_version": up.json()["version"]})
        assert r.status_code == 200, r.content
        return int(case_id)

    ids = [submitted() for _ in range(3)]
    draft = post(c, "/api/applications", {"item": item.code}).json()["id"]
    today = timezone.localdate()
    dues = [today - timedelta(days=1), clockops.add_workdays(today, 1), today + timedelta(days=60)]
    for pk, due in zip(ids, dues, strict=True):
        Case.objects.filter(pk=pk).update(due_date=due)  # a clock's due date, as the kernel would set it

    def listed(**params: str) -> list[int]:
        r = c.get("/api/applications", params)
        assert r.status_code == 200, r.content
        return sorted(row["id"] for row in r.json())

    Case.objects.filter(pk=draft).update(due_date=dues[0])  # a draft is nobody's work yet: never overdue
    assert listed() == sorted([*ids, draft])
    assert listed(when="overdue") == [ids[0]]
    assert listed(when="due_soon") == [ids[1]]
    assert listed(status="submitted") == sorted(ids)
    assert listed(status="draft") == [draft]
    assert listed(status="accepted") == []
    assert listed(status="submitted", when="overdue") == [ids[0]]
    assert c.get("/api/applications", {"when": "someday"}).status_code == 400


def test_someone_guessing_a_case_number_cannot_lock_its_owner_out(world: Any, item: Any, client: Any) -> None:
    """Ten wrong guesses from one address used to lock the case for an hour for everyone, its owner too:
    they now use up that address's allowance only; guessers from other addresses get 3 each once the case
    has had its 10, and the right answer from the owner's address still works."""
    from yiwang.applications import services as s
    from yiwang.applications.selectors import PROGRESS_MAX_MISSES

    case = s.application_receive(actor=world.users["clerk"], item=item, person=world.other_person)
    url = "/api/applications/progress"
    for n in range(PROGRESS_MAX_MISSES):
        r = client.get(url, {"number": case.number, "last4": f"{n:04d}"}, REMOTE_ADDR="198.51.100.7")
        assert r.status_code == 404
    assert (
        client.get(url, {"number": case.number, "last4": "0010"}, REMOTE_ADDR="198.51.100.7").status_code
        == 429
    )
    for n in range(3):
        r = client.get(url, {"number": case.number, "last4": f"1{n:03d}"}, REMOTE_ADDR="198.51.100.8")
        assert r.status_code == 404
    assert (
        client.get(url, {"number": case.number, "last4": "1003"}, REMOTE_ADDR="198.51.100.8").status_code
        == 429
    )
    right = world.other_person.id_number[-4:]
    owner = client.get(url, {"number": case.number, "last4": right}, REMOTE_ADDR="192.0.2.1")
    assert owner.status_code == 200 and owner.json()["number"] == case.number
    page = client.get(
        "/applications/progress/", {"number": case.number, "last4": right}, REMOTE_ADDR="192.0.2.2"
    )
    assert page.status_code == 200
