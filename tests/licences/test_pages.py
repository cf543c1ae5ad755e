"""Licences pages and API: verification by anyone (every verdict, never a 500), the wallet, the PDF and its
QR code, share links, and the issuing desk."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from yiwang.licences import services, signing
from yiwang.licences.models import Issuance, Licence, LicenceVersion

from .helpers import approved_case, licence_type

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.django_db
FIELDS = {"scope": "预包装食品销售", "address": "龙城街道1号"}


@pytest.fixture
def licence(world: Any) -> Licence:
    ltype = licence_type(world)
    case = approved_case(world, ltype)
    return services.licence_issue(
        actor=world.users["reviewer"], issuance_id=Issuance.objects.get(case=case).pk, fields=FIELDS
    )


def _payload(licence: Licence) -> str:
    return LicenceVersion.objects.get(licence=licence, version=licence.version).payload


def test_verification_page_says_authentic_then_revoked(client: Any, world: Any, licence: Licence) -> None:
    payload = _payload(licence)
    r = client.get(reverse("licences:verify"), {"p": payload}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    assert b'id="verdict-text">Authentic and valid<' in r.content
    services.licence_status_change(
        actor=world.users["supervisor"], licence_id=licence.pk, event="revoke", reason="违法"
    )
    r = client.get(reverse("licences:verify"), {"p": payload})
    assert "真实，但已吊销" in r.content.decode()


@pytest.mark.parametrize(
    ("query", "verdict"),
    [
        ({"p": "nonsense"}, "malformed"),
        ({"p": "YWL1." + "x" * 5000}, "malformed"),
        ({"id": "1.2.156.3005.2"}, "malformed"),
        (
            {
                "id": "1.2.156.3005.2.A.B.C.001."
                + __import__("yiwang.licences.identifier", fromlist=["x"]).check_character("ABC001")
            },
            "unknown",
        ),
    ],
)
def test_verification_of_bad_input_never_fails(
    client: Any, world: Any, query: dict[str, str], verdict: str
) -> None:
    r = client.get(reverse("licences:verify"), query)
    assert r.status_code == 200 and f"verdict-{verdict}".encode() in r.content


def test_forged_payload_on_page_and_api(client: Any, world: Any, licence: Licence) -> None:
    fields, _b, sig = signing.decode(_payload(licence))
    fields["f"]["scope"] = "全部食品"
    forged = f"YWL1.{signing.b64(signing.canonical(fields))}.{signing.b64(sig)}"
    r = client.get(reverse("licences:verify"), {"p": forged})
    assert b"verdict-forged" in r.content
    r = client.post("/api/licences/verify", json.dumps({"payload": forged}), content_type="application/json")
    assert r.status_code == 200 and r.json()["verdict"] == "forged" and r.json()["fields"] == {}


def test_api_verify_and_keys_for_offline_verification(client: Any, world: Any, licence: Licence) -> None:
    payload = _payload(licence)
    r = client.post("/api/licences/verify", json.dumps({"payload": payload}), content_type="application/json")
    body = r.json()
    assert body["verdict"] == "authentic" and body["status"] == "active" and body["current_version"] == 1
    assert body["fields"]["f"] == {**FIELDS, "note": ""}
    # offline: only the published key list and the payload
    keys = client.get("/api/licences/keys").json()
    published = {k["kid"]: signing.public_from_raw(signing.unb64(k["public_key"])) for k in keys}
    assert signing.verify(payload, published).ok
    for bad in ([], "x", {"payload": 5}):
        r = client.post("/api/licences/verify", json.dumps(bad), content_type="application/json")
        assert r.status_code == 400


def test_wallet_detail_pdf_and_qr(client_for: Any, world: Any, licence: Licence, tmp_path: Path) -> None:
    c = client_for("applicant")
    r = c.get(reverse("licences:wallet"))
    assert r.status_code == 200 and "食品经营许可证" in r.content.decode()
    r = c.get(reverse("licences:detail", args=[licence.pk]))
    html = r.content.decode()
    assert "<svg" in html and 'id="verify-link"' in html
    link = html.split('id="verify-link"')[0].rsplit('href="', 1)[1].split('"')[0]
    payload = parse_qs(urlparse(link.replace("&amp;", "&")).query)["p"][0]
    assert payload == _payload(licence)
    r = c.get(reverse("licences:pdf", args=[licence.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    pdf = r.content
    assert pdf.startswith(b"%PDF") and b"FontFile2" in pdf  # the Chinese font is embedded
    if shutil.which("pdftoppm"):
        (tmp_path / "licence.pdf").write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", str(tmp_path / "licence.pdf"), str(tmp_path / "p")], check=True
        )
        assert (tmp_path / "p-1.png").stat().st_size > 5000


def test_other_holders_see_nothing(client_for: Any, world: Any, licence: Licence) -> None:
    c = client_for("agent")
    assert c.get(reverse("licences:detail", args=[licence.pk])).status_code == 404
    assert c.get(reverse("licences:pdf", args=[licence.pk])).status_code == 404
    assert c.get("/api/licences/mine").json() == []


def test_share_link_works_until_it_expires(
    client_for: Any, client: Any, world: Any, licence: Licence
) -> None:
    c = client_for("applicant")
    r = c.post(reverse("licences:share", args=[licence.pk]), {"days": "2"})
    assert r.status_code == 302
    r = c.post(f"/api/licences/{licence.pk}/share", json.dumps({"days": 1}), content_type="application/json")
    url = r.json()["url"]
    assert client.get(urlparse(url).path).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        assert client.get(urlparse(url).path).status_code == 404
    r = c.post(f"/api/licences/{licence.pk}/share", json.dumps({"days": 31}), content_type="application/json")
    assert r.status_code == 422


def test_sample_pdf(client: Any, world: Any) -> None:
    ltype = licence_type(world)
    r = client.get(reverse("licences:type_sample", args=[ltype.code]))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert client.get(reverse("licences:type_sample", args=["NOPE"])).status_code == 404


def test_desk_shows_overdue_and_issues_with_completed_fields(client_for: Any, world: Any) -> None:
    ltype = licence_type(world)
    case = approved_case(world, ltype)
    issuance = Issuance.objects.get(case=case)
    Issuance.objects.filter(pk=issuance.pk).update(due_date=timezone.localdate() - timedelta(days=2))
    c = client_for("reviewer")
    r = c.get(reverse("licences:desk"))
    assert "overdue" in r.content.decode() and case.number in r.content.decode()
    r = c.post(reverse("licences:issue", args=[issuance.pk]), {"f_scope": "预包装食品销售", "f_address": ""})
    assert r.status_code == 422 and not Licence.objects.exists()
    r = c.post(
        reverse("licences:issue", args=[issuance.pk]),
        {"f_scope": "预包装食品销售", "f_address": "龙城街道1号"},
    )
    lic = Licence.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("licences:manage", args=[lic.pk])
    r = c.post(
        reverse("licences:manage", args=[lic.pk]),
        {
            "action": "change",
            "f_scope": "散装食品",
            "f_address": "龙城街道1号",
            "reason": "变更范围",
            "version": "1",
        },
    )
    assert r.status_code == 302 and Licence.objects.get().version == 2
    r = c.post(
        f"/api/licences/issuances/{issuance.pk}/issue",
        json.dumps({"fields": FIELDS}),
        content_type="application/json",
    )
    assert r.status_code == 409


def test_api_issue_names_missing_fields(client_for: Any, world: Any) -> None:
    ltype = licence_type(world)
    case = approved_case(world, ltype)
    issuance = Issuance.objects.get(case=case)
    c = client_for("reviewer")
    rows = c.get("/api/licences/issuances").json()
    assert rows[0]["missing_fields"] == ["address", "scope"] and rows[0]["overdue"] is False
    r = c.post(
        f"/api/licences/issuances/{issuance.pk}/issue",
        json.dumps({"fields": {"scope": "x"}}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 422 and r.json()["fields"] == {"address": "Required."}
