"""The hall's public kiosk (a walk-in takes a number without an account: by ID number, by mobile, or
anonymously, and gets a printable ticket) and the full-screen display board."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
import time_machine
from django.test import Client

from yiwang.accounts.models import Window
from yiwang.audit.models import AuditEvent
from yiwang.halls import services
from yiwang.halls.models import Ticket

from .helpers import at, next_workday

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _during_opening_hours(hallset: Any) -> Iterator[None]:
    """A walk-in takes a number only while the hall is open: every test here runs at 10:00 on the next
    working day (the clock ticks, so numbers and calls keep their order), whatever the hour of the run."""
    with time_machine.travel(at(next_workday(), "10:00"), tick=True):
        yield


def _kiosk(w: Any) -> str:
    return f"/halls/{w.hall.code}/kiosk/"


def test_an_anonymous_walk_in_takes_a_number_and_gets_a_printable_ticket(hallset: Any) -> None:
    w = hallset
    c = Client()
    page = c.get(_kiosk(w))
    assert page.status_code == 200
    assert 'id="kiosk-queue-A"' in page.content.decode() and 'id="kiosk-queue-B"' in page.content.decode()
    r = c.post(_kiosk(w), {"category": "B", "who": ""})
    assert r.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.number, ticket.source, ticket.person, ticket.user, ticket.holder_masked) == (
        "B001",
        "kiosk",
        None,
        None,
        "",
    )
    assert r["Location"] == f"/halls/tickets/{ticket.token}/print/"
    slip = c.get(r["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="ticket-number">B001<' in slip and "People ahead of you: 0" in slip
    assert "Business B" in slip and "<svg" in slip and 'src="/static/halls/kiosk.js"' in slip
    assert AuditEvent.objects.filter(action="ticket.take", data__source="kiosk_page").count() == 1
    c.post(_kiosk(w), {"category": "B"})
    second = Ticket.objects.latest("id")
    assert second.number == "B002"
    assert "您前面还有1人" in c.get(f"/halls/tickets/{second.token}/print/").content.decode()


def test_a_walk_in_by_id_number_is_linked_and_masked_and_waits_once_per_queue(hallset: Any) -> None:
    w = hallset
    c = Client()
    number = w.other_person.id_number
    r = c.post(_kiosk(w), {"category": "A", "who": number.lower()})
    assert r.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.person == w.other_person and ticket.holder_masked == number[:3] + "*" * 11 + number[-4:]
    slip = c.get(r["Location"]).content.decode()
    assert ticket.holder_masked in slip and number not in slip
    again = c.post(_kiosk(w), {"category": "A", "who": number}, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 400
    assert "This number already waits in this queue: A001." in again.content.decode()
    assert c.post(_kiosk(w), {"category": "B", "who": number}).status_code == 302  # another queue
    assert Ticket.objects.count() == 2


def test_a_walk_in_by_mobile_and_bad_input_name_the_field(hallset: Any) -> None:
    w = hallset
    c = Client()
    r = c.post(_kiosk(w), {"category": "A", "who": "139 1234 5678"})
    assert r.status_code == 302
    assert Ticket.objects.get().holder_masked == "139****5678"
    bad = c.post(_kiosk(w), {"category": "A", "who": "110105194912310021"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "ID number or mobile: Not a valid resident ID number (GB 11643)" in body
    assert 'value="110105194912310021"' in body  # kept, to be corrected
    zh = c.post(_kiosk(w), {"category": "A", "who": "12345678901"})
    assert zh.status_code == 400 and "身份证号或手机号：" in zh.content.decode()
    none = c.post(_kiosk(w), {"who": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert none.status_code == 400 and "Queue: Choose a queue." in none.content.decode()
    assert c.post(_kiosk(w), {"category": "Z"}).status_code == 400
    assert Ticket.objects.count() == 1


def test_one_address_cannot_drain_the_numbers(hallset: Any) -> None:
    """The kiosk is limited per address (the shared ``core.ratelimit`` counter), per holder and day, and a
    refused attempt leaves no number and no count behind."""
    w = hallset
    c = Client()
    for _n in range(services.kiosk_limits()["per_address"]):
        assert c.post(_kiosk(w), {"category": "A"}, REMOTE_ADDR="198.51.100.7").status_code == 302
    refused = c.post(_kiosk(w), {"category": "A"}, REMOTE_ADDR="198.51.100.7", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert "Too many numbers were taken here just now." in refused.content.decode()
    assert Ticket.objects.count() == services.kiosk_limits()["per_address"]
    assert c.post(_kiosk(w), {"category": "A"}, REMOTE_ADDR="198.51.100.8").status_code == 302
    mobile = "13912345678"
    other = Client()
    for _n in range(services.kiosk_limits()["per_holder"]):
        assert other.post(_kiosk(w), {"category": "A", "who": mobile}).status_code == 302
        services.ticket_finish(actor=w.users["clerk"], window=_call_next(w))
    over = other.post(_kiosk(w), {"category": "A", "who": mobile}, HTTP_ACCEPT_LANGUAGE="en")
    assert over.status_code == 429 and "the limit is reached" in over.content.decode()


def _call_next(w: Any) -> Window:
    window = Window.objects.get(hall=w.hall, number="01")
    ticket = Ticket.objects.filter(hall=w.hall, status="waiting", holder_index__gt="").get()
    services.ticket_call_next(actor=w.users["clerk"], window=window, ticket=ticket)
    return window


def test_the_kiosk_refuses_when_the_hall_is_closed(hallset: Any) -> None:
    w = hallset
    w.hall.opening_hours = {}
    w.hall.save(update_fields=["opening_hours"])
    r = Client().post(_kiosk(w), {"category": "A"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "The hall is not open now." in r.content.decode()
    assert not Ticket.objects.exists()


def test_the_board_shows_the_called_number_and_announces_it_in_chinese(hallset: Any) -> None:
    w = hallset
    c = Client()
    c.post(_kiosk(w), {"category": "A"})
    c.post(_kiosk(w), {"category": "A"})
    window = Window.objects.get(hall=w.hall, number="01")
    services.ticket_call_next(actor=w.users["clerk"], window=window)
    page = c.get(f"/halls/{w.hall.code}/board/", HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="board-number"><span class="call-number">A001<' in body and "to window 01" in body
    assert 'data-speech="请 A001 号到 01 号窗口办理"' in body  # Chinese whatever the screen's language
    assert 'src="/static/halls/board.js"' in body and 'hx-trigger="every 3s"' in body
    assert "<script>" not in body  # the CSP forbids inline scripts
    assert 'id="board-queue-A"' in body and "1 waiting" in body
    live = c.get(f"/halls/{w.hall.code}/board/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in live and 'id="board-number"><span class="call-number">A001<' in live
    key = live.split('data-call="')[1].split('"')[0]
    services.ticket_recall(actor=w.users["clerk"], window=window)
    again = c.get(f"/halls/{w.hall.code}/board/", HTTP_HX_REQUEST="true").content.decode()
    assert again.split('data-call="')[1].split('"')[0] != key  # a recall is announced again


def test_the_board_lists_the_last_calls_even_when_finished(hallset: Any) -> None:
    w = hallset
    for _n in range(3):
        services.ticket_take_at_kiosk(actor=w.users["clerk"], hall=w.hall, category_letter="A")
    window = Window.objects.get(hall=w.hall, number="01")
    services.ticket_call_next(actor=w.users["clerk"], window=window)
    services.ticket_finish(actor=w.users["clerk"], window=window)
    services.ticket_call_next(actor=w.users["clerk"], window=window)
    live = Client().get(f"/halls/{w.hall.code}/board/", HTTP_HX_REQUEST="true").content.decode()
    assert 'id="board-number"><span class="call-number">A002<' in live
    recent = live.split('class="board-calls"')[1].split("</ol>")[0]
    assert '<span class="call-number">A001</span>' in recent and "A002" not in recent


def test_the_hall_page_offers_the_kiosk_to_a_visitor_without_an_account(hallset: Any) -> None:
    page = Client().get(f"/halls/{hallset.hall.code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        f'id="hall-kiosk" href="/halls/{hallset.hall.code}/kiosk/">Take a number without an account<' in page
    )


def test_the_kiosk_limits_come_from_the_settings(hallset: Any, settings: Any) -> None:
    settings.HALLS_KIOSK = {"per_address": 2, "per_holder": 1}
    assert services.kiosk_limits() == {"per_address": 2, "address_window": 600, "per_holder": 1}
    c = Client()
    for _n in range(2):
        assert c.post(_kiosk(hallset), {"category": "A"}, REMOTE_ADDR="198.51.100.9").status_code == 302
    assert c.post(_kiosk(hallset), {"category": "A"}, REMOTE_ADDR="198.51.100.9").status_code == 429
