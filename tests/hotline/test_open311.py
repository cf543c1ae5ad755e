"""Open311 GeoReport v2 against a live server: the independent PyPI client ``georeport`` reads services, a
service definition, requests and one request in JSON and XML; creating a request and reading its token (which
that client does not offer) go over plain HTTP with ``requests``, form-encoded as the specification says.
Malformed requests are answered in the specification's error format."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
import requests
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from georeport import GeoReport

from tests.factories import build_world
from yiwang.hotline import services as s

from .builders import call, replied, setup

if TYPE_CHECKING:
    from tests.factories import World


@pytest.fixture
def live(transactional_db: None, live_server: Any) -> dict[str, Any]:
    w = build_world()
    h = setup(w)
    _key, raw = s.open311_key_issue(actor=w.users["sys_admin"], name="city app")
    return {"w": w, "h": h, "key": raw, "root": f"{live_server.url}/open311/v2"}


def _post(live: dict[str, Any], fmt: str = "json", **data: Any) -> requests.Response:
    form = {
        "api_key": live["key"],
        "service_code": "env-noise",
        "lat": "22.7201",
        "long": "114.2502",
        "description": "夜间施工噪音",
        "attribute[type]": "complaint",
        **data,
    }
    return requests.post(f"{live['root']}/requests.{fmt}", data=form, timeout=10)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_client_reads_every_resource(live: dict[str, Any], fmt: str) -> None:
    w: World = live["w"]
    done = replied(w)
    client = GeoReport(live["root"], output_format=fmt)
    services = client.get_service_list()
    codes = {row["service_code"] for row in services}
    assert {"env", "env-noise", "urban", "biz", "biz-permit"} <= codes
    noise = next(r for r in services if r["service_code"] == "env-noise")
    assert noise["service_name"] == "噪音污染" and str(noise["metadata"]).lower() == "true"
    definition = client.get_service_definition("env-noise")
    attributes = definition["attributes"]
    if fmt == "xml":
        attributes = attributes["attribute"]
    assert [a["code"] for a in attributes] == ["type", "urgency", "community"]

    created = _post(live, fmt)
    assert created.status_code == 201
    number = (
        created.json()[0]["service_request_id"]
        if fmt == "json"
        else created.text.split("<service_request_id>")[1].split("<")[0]
    )

    rows = client.get_service_requests()
    rows = rows if isinstance(rows, list) else [rows]
    ids = {r["service_request_id"] for r in rows}
    assert {done.number, number} <= ids
    one = client.get_service_request(number)
    assert (
        one["service_request_id"] == number and one["status"] == "open" and one["service_code"] == "env-noise"
    )
    assert "+08:00" in one["requested_datetime"]
    open_only = client.get_service_requests(status="open", service_code="env-noise")
    open_only = open_only if isinstance(open_only, list) else [open_only]
    assert number in {r["service_request_id"] for r in open_only}
    now = timezone.localtime()
    window = client.get_service_requests(
        start_date=(now - timedelta(days=1)).isoformat(timespec="seconds"),
        end_date=(now + timedelta(minutes=5)).isoformat(timespec="seconds"),
    )
    window = window if isinstance(window, list) else [window]
    assert number in {r["service_request_id"] for r in window}
    several = client.get_service_requests(service_request_id=f"{number},{done.number}")
    assert len(several) == 2


def test_post_creates_a_ticket_and_its_token_resolves(live: dict[str, Any]) -> None:
    r = _post(live, phone="13912340000", first_name="伟", last_name="王", **{"attribute[urgency]": "urgent"})
    assert r.status_code == 201
    body = r.json()[0]
    assert body["service_request_id"].startswith("RX") and body["token"]
    t = requests.get(f"{live['root']}/tokens/{body['token']}.json", timeout=10)
    assert t.status_code == 200 and t.json() == [
        {"service_request_id": body["service_request_id"], "token": body["token"]}
    ]
    x = requests.get(f"{live['root']}/tokens/{body['token']}.xml", timeout=10)
    assert "<service_request_id>" + body["service_request_id"] in x.text
    shown = requests.get(f"{live['root']}/requests/{body['service_request_id']}.json", timeout=10).text
    assert "13912340000" not in shown  # callers are never shown
    paged = requests.get(
        f"{live['root']}/requests.json", params={"page": 1, "page_size": 1}, timeout=10
    ).json()
    assert len(paged) == 1


@pytest.mark.parametrize(
    ("method", "path", "data", "status"),
    [
        ("get", "services.yaml", None, 400),
        ("get", "services/none.json", None, 404),
        ("get", "requests/RX0.json", None, 404),
        ("get", "tokens/nope.xml", None, 404),
        ("get", "requests.json?start_date=yesterday", None, 400),
        ("get", "requests.json?status=pending", None, 400),
        ("get", "requests.json?page_size=0", None, 400),
        ("get", "requests.json?start_date=2019-01-01T00:00:00Z&end_date=2019-12-31T00:00:00Z", None, 400),
        ("post", "requests.json", {"api_key": ""}, 403),
        ("post", "requests.json", {"api_key": "wrong"}, 403),
        ("post", "requests.json", {"service_code": "nope"}, 400),
        ("post", "requests.json", {"lat": "", "long": ""}, 400),
        ("post", "requests.json", {"lat": "39.9", "long": "116.4"}, 400),
        ("post", "requests.json", {"lat": "north", "long": "east"}, 400),
        ("post", "requests.json", {"attribute[type]": ""}, 400),
        ("post", "requests.json", {"phone": "12"}, 400),
        ("post", "requests.json", {"description": "长" * 2001}, 400),
    ],
)
def test_malformed_requests_get_the_spec_error_format(
    live: dict[str, Any], method: str, path: str, data: dict[str, str] | None, status: int
) -> None:
    if method == "post":
        r = _post(live, **(data or {}))
    else:
        r = requests.get(f"{live['root']}/{path}", timeout=10)
    assert r.status_code == status
    if path.endswith(".xml"):
        assert "<errors><error><code>" in r.text
    else:
        err = r.json()
        assert err[0]["code"] == status and err[0]["description"]


def test_only_an_admin_issues_keys(live: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        s.open311_key_issue(actor=live["w"].users["dispatcher"], name="x")
    assert (
        call(live["w"], caller_phone="13900000301").ticket.token == ""
    )  # only Open311 tickets carry a token
