"""The working-day pages read their query strings and bodies through forms whose fields are judged by
``inputs`` (as the API and the command line are): the same words name the field and the problem."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils import timezone

from yiwang.workdays.models import CalendarYear

pytestmark = pytest.mark.django_db

HUGE = "9" * 5000  # more digits than Python converts to a number


def test_calculator_refuses_a_number_of_any_length(client: Any) -> None:
    r = client.get("/workdays/calculator/", {"start": "2026-01-05", "days": HUGE}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert "Number of working days: must be at most 5000." in r.content.decode()
    r = client.get(
        "/api/workdays/add", {"start": "2026-01-05", "days": "-" + HUGE}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert (r.status_code, r.json()["fields"]) == (
        422,
        {"days": "Number of working days: cannot be negative."},
    )
    r = client.get("/api/workdays/add", {"start": "2026-01-05", "days": "0" * 30 + "5"})
    assert (r.status_code, r.json()["due"]) == (200, "2026-01-12")
    assert client.get(f"/api/workdays/calendar/{HUGE}").status_code == 422


def test_calculator_asks_for_the_start_and_shows_what_was_typed(client: Any) -> None:
    r = client.get("/workdays/calculator/", {"days": " 5", "end": "\x00"}, HTTP_ACCEPT_LANGUAGE="en")
    html = r.content.decode()
    assert r.status_code == 400
    assert "Start date: this field is required." in html
    assert "Number of working days: enter a whole number." in html
    assert "End date: enter a valid date as YYYY-MM-DD." in html
    assert 'value=" 5"' in html
    assert client.get("/workdays/calculator/").status_code == 200


def test_manage_page_names_the_field_of_a_refused_action(world: Any, client_for: Any) -> None:
    c = client_for("sys_admin")
    r = c.post("/workdays/manage/", {"action": "import"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "CSV file: Choose a CSV file." in r.content.decode()
    latin = io.BytesIO("2027-01-01,holiday,\xe9t\xe9\n".encode("latin-1"))
    latin.name = "2027.csv"
    r = c.post("/workdays/manage/", {"action": "import", "file": latin}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "CSV file: The file must be UTF-8 text." in r.content.decode()
    r = c.post("/workdays/manage/", {"action": "publish", "year": "20x8"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "Year: enter a whole number." in r.content.decode()
    r = c.post("/workdays/manage/", {"action": "publish"})
    assert r.status_code == 400 and "年份：请输入整数。" in r.content.decode()
    r = c.post("/workdays/manage/", {"action": "delete", "year": "2028"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "Unknown action." in r.content.decode()
    assert not CalendarYear.objects.filter(year=2028).exists()


def test_manage_page_shows_next_year_for_a_year_it_cannot_read(world: Any, client_for: Any) -> None:
    c = client_for("sys_admin")
    for asked in ("x", "3000", HUGE):
        r = c.get("/workdays/manage/", {"year": asked})
        assert r.status_code == 200
        assert f'name="year" value="{timezone.localdate().year + 1}"' in r.content.decode()
