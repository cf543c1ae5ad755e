"""Residents register and sign in with a one-time SMS code (docs/adr/0056): the services (expiry, single use,
wrong tries, throttles, duplicates, staff refused, real-name verification) and the pages (messages that
name their field in Chinese and in English, the demo notice, nothing unmasked)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from yiwang.accounts import otp
from yiwang.accounts.models import Person, SignInCode, User
from yiwang.accounts.realname import (
    LEVEL_MOBILE,
    LEVEL_VERIFIED,
    DemoVerifier,
    NotConfiguredVerifier,
    VerificationResult,
)
from yiwang.accounts.services import person_register
from yiwang.audit.models import AuditEvent
from yiwang.core.errors import Conflict, RateLimited, ServiceError
from yiwang.notifications.models import Notification
from yiwang.portal.services import resident_code_send

from ..factories import resident_id

pytestmark = pytest.mark.django_db

MOBILE = "13912345678"
NEW_ID = resident_id("19900315", 7)


def _send(
    mobile: str = MOBILE, purpose: str = "register", client: str = "10.0.0.1"
) -> tuple[SignInCode, str]:
    row = resident_code_send(mobile=mobile, purpose=purpose, client=client)
    sms = Notification.objects.get(object_type="accounts.signincode", object_id=str(row.pk))
    match = re.search(r"\b(\d{6})\b", sms.body)
    assert match is not None
    return row, match.group(1)


def _register(row: SignInCode, code: str, **over: Any) -> User:
    data = {"name": "王五", "id_number": NEW_ID, "agreed": True} | over
    return otp.resident_register(code_id=row.pk, code=code, **data)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


# --- services -----------------------------------------------------------------------------------------


def test_a_code_is_sent_by_sms_and_stored_only_as_a_keyed_digest(world: Any) -> None:
    row, code = _send()
    sms = Notification.objects.get(object_id=str(row.pk), object_type="accounts.signincode")
    assert (sms.channel, sms.address, sms.recipient) == ("sms", MOBILE, None)
    assert code not in row.digest and len(row.digest) == 64
    assert row.digest == otp._digest(row.salt, code)
    assert (row.expires_at - row.created_at).total_seconds() == pytest.approx(300, abs=1)
    event = AuditEvent.objects.get(action="auth.code_request", object_id=str(row.pk))
    assert event.data == {"purpose": "register", "mobile": "139****5678"}
    assert code not in str(event.data)


def test_registration_creates_the_person_and_the_applicant_account(world: Any) -> None:
    row, code = _send()
    user = _register(row, code)
    person = Person.objects.get(user=user)
    assert (user.kind, user.mobile, user.full_name, user.has_usable_password()) == (
        "applicant",
        MOBILE,
        "王五",
        False,
    )
    assert (person.id_number, person.mobile, person.verification) == (NEW_ID, MOBILE, "verified")
    assert (person.verification_level, person.verification_source) == (LEVEL_VERIFIED, "demo")
    assert MOBILE not in user.username and NEW_ID not in user.username
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "auth.code_request",
        "person.register",
        "person.verify",
        "applicant.account_create",
        "resident.register",
    } <= actions
    assert SignInCode.objects.get(pk=row.pk).used_at is not None


def test_a_code_is_used_once(world: Any) -> None:
    row, code = _send()
    _register(row, code)
    with pytest.raises(ServiceError) as exc:
        _register(row, code, id_number=resident_id("19900315", 8))
    assert exc.value.code == "code_expired" and "code" in exc.value.fields


def test_a_code_expires(world: Any) -> None:
    row, code = _send()
    SignInCode.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ServiceError) as exc:
        _register(row, code)
    assert exc.value.code == "code_expired"
    assert not User.objects.filter(mobile=MOBILE).exists()


@override_settings(OTP_CODE_VALID_SECONDS=120)
def test_the_validity_is_a_setting(world: Any) -> None:
    row, _code = _send()
    assert (row.expires_at - row.created_at).total_seconds() == pytest.approx(120, abs=1)


def test_five_wrong_tries_use_the_code_up(world: Any) -> None:
    row, code = _send()
    messages = []
    for _ in range(5):
        with pytest.raises(ServiceError) as exc:
            _register(row, _wrong(code))
        messages.append(exc.value.code)
    assert messages == ["code_wrong"] * 4 + ["code_locked"]
    with pytest.raises(ServiceError) as exc:
        _register(row, code)  # even the right code, now
    assert exc.value.code == "code_locked"
    assert AuditEvent.objects.filter(action="auth.code_failed", outcome="failed").count() == 5


def test_a_right_code_after_wrong_ones_still_works(world: Any) -> None:
    row, code = _send()
    for _ in range(4):
        with pytest.raises(ServiceError):
            _register(row, _wrong(code))
    assert _register(row, code).kind == "applicant"


def test_a_new_code_replaces_the_old_one(world: Any) -> None:
    old, old_code = _send()
    SignInCode.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(seconds=61))
    new, new_code = _send()
    with pytest.raises(ServiceError) as exc:
        _register(old, old_code)
    assert exc.value.code == "code_expired"
    assert _register(new, new_code).mobile == MOBILE


def test_resending_waits_60_seconds_per_mobile(world: Any) -> None:
    row, _code = _send()
    with pytest.raises(RateLimited) as exc:
        _send()
    assert "mobile" in exc.value.fields and exc.value.status == 429
    SignInCode.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(seconds=61))
    assert _send()[0].pk != row.pk


@override_settings(OTP_CODES_PER_ADDRESS_PER_HOUR=3)
def test_codes_are_limited_per_client_address(world: Any) -> None:
    for n in range(3):
        _send(mobile=f"1391234{n:04d}")
    with pytest.raises(RateLimited):
        _send(mobile="13912349999")
    assert _send(mobile="13912349999", client="10.0.0.2")[0].pk


@override_settings(OTP_CODES_PER_MOBILE_PER_DAY=2, OTP_RESEND_SECONDS=0)
def test_codes_are_limited_per_mobile_per_day(world: Any) -> None:
    _send(client="10.0.0.1")
    _send(client="10.0.0.2")
    with pytest.raises(RateLimited) as exc:
        _send(client="10.0.0.3")
    assert "mobile" in exc.value.fields


def test_a_registered_mobile_is_refused_without_saying_whose(world: Any) -> None:
    taken = world.person.mobile
    with pytest.raises(Conflict) as exc:
        _send(mobile=taken)
    assert "mobile" in exc.value.fields
    assert world.person.name not in str(exc.value.as_dict())


def test_a_registered_id_number_is_refused(world: Any) -> None:
    row, code = _send()
    with pytest.raises(Conflict) as exc:
        _register(row, code, id_number=world.person.id_number)
    assert "id_number" in exc.value.fields and world.person.name not in str(exc.value.as_dict())
    assert _register(row, code).kind == "applicant"  # the code is still good for a corrected number


def test_an_invalid_mobile_names_the_field(world: Any) -> None:
    with pytest.raises(ServiceError) as exc:
        _send(mobile="12345")
    assert list(exc.value.fields) == ["mobile"]


def test_the_terms_must_be_agreed(world: Any) -> None:
    row, code = _send()
    with pytest.raises(ServiceError) as exc:
        _register(row, code, agreed=False)
    assert list(exc.value.fields) == ["agree"]


def test_a_failed_verification_refuses_and_is_audited(world: Any) -> None:
    row, code = _send()
    with pytest.raises(ServiceError) as exc:
        _register(row, code, name="拒绝核验")
    assert exc.value.code == "verification_failed" and set(exc.value.fields) == {"name", "id_number"}
    assert not Person.objects.filter(mobile=MOBILE).exists()
    event = AuditEvent.objects.get(action="person.verify", outcome="failed")
    assert NEW_ID not in str(event.data) and event.data["outcome"] == "failed"


@override_settings(REAL_NAME_VERIFIER="yiwang.accounts.realname.NotConfiguredVerifier")
def test_an_unavailable_source_leaves_the_account_unverified(world: Any) -> None:
    row, code = _send()
    person = Person.objects.get(user=_register(row, code))
    assert (person.verification, person.verification_level) == ("unavailable", LEVEL_MOBILE)


def test_the_demo_verifier() -> None:
    with override_settings(REAL_NAME_DEMO_REFUSED=[NEW_ID]):
        assert DemoVerifier().verify("王五", NEW_ID).outcome == "failed"
    assert DemoVerifier().verify("王五", NEW_ID).outcome == "verified"
    assert DemoVerifier().verify(" ", NEW_ID).outcome == "failed"
    wrong_check = NEW_ID[:-1] + ("0" if NEW_ID[-1] != "0" else "1")
    assert DemoVerifier().verify("王五", wrong_check).outcome == "failed"
    assert NotConfiguredVerifier().verify("王五", NEW_ID).outcome == "unavailable"


def test_a_resident_signs_in_with_a_code(world: Any) -> None:
    row, code = _send()
    user = _register(row, code)
    SignInCode.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(seconds=61))
    row2, code2 = _send(purpose="sign_in")
    assert otp.code_sign_in(code_id=row2.pk, code=code2) == user
    assert AuditEvent.objects.filter(action="auth.code_sign_in", object_id=str(user.pk)).count() == 1
    with pytest.raises(ServiceError):
        otp.code_sign_in(code_id=row2.pk, code=code2)


def test_staff_and_unknown_numbers_cannot_ask_for_a_sign_in_code(world: Any) -> None:
    clerk = world.users["clerk"]
    clerk.mobile = "13800000001"
    clerk.save()
    refused = []
    for mobile in ("13800000001", "13800000002"):
        with pytest.raises(ServiceError) as exc:
            _send(mobile=mobile, purpose="sign_in")
        refused.append(exc.value.as_dict())
    assert refused[0] == refused[1]  # the same answer: a staff number is not told apart
    assert not SignInCode.objects.exists()


def test_a_code_for_registering_does_not_sign_in(world: Any) -> None:
    row, code = _send()
    with pytest.raises(ServiceError):
        otp.code_sign_in(code_id=row.pk, code=code)


# --- pages -----------------------------------------------------------------------------------------------


def _page_code(client: Client, url: str, mobile: str = MOBILE, **extra: Any) -> str:
    r = client.post(url, {"action": "send", "mobile": mobile}, **extra)
    assert r.status_code == 302
    page = client.get(url, **extra)
    match = re.search(r'id="demo-sms-body">[^<]*?(\d{6})', page.content.decode())
    assert match is not None
    return match.group(1)


def test_register_page_registers_and_signs_in(world: Any) -> None:
    c = Client()
    url = reverse("portal:register")
    assert c.get(url).status_code == 200
    code = _page_code(c, url)
    page = c.get(url).content.decode()
    assert "139****5678" in page and MOBILE not in page
    r = c.post(url, {"action": "register", "code": code, "name": "王五", "id_number": NEW_ID, "agree": "on"})
    assert (r.status_code, r.headers["Location"]) == (302, reverse("portal:account"))
    account = c.get(reverse("portal:account")).content.decode()
    assert "王五" in account and 'id="verification"' in account and NEW_ID not in account


@override_settings(YIWANG_DEMO_SHOW_CODES=False)
def test_the_code_is_not_shown_unless_the_demo_setting_is_on(world: Any) -> None:
    c = Client()
    url = reverse("portal:register")
    c.post(url, {"action": "send", "mobile": MOBILE})
    page = c.get(url).content.decode()
    assert 'id="code-step"' in page and "demo-sms" not in page


@pytest.mark.parametrize(
    ("language", "data", "field", "words"),
    [
        ("zh-hans", {"action": "send", "mobile": "123"}, "mobile", "手机号码"),
        ("en", {"action": "send", "mobile": "123"}, "mobile", "Mobile number"),
        (
            "zh-hans",
            {"action": "register", "code": "12", "name": "王五", "id_number": NEW_ID, "agree": "on"},
            "code",
            "验证码",
        ),
        (
            "en",
            {"action": "register", "code": "12", "name": "王五", "id_number": NEW_ID, "agree": "on"},
            "code",
            "Verification code",
        ),
        (
            "zh-hans",
            {
                "action": "register",
                "code": "123456",
                "name": "王五",
                "id_number": "440307199003150071",
                "agree": "on",
            },
            "id_number",
            "居民身份证号码",
        ),
        (
            "en",
            {
                "action": "register",
                "code": "123456",
                "name": "王五",
                "id_number": "440307199003150071",
                "agree": "on",
            },
            "id_number",
            "Resident ID number",
        ),
        (
            "zh-hans",
            {"action": "register", "code": "123456", "name": "", "id_number": NEW_ID, "agree": "on"},
            "name",
            "姓名",
        ),
        (
            "en",
            {"action": "register", "code": "123456", "name": "王五", "id_number": NEW_ID},
            "agree",
            "terms",
        ),
    ],
)
def test_bad_input_names_the_field(
    world: Any, language: str, data: dict[str, str], field: str, words: str
) -> None:
    c = Client(headers={"accept-language": language})
    c.cookies["django_language"] = language
    r = c.post(reverse("portal:register"), data)
    assert r.status_code == 422
    message = re.search(r'id="form-message">([^<]*)<', r.content.decode())
    assert message is not None and words in message.group(1)


def test_a_registered_mobile_on_the_page_says_sign_in(world: Any) -> None:
    c = Client(headers={"accept-language": "en"})
    c.cookies["django_language"] = "en"
    r = c.post(reverse("portal:register"), {"action": "send", "mobile": world.person.mobile})
    assert r.status_code == 409
    assert "already registered" in r.content.decode() and world.person.name not in r.content.decode()


def test_login_page_offers_the_code_tab(world: Any) -> None:
    page = Client().get(reverse("portal:login")).content.decode()
    assert reverse("portal:login_code") in page and "短信验证码登录" in page


def test_sign_in_by_code_page(world: Any) -> None:
    reg = Client()
    code = _page_code(reg, reverse("portal:register"))
    reg.post(
        reverse("portal:register"),
        {"action": "register", "code": code, "name": "王五", "id_number": NEW_ID, "agree": "on"},
    )
    SignInCode.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    c = Client()
    url = reverse("portal:login_code") + "?next=/halls/"
    code = _page_code(c, url)
    r = c.post(url, {"action": "sign_in", "code": _wrong(code)})
    assert r.status_code == 422 and "4" in r.content.decode()
    r = c.post(url, {"action": "sign_in", "code": code, "next": "/halls/"})
    assert (r.status_code, r.headers["Location"]) == (302, "/halls/")
    assert c.get(reverse("portal:account")).status_code == 200


def test_sign_in_by_code_refuses_a_staff_number(world: Any) -> None:
    clerk = world.users["clerk"]
    clerk.mobile = "13800000001"
    clerk.save()
    r = Client().post(reverse("portal:login_code"), {"action": "send", "mobile": "13800000001"})
    assert r.status_code == 422 and "13800000001" not in r.content.decode()
    assert not SignInCode.objects.exists()


@override_settings(REAL_NAME_VERIFIER="yiwang.accounts.realname.NotConfiguredVerifier")
def test_an_unverified_account_signs_in_and_is_told(world: Any) -> None:
    c = Client(headers={"accept-language": "en"})
    c.cookies["django_language"] = "en"
    url = reverse("portal:register")
    code = _page_code(c, url)
    r = c.post(url, {"action": "register", "code": code, "name": "王五", "id_number": NEW_ID, "agree": "on"})
    assert r.status_code == 302
    page = c.get(reverse("portal:account")).content.decode()
    assert 'id="unverified-note"' in page and "not verified yet" in page


def test_person_register_records_the_verification_in_one_event(world: Any) -> None:
    person = person_register(
        actor=None, name="王五", id_number=NEW_ID, verification=VerificationResult("verified", "ok", "demo")
    )
    assert (person.verification, person.verification_level, person.verified_at is not None) == (
        "verified",
        LEVEL_VERIFIED,
        True,
    )
    events = AuditEvent.objects.filter(object_type="accounts.person", object_id=str(person.pk))
    assert [(e.action, e.data) for e in events] == [
        ("person.register", {"verification": "verified", "level": 2})
    ]
    plain = person_register(actor=None, name="赵六", id_number=resident_id("19900315", 9))
    assert (plain.verification, plain.verification_level) == ("not_checked", 0)
