"""The item picker of the booking page and the service map (core.forms.PickerSelect, ADR 0058): without
JavaScript it is a select carrying the options and the chosen item, also after a refusal."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def _select(page: str) -> str:
    found = re.search(r'<select name="item"[^>]*>.*?</select>', page, re.S)
    assert found is not None
    return found.group(0)


def _selected(select: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)" selected>', select)


def test_booking_picker_keeps_the_item_after_a_refused_time(hallset: Any, client_for: Any) -> None:
    w = hallset
    c = client_for("applicant")
    r = c.post(f"/halls/{w.hall.code}/book/", {"item": "ITEM-A", "date": "2026-12-01", "start": "25:00"})
    assert r.status_code == 400
    page = r.content.decode()
    assert "时间：" in page  # the refusal names the field
    select = _select(page)
    assert 'data-picker="/catalogue/pick/"' in select and 'id="item"' in select and " required" in select
    assert re.findall(r'<option value="([^"]*)"', select) == ["", "ITEM-A", "ITEM-B"]
    assert _selected(select) == ["ITEM-A"]
    assert '<option value="ITEM-A" selected>营业执照设立登记</option>' in select


def test_booking_picker_in_english(hallset: Any, client_for: Any) -> None:
    w = hallset
    page = client_for("applicant").get(f"/halls/{w.hall.code}/book/?item=ITEM-B", HTTP_ACCEPT_LANGUAGE="en")
    select = _select(page.content.decode())
    assert '<option value="">Choose an item</option>' in select
    assert '<option value="ITEM-B" selected>Food business licence</option>' in select
    assert 'data-picker-hint="Type a name, a code or pinyin initials"' in select


def test_map_picker_carries_every_item_and_the_chosen_one(hallset: Any, client_for: Any) -> None:
    page = client_for("anonymous").get("/halls/?item=ITEM-S&kind=nonsense").content.decode()
    select = _select(page)
    assert re.findall(r'<option value="([^"]*)"', select) == ["", "ITEM-A", "ITEM-B", "ITEM-S"]
    assert _selected(select) == ["ITEM-S"]
    assert '<option value="">全部事项</option>' in select
    unknown = _select(client_for("anonymous").get("/halls/?item=NOPE").content.decode())
    assert _selected(unknown) == []  # an unknown item is ignored: every hall is shown
