"""The disclosure pages: filing a request through the portal form (and bad input refused, field named,
nothing saved), following it by number and 4 digits with the reply PDF, the public 双公示 search with
its filters, paging and the Excel download, the office's inbox and a request's page with its actions,
the annual figures, and the roles that may not see them."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from yiwang.cases.models import Case
from yiwang.disclosure import publications as p
from yiwang.disclosure import services as s
from yiwang.disclosure.models import DisclosureRequest

from .builders import ID, PHONE, request_input

if TYPE_CHECKING:
    from tests.factories import World

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _form(world: World, **kw: Any) -> dict[str, Any]:
    base = {
        "applicant_type": "enterprise",
        "applicant_name": "深圳市某某科技有限公司",
        "id_number": "91440300MA5F000001",
        "phone": PHONE,
        "email": "",
        "address": "",
        "office": world.office.code,
        "description": "请公开本街道2025年老旧小区改造项目的预算",
        "purpose": "",
        "form": "electronic",
    }
    base.update(kw)
    return base


def _window(world: World, **kw: Any) -> Case:
    """A request received at the office's window today (its reply clock running)."""
    return s.request_file(
        actor=world.users["reviewer"], data=request_input(**kw), office=world.office, channel="window"
    )


def _requests() -> int:
    return Case.objects.filter(kind="disclosure").count()


# --- portal: filing -----------------------------------------------------------------------------------


def test_filing_through_the_portal_gives_the_number_and_how_to_follow_it(
    world: World, client_for: Any
) -> None:
    c = client_for("anonymous")
    assert c.get(reverse("disclosure:file"), **EN).status_code == 200
    r = c.post(reverse("disclosure:file"), _form(world), **EN)
    assert r.status_code == 302
    case = Case.objects.get(kind="disclosure")
    assert r.headers["Location"] == reverse("disclosure:track") + f"?number={case.number}&filed=1"
    assert case.status == "submitted" and case.channel == "online" and case.owning_office == world.office
    req = case.disclosure
    assert req.applicant_type == "enterprise" and req.form == "electronic" and req.receipt_date is None
    assert req.phone_last4 == PHONE[-4:] and req.id_masked != "91440300MA5F000001"
    body = c.get(r.headers["Location"], **EN).content.decode()
    assert f'<span id="filed-number">{case.number}</span>' in body
    assert "last 4 digits of your telephone" in body


def test_bad_input_names_the_field_and_saves_nothing(world: World, client_for: Any) -> None:
    c = client_for("anonymous")
    r = c.post(reverse("disclosure:file"), _form(world, phone="abc"), **EN)  # the service refuses
    assert r.status_code == 422
    body = r.content.decode()
    assert "Not a telephone number." in body and 'value="abc"' in body
    r = c.post(reverse("disclosure:file"), _form(world, description=""), **EN)  # the form refuses
    assert r.status_code == 422
    assert "Description of the information asked for: This field is required." in r.content.decode()
    r = c.post(reverse("disclosure:file"), _form(world, office="NOPE"), **EN)
    assert r.status_code == 422 and "Choose an office from the list." in r.content.decode()
    r = c.post(reverse("disclosure:file"), _form(world, form="post", address=""), **EN)
    assert r.status_code == 422 and "Give the postal address for a reply by post." in r.content.decode()
    assert _requests() == 0 and not DisclosureRequest.objects.exists()


def test_the_filing_page_is_in_chinese_by_default(world: World, client_for: Any) -> None:
    body = client_for("anonymous").get(reverse("disclosure:file")).content.decode()
    assert 'lang="zh-Hans"' in body and "政府信息公开申请" in body


# --- portal: tracking -----------------------------------------------------------------------------------


def test_tracking_shows_status_dates_notices_and_the_reply_pdf(world: World, client_for: Any) -> None:
    case = _window(world)
    c = client_for("anonymous")
    url = reverse("disclosure:track")
    r = c.get(url, {"number": case.number, "last4": "0000"}, **EN)
    assert r.status_code == 404 and "No request matches" in r.content.decode()
    r = c.get(url, {"number": case.number, "last4": PHONE[-4:]}, **EN)
    body = r.content.decode()
    assert r.status_code == 200 and "Received, being handled" in body
    assert f'<dd id="track-received">{case.disclosure.receipt_date:%Y-%m-%d}</dd>' in body
    assert f'<dd id="track-due">{case.due_date:%Y-%m-%d}</dd>' in body
    assert 'id="track-reply"' not in body
    assert (
        c.get(reverse("disclosure:reply_pdf"), {"number": case.number, "last4": PHONE[-4:]}).status_code
        == 404
    )
    s.reply_send(actor=world.users["reviewer"], case_id=case.pk, data=s.ReplyInput("does_not_exist", {}))
    body = c.get(url, {"number": case.number, "last4": ID[-4:]}, **EN).content.decode()  # or the ID's
    assert '<span class="badge" id="track-status">Replied</span>' in body
    assert "政府信息公开申请答复书" in body  # the reply notice, always issued in Chinese
    assert 'id="track-reply"' in body
    pdf = c.get(reverse("disclosure:reply_pdf"), {"number": case.number, "last4": PHONE[-4:]})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content[:5] == b"%PDF-"
    wrong = c.get(reverse("disclosure:reply_pdf"), {"number": case.number, "last4": "9999"})
    assert wrong.status_code == 404


