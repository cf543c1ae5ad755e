"""The notifications API: my messages, the unread count and read receipts, errors in both languages."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client

from yiwang.accounts import services as people
from yiwang.audit.models import AuditEvent
from yiwang.notifications.models import Notification

from .helpers import message

if TYPE_CHECKING:
    from tests.factories import World

pytestmark = pytest.mark.django_db
BASE = "/api/notifications"


def _post(client: Client, url: str, body: Any = None, **headers: str) -> Any:
    if body is None:  # no body at all, as ``curl -X POST`` sends it
        return client.generic("POST", url, b"", **headers)
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_list_my_messages_newest_first_with_counts_and_pages(world: World, client_for: Any) -> None:
    me = world.users["applicant"]
    for i in range(5):
        message(me, f"消息{i}", f"正文{i}", link="/applications/progress/?number=X1", minutes_ago=10 - i)
    message(me, "短信", channel=Notification.Channel.SMS)
    message(world.users["agent"], "别人的")
    client = client_for("applicant")

    body = client.get(f"{BASE}/", {"limit": 2, "offset": 1}).json()

    assert (body["count"], body["unread"], body["limit"], body["offset"]) == (5, 5, 2, 1)
    assert [m["subject"] for m in body["items"]] == ["消息3", "消息2"]
    item = body["items"][0]
    assert item["body"] == "正文3" and item["link"] == "/applications/progress/?number=X1"
    assert item["unread"] is True and item["read_at"] is None
    assert client.get(f"{BASE}/", {"offset": 5}).json()["items"] == []


def test_unread_only_and_the_unread_count(world: World, client_for: Any) -> None:
    me = world.users["applicant"]
    a, b = message(me, "甲"), message(me, "乙")
    client = client_for("applicant")
    assert client.get(f"{BASE}/unread-count").json() == {"unread": 2}
    assert _post(client, f"{BASE}/{a.pk}/read").status_code == 200
    assert client.get(f"{BASE}/unread-count").json() == {"unread": 1}
    listed = client.get(f"{BASE}/", {"unread": "true"}).json()
    assert (listed["count"], [m["id"] for m in listed["items"]]) == (1, [b.pk])


def test_mark_one_read_returns_it_and_is_audited_once(world: World, client_for: Any) -> None:
    n = message(world.users["applicant"])
    client = client_for("applicant")
    first = _post(client, f"{BASE}/{n.pk}/read")
    assert first.status_code == 200
    out = first.json()
    assert (out["id"], out["unread"]) == (n.pk, False) and out["read_at"]
    again = _post(client, f"{BASE}/{n.pk}/read").json()
    assert again["read_at"] == out["read_at"]
    assert AuditEvent.objects.filter(action="notification.read", outcome="success").count() == 1
    audit = AuditEvent.objects.get(action="notification.read")
    assert audit.channel == "api"


@pytest.mark.parametrize(
    ("lang", "message_text"), [("zh-hans", "未找到。"), ("en", "Not found.")], ids=["zh", "en"]
)
def test_somebody_elses_message_is_404_in_the_error_format(
    world: World, client_for: Any, lang: str, message_text: str
) -> None:
    n = message(world.users["applicant"])
    response = _post(client_for("agent"), f"{BASE}/{n.pk}/read", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": message_text, "fields": {}}
    n.refresh_from_db()
    assert n.read_at is None


@pytest.mark.parametrize(
    ("lang", "text"),
    [("zh-hans", "limit：不能大于 100。"), ("en", "limit: Must be at most 100.")],
    ids=["zh", "en"],
)
def test_a_limit_out_of_range_is_422_in_both_languages(
    world: World, client_for: Any, lang: str, text: str
) -> None:
    response = client_for("applicant").get(f"{BASE}/", {"limit": 101}, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert response.json()["message"] == text


def test_signed_out_is_401(world: World) -> None:
    response = Client().get(f"{BASE}/unread-count", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_mark_all_read_all_or_up_to_what_was_shown(world: World, client_for: Any) -> None:
    me = world.users["applicant"]
    shown = [message(me, "甲"), message(me, "乙")]
    later = message(me, "丙")
    client = client_for("applicant")
    assert _post(client, f"{BASE}/read-all", {"up_to": shown[-1].pk}).json() == {"marked": 2, "unread": 1}
    assert _post(client, f"{BASE}/read-all", {}).json() == {"marked": 1, "unread": 0}
    assert _post(client, f"{BASE}/read-all", {"up_to": None}).json() == {"marked": 0, "unread": 0}
    for not_an_object in ([None, None], "x", 3):
        refused = _post(client, f"{BASE}/read-all", not_an_object, HTTP_ACCEPT_LANGUAGE="en")
        assert refused.status_code == 400
        assert refused.json()["message"] == "__all__: The request body must be a JSON object."
    assert Notification.objects.get(pk=later.pk).read_at is not None
    assert AuditEvent.objects.filter(action="notification.read_all").count() == 2


def test_a_system_token_reads_its_own_inbox(world: World) -> None:
    staff = world.users["reviewer"]
    n = message(staff, "即将到期: 审批时限", "审批时限将于 2026-03-30 届满。", link="/workdays/clocks/1/")
    _token, raw = people.api_token_create(actor=None, user=staff, name="inbox")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert [m["id"] for m in client.get(f"{BASE}/").json()["items"]] == [n.pk]
    assert client.post(f"{BASE}/{n.pk}/read").json()["unread"] is False


def test_identifiers_in_a_message_are_masked(world: World, client_for: Any) -> None:
    person: Any = world.person
    message(world.users["applicant"], "核验", f"手机 {person.mobile}，证件 {person.id_number}")
    text = client_for("applicant").get(f"{BASE}/").content.decode()
    assert person.mobile not in text and person.id_number not in text
    assert person.mobile[:3] + "****" + person.mobile[-4:] in text
