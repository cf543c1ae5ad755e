"""The hotline's pages and API: intake with duplicates and merge, the boards, masking of callers' phones,
the public follow-up and rating, figures (page, API, Excel), bad input answered in the error format."""

from __future__ import annotations

import json
from io import BytesIO
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from openpyxl import load_workbook

from yiwang.cases.models import Case

from .builders import PHONE, call, dispatched, replied, setup

if TYPE_CHECKING:
    from tests.factories import World

FORM = {
    "type": "complaint",
    "category": "env-noise",
    "description": "夜间施工噪音",
    "caller_name": "陈先生",
    "caller_phone": PHONE,
    "urgency": "normal",
}


def test_intake_records_then_offers_duplicates_and_merges(world: World, client_for: Any) -> None:
    setup(world)
    c = client_for("hotline_operator")
    form = {**FORM, "community": world.community.code}
    r = c.post(reverse("hotline:intake"), form)
    assert r.status_code == 302
    first = Case.objects.get(kind="hotline")
    r = c.post(reverse("hotline:intake"), {**form, "caller_phone": "13900000201"})
    assert r.status_code == 200 and first.number in r.content.decode()  # a likely duplicate
    assert Case.objects.filter(kind="hotline").count() == 1  # nothing saved yet
    r = c.post(
        reverse("hotline:intake"),
        {**form, "caller_phone": "13900000201", "confirm": "on", "merge_into": first.pk},
    )
    assert r.status_code == 302 and r.headers["Location"] == reverse("hotline:ticket", args=[first.pk])
    dup = Case.objects.filter(kind="hotline").exclude(pk=first.pk).get()
    assert dup.status == "merged" and dup.parent_id == first.pk


def test_intake_bad_input_names_the_field(world: World, client_for: Any) -> None:
    setup(world)
    r = client_for("hotline_operator").post(reverse("hotline:intake"), {**FORM, "caller_phone": "abc"})
    assert r.status_code == 400 and "不是有效的电话号码" in r.content.decode()
    assert not Case.objects.filter(kind="hotline").exists()


def test_pages_render_in_english(world: World, client_for: Any) -> None:
    setup(world)
    r = client_for("hotline_operator").get(reverse("hotline:intake"), HTTP_ACCEPT_LANGUAGE="en")
    body = r.content.decode()
    assert "Take a call" in body and "Likely duplicates" not in body and "受理来电" not in body


def test_ticket_page_masks_the_phone_and_reveal_is_for_operators(world: World, client_for: Any) -> None:
    case = dispatched(world)
    for role in ("reviewer", "dispatcher", "hotline_operator"):
        body = client_for(role).get(reverse("hotline:ticket", args=[case.pk])).content.decode()
        assert PHONE not in body and "139****5678" in body
    r = client_for("hotline_operator").post(reverse("hotline:reveal", args=[case.pk]))
    assert r.content.decode() == PHONE and r.headers["X-Pii-Unmasked"] == "1"
    assert client_for("dispatcher").post(reverse("hotline:reveal", args=[case.pk])).status_code == 403


def test_ticket_page_actions_walk_the_ticket(world: World, client_for: Any) -> None:
    case = call(world)
    url = reverse("hotline:ticket", args=[case.pk])
    assert client_for("dispatcher").post(url, {"action": "dispatch"}).status_code == 302
    assert client_for("reviewer").post(url, {"action": "accept"}).status_code == 302
    r = client_for("reviewer").post(url, {"action": "reply", "handling": "已处理", "reply": ""})
    assert r.status_code == 400  # the reply is required
    client_for("reviewer").post(url, {"action": "reply", "handling": "已处理", "reply": "已停工"})
    client_for("hotline_operator").post(url, {"action": "callback", "rating": "satisfied"})
    case.refresh_from_db()
    assert case.status == "closed"


def test_boards(world: World, client_for: Any) -> None:
    received = call(world)
    own = dispatched(world, caller_phone="13900000202")
    board = client_for("dispatcher").get(reverse("hotline:board")).content.decode()
    assert received.number in board
    inbox = client_for("reviewer").get(reverse("hotline:inbox")).content.decode()
    assert own.number in inbox and received.number not in inbox
    h = setup(world)
    assert own.number not in client_for(h["other_reviewer"]).get(reverse("hotline:inbox")).content.decode()