# --- portal: 双公示 --------------------------------------------------------------------------------------


def _publish(world: World, n: int, *, kind: str = "licence", office: Any = None, **kw: Any) -> Any:
    decided = timezone.localdate() - timedelta(days=n)
    data = {
        "kind": kind,
        "source_key": f"test:{kind}:{n}",
        "decision_number": f"决字〔2026〕{n}号",
        "title": "食品经营许可" if kind == "licence" else "责令改正并罚款",
        "party_kind": "legal",
        "party_name": f"第{n}号公司",
        "office": office or world.office,
        "decided_on": decided,
        "credit_code": f"91440300MA5F{n:06d}",
    }
    data.update(kw)
    return p.publication_publish(actor=None, data=p.PublicationInput(**data))


def test_the_register_search_filters_pages_and_downloads_masked(world: World, client_for: Any) -> None:
    for n in range(1, 23):
        _publish(world, n)
    person_id = "110105194912310021"
    _publish(
        world,
        30,
        kind="penalty",
        party_kind="natural",
        party_name="李四",
        credit_code="",
        id_number=person_id,
    )
    _publish(world, 31, kind="penalty", office=world.other_office, party_name="其他局的公司")
    c = client_for("anonymous")
    url = reverse("disclosure:publications")
    r = c.get(url, **EN)
    body = r.content.decode()
    assert r.status_code == 200 and "24 decisions" in body and "Page 1 of 2" in body
    assert "第1号公司" in body and "第22号公司" not in body  # newest first, 20 a page
    page2 = c.get(url, {"page": 2}, **EN).content.decode()
    assert "第22号公司" in page2 and "李四" in page2 and "第1号公司" not in page2
    r = c.get(url, {"kind": "penalty", "office": world.office.code}, **EN)
    body = r.content.decode()
    assert "1 decision" in body and "李四" in body and person_id not in body and "其他局的公司" not in body
    assert "kind=penalty" in body and "format=xlsx" in body  # the download keeps the filters
    today = timezone.localdate()
    r = c.get(
        url,
        {
            "date_from": f"{today - timedelta(days=3):%Y-%m-%d}",
            "date_to": f"{today - timedelta(days=2):%Y-%m-%d}",
        },
        **EN,
    )
    assert "2 decisions" in r.content.decode()
    r = c.get(url, {"credit_code": "91440300ma5f000005"}, **EN)
    assert "1 decision" in r.content.decode() and "第5号公司" in r.content.decode()
    r = c.get(url, {"name": "李", "format": "xlsx"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(r.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[0][0] == "信息类别" and rows[0][6] == "证件号码"
    assert rows[1][0] == "行政处罚" and rows[1][3] == "李四" and rows[1][4] == "自然人"
    assert rows[1][6] and "*" in rows[1][6] and rows[1][6] != person_id
    assert person_id not in "".join(str(v) for v in rows[1])
    r = c.get(url, {"kind": "penalty", "format": "csv"})
    text = r.content.decode("utf-8-sig")
    assert r["Content-Type"].startswith("text/csv") and len(text.strip().splitlines()) == 3
    assert person_id not in text


def test_bad_search_values_are_left_out(world: World, client_for: Any) -> None:
    _publish(world, 1)
    r = client_for("anonymous").get(
        reverse("disclosure:publications"), {"date_from": "2026-13-45", "kind": "x", "page": "-1"}, **EN
    )
    assert r.status_code == 200 and "1 decision" in r.content.decode()


# --- workbench ------------------------------------------------------------------------------------------


def test_the_inbox_lists_the_office_requests_with_due_dates(world: World, client_for: Any) -> None:
    case = _window(world)
    s.request_file(actor=None, data=request_input(phone="13900000999"), office=world.other_office)
    r = client_for("reviewer").get(reverse("disclosure:inbox"), **EN)
    body = r.content.decode()
    assert r.status_code == 200 and body.count('href="/disclosure/requests/') == 1
    assert reverse("disclosure:request", args=[case.pk]) in body
    assert f"<td>{case.due_date:%Y-%m-%d}</td>" in body and "Received, being handled" in body


def test_a_reviewer_runs_two_actions_on_the_request_page(world: World, client_for: Any) -> None:
    case = _window(world)
    c = client_for("reviewer")
    url = reverse("disclosure:request", args=[case.pk])
    body = c.get(url, **EN).content.decode()
    assert 'id="action-third_party"' in body and 'id="action-confirm"' not in body
    r = c.post(url, {"action": "third_party", "name": "某科技有限公司", "phone": ""})
    assert r.status_code == 302 and r.headers["Location"] == url
    req = DisclosureRequest.objects.get(pk=case.pk)
    assert req.third_party == "某科技有限公司"
    body = c.get(url, **EN).content.decode()
    assert "Ask a third party&#x27;s opinion" in body and 'id="action-third_party_answered"' in body
    r = c.post(url, {"action": "third_party_answered", "opinion": "不同意公开"})
    assert r.status_code == 302
    # A reply needs its content: refused with the field named, nothing saved.
    r = c.post(url, {"action": "reply", "type": "already_public", "where": ""}, **EN)
    assert r.status_code == 422
    body = r.content.decode()
    assert "A reply of this type must give: Where it was made public." in body
    assert (
        Case.objects.get(pk=case.pk).status == "received"
        and not DisclosureRequest.objects.get(pk=case.pk).reply_type
    )
    r = c.post(url, {"action": "reply", "type": "already_public", "where": "区政府门户网站"})
    assert r.status_code == 302
    done = Case.objects.get(pk=case.pk)
    assert done.status == "replied" and done.disclosure.reply_type == "already_public"
    events = [e.action for e in done.events.order_by("at", "id")]
    assert events[-3:] == ["consult_third_party", "third_party_answered", "reply"]


def test_form_errors_and_guard_refusals_are_shown_never_a_server_error(world: World, client_for: Any) -> None:
    case = _window(world)
    c = client_for("reviewer")
    url = reverse("disclosure:request", args=[case.pk])
    r = c.post(url, {"action": "extension", "days": "x", "reason": "需协调"}, **EN)
    assert r.status_code == 422 and "Working days: Enter a whole number." in r.content.decode()
    r = c.post(url, {"action": "bogus"}, **EN)
    assert r.status_code == 422 and "Unknown action." in r.content.decode()
    r = c.post(url, {"action": "third_party_answered"}, **EN)  # no third party consulted
    assert r.status_code == 409 and "No third party is being consulted." in r.content.decode()
    r = c.post(url, {"action": "extension_decision", "approve": "1"}, **EN)  # the head's, not a reviewer's
    assert r.status_code == 403
    assert [e.action for e in Case.objects.get(pk=case.pk).events.all()] == ["create"]


def test_the_head_decides_an_extension_on_the_page(world: World, client_for: Any) -> None:
    case = _window(world)
    s.extension_request(actor=world.users["reviewer"], case_id=case.pk, days=10, reason="需协调")
    due = Case.objects.get(pk=case.pk).due_date
    c = client_for("supervisor")
    url = reverse("disclosure:request", args=[case.pk])
    r = c.post(url, {"action": "extension_decision", "approve": "0", "reason": ""}, **EN)
    assert r.status_code == 422 and "Give a reason." in r.content.decode()
    r = c.post(url, {"action": "extension_decision", "approve": "1", "reason": "同意"})
    assert r.status_code == 302
    assert Case.objects.get(pk=case.pk).due_date > due


def test_the_annual_figures_page(world: World, client_for: Any) -> None:
    _window(world)
    _window(world, applicant_type="enterprise", id_number="91440300MA5F000009", phone="13900000888")
    year = timezone.localdate().year
    r = client_for("supervisor").get(reverse("disclosure:figures"), {"year": year}, **EN)
    body = r.content.decode()
    assert r.status_code == 200 and '<td id="fig-received">2</td>' in body
    assert 'id="disclosure-figures-data"' in body and "echarts" in body
    r = client_for("supervisor").get(reverse("disclosure:figures"), {"year": year - 1}, **EN)
    assert '<td id="fig-received">0</td>' in r.content.decode()


def test_wrong_roles_are_refused(world: World, client_for: Any) -> None:
    case = _window(world)
    other = s.request_file(actor=None, data=request_input(phone="13900000999"), office=world.other_office)
    url = reverse("disclosure:request", args=[case.pk])
    assert client_for("clerk").get(reverse("disclosure:inbox")).status_code == 403
    assert client_for("applicant").get(url).status_code == 403
    assert client_for("credit_officer").get(reverse("disclosure:figures")).status_code == 403
    assert client_for("anonymous").get(url).status_code == 302  # to the sign-in page
    reviewer = client_for("reviewer")
    assert reviewer.get(reverse("disclosure:request", args=[other.pk])).status_code == 404
    r = reviewer.post(reverse("disclosure:request", args=[other.pk]), {"action": "confirm"})
    assert r.status_code == 404 and Case.objects.get(pk=other.pk).status == "submitted"


def test_a_non_disclosure_reply_goes_to_the_head_then_out(world: World, client_for: Any) -> None:
    case = _window(world)
    url = reverse("disclosure:request", args=[case.pk])
    r = client_for("reviewer").post(url, {"action": "reply", "type": "not_disclosed", "ground": "internal"})
    assert r.status_code == 302 and Case.objects.get(pk=case.pk).status == "review"
    head = client_for("supervisor")
    body = head.get(url, **EN).content.decode()
    assert 'id="action-reply_decision"' in body and "Return it for changes" in body
    assert "Internal affairs or process information" in body  # the ground, by its label
    r = head.post(url, {"action": "reply_decision", "approve": "1"})
    assert r.status_code == 302
    done = Case.objects.get(pk=case.pk)
    assert done.status == "replied" and done.notices.filter(kind="reply").count() == 1


def test_a_signed_in_applicant_files_as_themselves(world: World, client_for: Any) -> None:
    r = client_for("applicant").post(reverse("disclosure:file"), _form(world, applicant_type="person"))
    assert r.status_code == 302
    case = Case.objects.get(kind="disclosure")
    party = case.parties.get(role="applicant")
    assert party.person_id == world.users["applicant"].person.pk


def test_the_applicant_withdraws_their_own_request_from_the_tracking_page(
    world: World, client_for: Any
) -> None:
    me = world.users["applicant"]
    case = s.request_file(
        actor=me, data=request_input(), office=world.office, channel="online", person=me.person
    )
    track = {"number": case.number, "last4": PHONE[-4:]}
    assert (
        'id="withdraw-form"'
        not in client_for("anonymous").get(reverse("disclosure:track"), track).content.decode()
    )
    c = client_for("applicant")
    assert 'id="withdraw-form"' in c.get(reverse("disclosure:track"), track).content.decode()
    url = reverse("disclosure:withdraw", args=[case.pk])
    assert client_for("agent").post(url, {"reason": ""}).status_code == 404  # not theirs
    assert client_for("reviewer").post(url, {"reason": ""}).status_code == 403
    assert Case.objects.get(pk=case.pk).status == "submitted"
    r = c.post(url, {"reason": "不再需要"}, **EN)
    assert (
        r.status_code == 302
        and r.headers["Location"] == reverse("disclosure:track") + f"?number={case.number}"
    )
    assert Case.objects.get(pk=case.pk).status == "withdrawn"
    r = c.post(url, {"reason": ""}, follow=True, **EN)  # again: refused, said on the page
    assert r.status_code == 200 and Case.objects.get(pk=case.pk).status == "withdrawn"
    assert 'class="messages"' in r.content.decode()


def test_tracking_stops_guessing_after_ten_wrong_answers(world: World, client_for: Any) -> None:
    case = _window(world)
    client = client_for("anonymous")
    url = reverse("disclosure:track")
    for _n in range(10):
        assert client.get(url, {"number": case.number, "last4": "0000"}).status_code == 404
    refused = client.get(url, {"number": case.number, "last4": "0000"})
    assert refused.status_code == 429
    assert "错误次数过多" in refused.content.decode()


def test_tracking_guesses_from_elsewhere_do_not_lock_the_applicant_out(world: World, client_for: Any) -> None:
    """The shared guard of ``core.ratelimit``: another address's ten wrong answers stop that address, not
    the applicant with the right four digits."""
    case = _window(world)
    client = client_for("anonymous")
    url = reverse("disclosure:track")
    for _n in range(10):
        assert (
            client.get(url, {"number": case.number, "last4": "0000"}, REMOTE_ADDR="198.51.100.7").status_code
            == 404
        )
    assert (
        client.get(url, {"number": case.number, "last4": "0000"}, REMOTE_ADDR="198.51.100.7").status_code
        == 429
    )
    right = case.disclosure.phone_last4 or case.disclosure.id_last4
    r = client.get(url, {"number": case.number, "last4": right}, REMOTE_ADDR="192.0.2.1")
    assert r.status_code == 200 and case.number in r.content.decode()
