"""CLI, API, pages and admin of the working-day context."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from yiwang.audit.models import AuditEvent
from yiwang.workdays import selectors, services
from yiwang.workdays.models import CalendarEntry, CalendarYear

SHANGHAI = ZoneInfo("Asia/Shanghai")

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


# --- CLI ----------------------------------------------------------------------------------------


def test_cli_add_between_next() -> None:
    assert run("add", "2008-10-01", "20") == "2008-10-31\n"
    assert run("add", "2026-12-20", "20") == "2027-01-15 provisional\n"
    assert run("between", "2008-10-01", "2008-10-31") == "20\n"
    assert run("next", "2026-10-01") == "2026-10-08\n"


def test_cli_explain_lists_every_day() -> None:
    lines = run("explain", "2026-02-10", "5", "--language", "en").splitlines()
    assert lines[0] == "2026-02-24"
    assert lines[1].startswith("The start day 2026-02-10 is not counted")
    assert lines[2:6] == [
        "2026-02-11 Wed workday     #1",
        "2026-02-12 Thu workday     #2",
        "2026-02-13 Fri workday     #3",
        "2026-02-14 Sat makeup      #4 Spring Festival",
    ]
    assert lines[6] == "2026-02-15 Sun holiday      - Spring Festival"
    assert lines[-1] == "2026-02-24 Tue workday     #5"
    zh = run("explain", "2026-02-10", "5").splitlines()
    assert "起算日" in zh[1] and zh[5].endswith("春节")


def test_cli_rejects_bad_input() -> None:
    with pytest.raises(CommandError, match="Start date: enter a valid date as YYYY-MM-DD"):
        run("add", "2008-02-30", "3", "--language", "en")
    with pytest.raises(CommandError, match="cannot be negative"):
        run("add", "2008-02-03", "-3", "--language", "en")


def test_cli_import_reports_bad_lines_and_imports_nothing(tmp_path: Path) -> None:
    f = tmp_path / "2027.csv"
    f.write_text("date,kind,name\n2027-01-01,holiday,元旦\n2027-13-01,holiday,x\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 bad row"):
        call_command("workdays", "import", str(f), stderr=err, stdout=io.StringIO())
    assert err.getvalue().startswith("line 3: ")
    assert CalendarEntry.objects.count() == 0
    f.write_text("date,kind,name\n2027-01-01,holiday,元旦\n", encoding="utf-8")
    assert run("import", str(f)) == "imported 1 entries; published 2027; recomputed 0 open clocks\n"
    assert run("add", "2026-12-31", "1") == "2027-01-04\n"
    assert run("publish", "2028") == "published 2028; recomputed 0 open clocks\n"


def test_clocks_sweep_command() -> None:
    out = io.StringIO()
    call_command("clocks", "sweep", stdout=out)
    assert out.getvalue() == "checked 0, changed 0, notified 0\n"


# --- API ----------------------------------------------------------------------------------------


def test_api_add_and_between(client: Any) -> None:
    r = client.get("/api/workdays/add", {"start": "2008-10-01", "days": "20"})
    body = r.json()
    assert r.status_code == 200
    assert (body["due"], body["provisional"]) == ("2008-10-31", False)
    e = body["explanation"]
    assert (e["working_days_counted"], e["calendar_days"], e["weekend_days"], len(e["holidays"])) == (
        20,
        30,
        6,
        4,
    )
    assert e["calendar_days"] == e["working_days_counted"] + e["weekend_days"] + len(e["holidays"])
    assert e["sentence"]["en"].startswith("The start day 2008-10-01 is not counted")
    assert "国庆节" in e["sentence"]["zh-hans"]
    r = client.get("/api/workdays/add", {"start": "2026-12-20", "days": "20"})
    assert (r.json()["due"], r.json()["provisional"]) == ("2027-01-15", True)
    r = client.get("/api/workdays/between", {"start": "2008-10-01", "end": "2008-10-31"})
    assert (r.status_code, r.json()) == (200, {"working_days": 20})


@pytest.mark.parametrize(
    ("query", "field", "en", "zh"),
    [
        (
            {"start": "2008-02-30", "days": "3"},
            "start",
            "Start date: enter a valid date as YYYY-MM-DD.",
            "起算日期：请按 YYYY-MM-DD 格式输入有效日期。",
        ),
        (
            {"start": "2008-02-03", "days": "-1"},
            "days",
            "Number of working days: cannot be negative.",
            "工作日数：不能为负数。",
        ),
        (
            {"start": "2008-02-03", "days": "5001"},
            "days",
            "Number of working days: must be at most 5000.",
            "工作日数：不能超过 5000。",
        ),
        (
            {"start": "2008-02-03", "days": "ten"},
            "days",
            "Number of working days: enter a whole number.",
            "工作日数：请输入整数。",
        ),
        (
            {"start": "2008-W40-3", "days": "3"},
            "start",
            "Start date: enter a valid date as YYYY-MM-DD.",
            "起算日期：请按 YYYY-MM-DD 格式输入有效日期。",
        ),
        (
            {"start": "2008-02-03", "days": " 5"},
            "days",
            "Number of working days: enter a whole number.",
            "工作日数：请输入整数。",
        ),
    ],
)
def test_api_add_400_names_the_field(
    client: Any, query: dict[str, str], field: str, en: str, zh: str
) -> None:
    # A malformed value is 400; a well-formed number outside its documented range is 422.
    status = 422 if en.endswith(("negative.", "at most 5000.")) else 400
    r = client.get("/api/workdays/add", query, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == status
    assert r.json() == {"code": "invalid", "message": en, "fields": {field: en}}
    r = client.get("/api/workdays/add", query, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert r.status_code == status
    assert r.json() == {"code": "invalid", "message": zh, "fields": {field: zh}}


def test_api_missing_parameter_is_400_naming_it(client: Any) -> None:
    r = client.get("/api/workdays/add", {"start": "2008-02-03"}, HTTP_ACCEPT_LANGUAGE="en")
    assert (r.status_code, r.json()["code"], list(r.json()["fields"])) == (400, "invalid", ["days"])
    assert r.json()["message"].startswith("days")


def test_api_well_formed_date_outside_the_supported_years_is_422(client: Any) -> None:
    r = client.get("/api/workdays/add", {"start": "1900-01-01", "days": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 422
    msg = "Start date: must be between 1990-01-01 and 2099-12-31."
    assert r.json() == {"code": "invalid", "message": msg, "fields": {"start": msg}}
    r = client.get("/api/workdays/add", {"start": "1900-01-01", "days": "1"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert r.json()["message"] == "起算日期：须在 1990-01-01 至 2099-12-31 之间。"


def test_api_between_and_calendar_400(client: Any) -> None:
    r = client.get("/api/workdays/between", {"start": "2008-10-01", "end": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert (r.status_code, r.json()["fields"]) == (
        400,
        {"end": "End date: enter a valid date as YYYY-MM-DD."},
    )
    r = client.get("/api/workdays/calendar/3000", HTTP_ACCEPT_LANGUAGE="en")
    assert (r.status_code, r.json()["fields"]) == (422, {"year": "Year: must be between 1990 and 2099."})


def test_api_calendar_year(client: Any) -> None:
    body = client.get("/api/workdays/calendar/2026").json()
    assert (body["published"], body["working_days"]) == (True, 248)
    makeup = [d["date"] for d in body["special_days"] if d["kind"] == "makeup"]
    assert makeup == ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]
    assert client.get("/api/workdays/calendar/2027").json()["published"] is False


def test_api_clock_detail(world: Any, client_for: Any) -> None:
    clock = services.clock_start(
        actor=None,
        started_at=datetime(2025, 9, 1, 10, tzinfo=SHANGHAI),
        limit_kind="working_days",
        limit_value=20,
        office=world.office,
        subject="S-1",
    )
    services.clock_pause(actor=None, clock=clock, kind="correction", at=datetime(2025, 9, 5, tzinfo=SHANGHAI))
    body = client_for("reviewer").get(f"/api/workdays/clocks/{clock.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (body["subject"], body["state"], body["pauses"][0]["label"]) == (
        "S-1",
        "paused",
        "Correction of materials (补正)",
    )
    assert body["explanation"]["pauses"][0]["open"] is True
    assert "Paused for Correction of materials" in body["explanation"]["sentence"]["en"]
    assert "补正材料" in body["explanation"]["sentence"]["zh-hans"]
    assert client_for("clerk").get(f"/api/workdays/clocks/{clock.pk}").status_code == 403
    assert client_for("reviewer").get("/api/workdays/clocks/999999").status_code == 404


# --- pages ----------------------------------------------------------------------------------------


def test_year_page_marks_holidays_and_make_up_days(client: Any) -> None:
    html = client.get("/workdays/2026/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'class="wd-makeup" data-date="2026-02-14"' in html
    assert 'class="wd-holiday" data-date="2026-10-01"' in html
    assert 'class="wd-weekend" data-date="2026-03-07"' in html
    assert 'name="viewport"' in html
    html = client.get("/workdays/2027/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The holidays of 2027 are not yet published" in html
    assert client.get("/workdays/1800/").status_code == 404


def test_calculator_page(client: Any) -> None:
    r = client.get(
        "/workdays/calculator/",
        {"start": "2008-10-01", "days": "20", "end": "2008-10-31"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert '<span id="due">2008-10-31</span>' in html
    assert "4 statutory holidays were skipped" in html
    assert "20 working days" in html
    r = client.get("/workdays/calculator/", {"start": "2026-12-20", "days": "20"}, HTTP_ACCEPT_LANGUAGE="en")
    assert 'id="provisional"' in r.content.decode()
    r = client.get("/workdays/calculator/", {"start": "nope", "days": "-2"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert "Number of working days: cannot be negative." in r.content.decode()


def test_next_year_warning_from_first_of_november() -> None:
    assert selectors.next_year_warning(date(2026, 10, 31)) is None
    assert selectors.next_year_warning(date(2026, 11, 1)) == 2027
    assert selectors.next_year_warning(date(2025, 11, 1)) is None  # 2026 comes with the package
    services.calendar_publish_year(actor=None, year=2027)
    assert selectors.next_year_warning(date(2026, 11, 1)) is None


def test_manage_page_import_and_publish(world: Any, client_for: Any) -> None:
    c = client_for("sys_admin")
    html = c.get("/workdays/manage/?year=2027", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ('id="next-year-warning"' in html) == (selectors.next_year_warning() is not None)
    bad = io.BytesIO("2027-01-01,holiday,元旦\n2027-01-32,holiday,x\n".encode())
    bad.name = "2027.csv"
    r = c.post("/workdays/manage/", {"action": "import", "file": bad}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "Line 2:" in r.content.decode()
    good = io.BytesIO("2027-01-01,holiday,元旦\n".encode())
    good.name = "2027.csv"
    r = c.post("/workdays/manage/", {"action": "import", "file": good})
    assert r.status_code == 302
    assert CalendarYear.objects.get(year=2027).published is True
    r = c.post("/workdays/manage/", {"action": "publish", "year": "2028"})
    assert r.status_code == 302 and CalendarYear.objects.filter(year=2028, published=True).exists()


def test_clock_page(world: Any, client_for: Any) -> None:
    clock = services.clock_start(
        actor=None,
        started_at=datetime(2025, 9, 1, 10, tzinfo=SHANGHAI),
        limit_kind="working_days",
        limit_value=20,
        office=world.office,
        subject="S-2",
    )
    r = client_for("supervisor").get(f"/workdays/clocks/{clock.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    assert '<dd id="clock-due">2025-09-28' in r.content.decode()


# --- admin --------------------------------------------------------------------------------------


def test_admin_saves_entries_through_the_service(world: Any, client_for: Any) -> None:
    clock = services.clock_start(
        actor=None,
        started_at=datetime(2025, 3, 3, 10, tzinfo=SHANGHAI),
        limit_kind="working_days",
        limit_value=5,
    )
    c = client_for("sys_admin")
    r = c.post(
        "/admin/workdays/calendarentry/add/",
        {"date": "2025-03-05", "kind": "holiday", "name": "local", "note": ""},
    )
    assert r.status_code == 302
    assert AuditEvent.objects.filter(action="calendar.entry_save").count() == 1
    clock.refresh_from_db()
    assert clock.due_date == date(2025, 3, 11)
    entry = CalendarEntry.objects.get()
    r = c.post(f"/admin/workdays/calendarentry/{entry.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302 and not CalendarEntry.objects.exists()
    clock.refresh_from_db()
    assert clock.due_date == date(2025, 3, 10)
    r = c.post("/admin/workdays/calendaryear/add/", {"year": "2027", "published": "on", "source": "notice"})
    assert r.status_code == 302
    assert AuditEvent.objects.filter(action="calendar.publish").count() == 1
    assert client_for("sec_admin").get("/admin/workdays/calendarentry/").status_code == 403


def test_long_explanations_leave_out_the_day_list(client: Any) -> None:
    body = client.get("/api/workdays/add", {"start": "2020-01-01", "days": "5000"}).json()
    assert body["explanation"]["day_by_day_omitted"] is True and "day_by_day" not in body["explanation"]
    assert body["explanation"]["working_days_counted"] == 5000
    short = client.get("/api/workdays/add", {"start": "2020-01-01", "days": "20"}).json()["explanation"]
    assert short["day_by_day_omitted"] is False and len(short["day_by_day"]) == short["calendar_days"]


def test_sweep_is_a_periodic_job() -> None:
    from yiwang.core.periodic import periodic_jobs

    jobs = {j.name: j for j in periodic_jobs()}
    assert jobs["clocks.sweep"].every_seconds == 300
    assert jobs["clocks.sweep"].run() == "checked 0, changed 0, notified 0"