def test_api_masks_and_refuses_bad_input(world: World, client_for: Any) -> None:
    case = dispatched(world)
    r = client_for("reviewer").get(f"/api/hotline/tickets/{case.pk}")
    assert r.status_code == 200 and r.json()["callers"][0]["phone"] == "139****5678"
    c = client_for("hotline_operator")
    bad = {**FORM, "category": "nope"}
    r = c.post("/api/hotline/tickets", json.dumps(bad), content_type="application/json")
    assert r.status_code == 422 and "category" in r.json()["fields"]
    r = c.post(
        "/api/hotline/tickets",
        json.dumps({**FORM, "lat": 39.9, "lng": 116.4}),
        content_type="application/json",
    )
    assert r.status_code == 422 and "lat" in r.json()["fields"]
    r = c.post(
        "/api/hotline/tickets",
        json.dumps({**FORM, "description": "x" * 2001}),
        content_type="application/json",
    )
    assert r.status_code in (400, 422)
    r = c.post("/api/hotline/tickets", json.dumps(FORM), content_type="application/json")
    assert r.status_code == 201 and r.json()["callers"][0]["phone"] == "139****5678"


def test_portal_file_follow_and_rate(world: World, client: Any) -> None:
    setup(world)
    r = client.post(reverse("hotline:file"), {**FORM, "caller_phone": "13900000203"})
    assert r.status_code == 302
    case = Case.objects.get(kind="hotline", channel="online")
    assert case.number in client.get(r.headers["Location"]).content.decode()  # the number is shown
    r = client.get(reverse("hotline:follow"), {"number": case.number, "last4": "0203"})
    assert r.status_code == 200 and case.number in r.content.decode()
    assert client.get(reverse("hotline:follow"), {"number": case.number, "last4": "0000"}).status_code == 404
    done = replied(world, caller_phone="13900000204")
    r = client.post(
        reverse("hotline:follow"), {"number": done.number, "last4": "0204", "rating": "satisfied"}
    )
    assert r.status_code == 302
    done.refresh_from_db()
    assert done.status == "closed"


def test_follow_guessing_is_limited(world: World, client: Any) -> None:
    case = call(world)
    for _ in range(10):
        client.get(reverse("hotline:follow"), {"number": case.number, "last4": "0000"})
    r = client.get(reverse("hotline:follow"), {"number": case.number, "last4": "5678"})
    assert r.status_code == 429


def test_figures_page_api_and_excel(world: World, client_for: Any) -> None:
    replied(world)
    call(world, category="biz-permit", caller_phone="13900000205")
    c = client_for("supervisor")
    body = c.get(reverse("hotline:figures")).content.decode()
    assert 'id="fig-received">2<' in body and 'id="fig-biz-received">1<' in body
    data = c.get("/api/hotline/figures").json()
    assert data["total"]["received"] == 2 and data["total"]["finished"] == 1
    assert data["business_line"]["received"] == 1
    assert {r["key"] for r in data["by_category"]} == {"env", "biz"}
    x = c.get(reverse("hotline:figures"), {"format": "xlsx"})
    wb = load_workbook(BytesIO(x.content))
    assert wb.worksheets[0]["B2"].value == 2
    assert c.get(reverse("hotline:figures"), {"start": "2026-13-01"}).status_code == 200


def test_map_by_community(world: World, client_for: Any) -> None:
    call(world)
    body = client_for("supervisor").get(reverse("hotline:map")).content.decode()
    assert 'id="ticket-map"' in body and f"{world.community.name}: 1" in body


def test_other_peoples_wrong_guesses_do_not_lock_the_caller_out(world: World, client: Any) -> None:
    """Guesses count per guesser (``ratelimit.guess``): ten wrong guesses from one address leave another
    address with the right digits free to follow the ticket; the guesser is refused even a right answer."""
    case = call(world)
    for _ in range(10):
        client.get(
            reverse("hotline:follow"), {"number": case.number, "last4": "0000"}, REMOTE_ADDR="203.0.113.9"
        )
    refused = client.get(
        reverse("hotline:follow"), {"number": case.number, "last4": "5678"}, REMOTE_ADDR="203.0.113.9"
    )
    assert refused.status_code == 429
    from django.test import Client

    r = Client().get(
        reverse("hotline:follow"), {"number": case.number, "last4": "5678"}, REMOTE_ADDR="198.51.100.4"
    )
    assert r.status_code == 200 and case.number in r.content.decode()
