"""Pages: kiosk and phone numbers, the ticket page, the board fragment, the console, set-up and figures."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.utils import timezone

from yiwang.accounts.models import Window
from yiwang.halls.models import HallConfig, SpecialDay, Ticket

pytestmark = pytest.mark.django_db


def _today(w: Any, closed: bool = False) -> None:
    SpecialDay.objects.update_or_create(
        hall=w.hall,
        date=timezone.localdate(),
        defaults={"closed": closed, "hours": [] if closed else [["00:00", "23:59"]]},
    )


def test_walk_in_on_the_phone_then_ticket_page_and_board(hallset: Any, client_for: Any) -> None:
    w = hallset
    _today(w)
    phone = client_for("applicant")
    r = phone.post(f"/halls/{w.hall.code}/take/", {"mode": "walkin", "category": "B"})
    assert r.status_code == 302
    ticket = Ticket.objects.get()
    assert r["Location"] == f"/halls/tickets/{ticket.token}/"
    assert (ticket.number, ticket.source, ticket.person) == ("B001", "phone", w.person)
    page = phone.get(r["Location"]).content.decode()
    assert "B001" in page and "您前面还有0人" in page
    # the clerk's window 02 serves B
    clerk = client_for("clerk")
    win = Window.objects.get(hall=w.hall, number="02")
    r = clerk.post(f"/halls/console/{win.pk}/call/", {})
    assert r.status_code == 302
    board = (
        client_for("anonymous").get(f"/halls/{w.hall.code}/board/", HTTP_HX_REQUEST="true").content.decode()
    )
    assert "<html" not in board  # a fragment for htmx
    assert re.search(r'class="call-number">B001<', board)
    assert "请到02号窗口" in board
    live = (
        client_for("anonymous")
        .get(f"/halls/tickets/{ticket.token}/", HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert "请立即到02号窗口办理" in live


def test_take_page_refuses_when_closed_in_both_languages(hallset: Any, client_for: Any) -> None:
    w = hallset
    _today(w, closed=True)
    phone = client_for("applicant")
    zh = phone.post(f"/halls/{w.hall.code}/take/", {"mode": "walkin", "category": "A"})
    en = phone.post(
        f"/halls/{w.hall.code}/take/", {"mode": "walkin", "category": "A"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert (zh.status_code, en.status_code) == (400, 400)
    assert "大厅现在不开放。" in zh.content.decode()
    assert "The hall is not open now." in en.content.decode()
    assert not Ticket.objects.exists()


def test_console_shows_reception_link_and_other_hall_window_is_refused(hallset: Any, client_for: Any) -> None:
    w = hallset
    _today(w)
    client_for("applicant").post(f"/halls/{w.hall.code}/take/", {"mode": "walkin", "category": "A"})
    clerk = client_for("clerk")
    win = Window.objects.get(hall=w.hall, number="01")
    clerk.post(f"/halls/console/{win.pk}/call/", {})
    page = clerk.get(f"/halls/console/?window={win.pk}").content.decode()
    assert 'id="current-number">A001<' in page
    assert f"/applications/reception/?ticket={Ticket.objects.get().pk}&amp;person={w.person.pk}" in page
    other = Window.objects.get(hall=w.other_hall, number="01")
    assert clerk.get(f"/halls/console/?window={other.pk}").status_code == 403
    assert clerk.post(f"/halls/console/{other.pk}/call/", {}).status_code == 403


def test_book_page_shows_the_refusal_and_setup_changes_config(hallset: Any, client_for: Any) -> None:
    w = hallset
    r = client_for("applicant").post(
        f"/halls/{w.hall.code}/book/", {"item": "ITEM-S", "date": "2026-12-01", "start": "09:00"}
    )
    assert r.status_code == 400
    assert "本大厅不办理该事项。" in r.content.decode()
    manager = client_for("hall_manager")
    data = {
        "form": "config",
        "bookable": "1",
        "slot_minutes": "20",
        "buffer_minutes": "5",
        "horizon_workdays": "10",
        "per_person_per_day": "1",
        "per_person_open": "2",
        "change_cutoff_minutes": "120",
        "checkin_early_minutes": "30",
        "checkin_late_minutes": "10",
    }
    assert manager.post("/halls/setup/", data).status_code == 302
    cfg = HallConfig.objects.get(hall=w.hall)
    assert (cfg.slot_minutes, cfg.buffer_minutes, cfg.horizon_workdays, cfg.change_cutoff_minutes) == (
        20,
        5,
        10,
        120,
    )
    bad = manager.post("/halls/setup/", {**data, "slot_minutes": "2"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400
    assert HallConfig.objects.get(hall=w.hall).slot_minutes == 20


def test_figures_page_and_map(hallset: Any, client_for: Any) -> None:
    page = client_for("hall_manager").get("/halls/figures/")
    assert page.status_code == 200
    data = json.loads(
        re.search(
            r'<script id="chart-data" type="application/json">(.*?)</script>', page.content.decode(), re.S
        ).group(1)
    )
    assert set(data) >= {"days", "tickets", "wait_avg", "wait_p90", "windows", "window_tickets"}
    assert "vendor/echarts/echarts.min.js" in page.content.decode()
    m = client_for("anonymous").get("/halls/", {"item": "ITEM-S"}).content.decode()
    assert 'data-code="H0001"' not in m  # the district hall does not handle the street item
    m = (
        client_for("anonymous")
        .get("/halls/", {"item": "ITEM-A", "lat": "22.72", "lng": "114.248"})
        .content.decode()
    )
    assert 'data-code="H0001"' in m and "0.0公里" in m


def test_staff_menu_links(hallset: Any, client_for: Any) -> None:
    clerk = client_for("clerk").get("/workbench/").content.decode()
    assert "/halls/console/" in clerk and "/halls/figures/" not in clerk
    manager = client_for("hall_manager").get("/workbench/").content.decode()
    assert "/halls/figures/" in manager and "/halls/setup/" in manager


def test_hall_manager_assigns_windows_to_a_queue(hallset: Any, client_for: Any) -> None:
    w = hallset
    cat = w.extra["cat_b"]
    mine = Window.objects.filter(hall=w.hall).order_by("number")
    data = {
        "form": "category",
        "category": cat.pk,
        "avg_service_minutes": "6",
        "capacity_override": "",
        "windows_sent": "1",
        "windows": [str(x.pk) for x in mine],
    }
    manager = client_for("hall_manager")
    assert manager.post("/halls/setup/", data).status_code == 302
    cat.refresh_from_db()
    assert (cat.avg_service_minutes, sorted(x.number for x in cat.windows.all())) == (6, ["01", "02"])
    theirs = Window.objects.get(hall=w.other_hall, number="01")
    bad = manager.post("/halls/setup/", {**data, "windows": [str(theirs.pk)]}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400
    assert "Choose windows of this hall." in bad.content.decode()
    assert sorted(x.number for x in cat.windows.all()) == ["01", "02"]


def test_the_console_names_why_a_number_goes_ahead(hallset: Any, client_for: Any) -> None:
    w = hallset
    _today(w)
    client_for("applicant").post(f"/halls/{w.hall.code}/take/", {"mode": "walkin", "category": "A"})
    Ticket.objects.update(priority=3, priority_reason="green")
    win = Window.objects.get(hall=w.hall, number="01")
    zh = client_for("clerk").get(f"/halls/console/?window={win.pk}").content.decode()
    en = (
        client_for("clerk")
        .get(f"/halls/console/?window={win.pk}", HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "<td>绿色通道</td>" in zh and "<td>green channel</td>" in en
    assert "<td>green</td>" not in zh + en
