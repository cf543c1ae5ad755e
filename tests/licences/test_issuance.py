"""Issuance from an approved application, versions (change, renewal), status events, and bad input."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from yiwang.audit.models import AuditEvent
from yiwang.core.errors import Conflict, NotFound, ServiceError
from yiwang.licences import keys, services, signing, verification
from yiwang.licences.identifier import parse
from yiwang.licences.models import Issuance, Licence, LicenceEvent, LicenceVersion

from .helpers import approved_case, licence_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def ltype(world: Any) -> Any:
    return licence_type(world)


def _issue(world: Any, ltype: Any, **kw: Any) -> Licence:
    case = approved_case(world, ltype, **kw)
    issuance = Issuance.objects.get(case=case)
    return services.licence_issue(
        actor=world.users["reviewer"],
        issuance_id=issuance.pk,
        fields={"scope": "预包装食品销售", "address": "龙城街道1号"},
    )


def test_approval_opens_an_issuance_due_in_ten_working_days(world: Any, ltype: Any) -> None:
    case = approved_case(world, ltype)
    issuance = Issuance.objects.get(case=case)
    assert issuance.state == "pending" and issuance.type == ltype and issuance.office == world.office
    assert issuance.clock is not None and issuance.clock.limit_value == 10
    assert issuance.clock.limit_kind == "working_days"
    assert issuance.due_date == issuance.clock.due_date
    assert case.clocks.filter(purpose="issuance", primary=False).count() == 1
    assert AuditEvent.objects.filter(action="licence.issuance_open").count() == 1
    assert not Licence.objects.exists()  # scope and address are the reviewer's to complete


def test_an_item_without_a_licence_type_owes_nothing(world: Any) -> None:
    from tests.applications.builders import make_item

    other = licence_type(world, code="LT0002")
    other.items.clear()
    other._item = make_item(world, name="无证照事项")
    case = approved_case(world, other)
    assert not Issuance.objects.filter(case=case).exists()


def test_a_type_whose_fields_the_case_fills_is_issued_at_once(world: Any) -> None:
    ltype = licence_type(
        world, code="LT0003", fields=[{"key": "item", "label": "许可事项", "required": True}]
    )
    case = approved_case(world, ltype)
    licence = Licence.objects.get(case=case)
    v = LicenceVersion.objects.get(licence=licence)
    assert v.fields == {"item": "食品经营许可"} and v.by is None and v.event == "issue"
    assert Issuance.objects.get(case=case).state == "issued"


def test_issue_signs_version_one_with_the_office_key(world: Any, ltype: Any) -> None:
    licence = _issue(world, ltype)
    v = LicenceVersion.objects.get(licence=licence)
    ident = parse(v.identifier)
    assert (ident.type_code, ident.issuer_code, ident.version) == ("LT0001FOOD", world.dept.credit_code, 1)
    assert ident.serial == f"{timezone.localdate().year}000001"
    assert (
        v.holder_name == world.person.name
        and v.holder_number == world.person.id_number[:3] + "*" * 11 + world.person.id_number[-4:]
    )
    assert v.kid == f"{world.office.code}/k1"
    assert signing.verify(v.payload, keys.public_keys()).ok
    assert licence.valid_to == v.valid_from.replace(year=v.valid_from.year + 5) - timedelta(days=1)
    issuance = Issuance.objects.get(case=licence.case)
    assert issuance.state == "issued" and issuance.clock.stopped_at is not None
    assert AuditEvent.objects.filter(action="licence.issue", object_id=str(licence.pk)).count() == 1
    assert verification.verify(payload=v.payload).verdict == "authentic"


def test_an_enterprise_holds_its_licence(world: Any, ltype: Any) -> None:
    licence = _issue(world, ltype, enterprise=world.enterprise)
    v = LicenceVersion.objects.get(licence=licence)
    assert licence.holder_enterprise == world.enterprise and licence.holder_person is None
    assert v.holder_number == world.enterprise.credit_code


def test_issued_twice_for_one_decision_is_refused(world: Any, ltype: Any) -> None:
    licence = _issue(world, ltype)
    issuance = Issuance.objects.get(case=licence.case)
    with pytest.raises(Conflict, match="already been issued"):
        services.licence_issue(
            actor=world.users["reviewer"], issuance_id=issuance.pk, fields={"scope": "a", "address": "b"}
        )
    assert Licence.objects.count() == 1 and LicenceVersion.objects.count() == 1


def test_missing_fields_are_named_and_nothing_is_saved(world: Any, ltype: Any) -> None:
    case = approved_case(world, ltype)
    issuance = Issuance.objects.get(case=case)
    with pytest.raises(ServiceError) as err:
        services.licence_issue(actor=world.users["reviewer"], issuance_id=issuance.pk, fields={"scope": " "})
    assert err.value.fields == {"scope": "Required.", "address": "Required."}
    with pytest.raises(ServiceError) as err:
        services.licence_issue(actor=world.users["reviewer"], issuance_id=issuance.pk, fields={"bogus": "x"})
    assert err.value.fields == {"bogus": "Not a field of this licence type."}
    assert not Licence.objects.exists()
    assert Issuance.objects.get(pk=issuance.pk).state == "pending"


def test_no_credit_code_no_licence(world: Any, ltype: Any) -> None:
    case = approved_case(world, ltype)
    world.dept.credit_code = ""
    world.dept.save()
    with pytest.raises(ServiceError, match="credit code"):
        services.licence_issue(
            actor=world.users["reviewer"],
            issuance_id=Issuance.objects.get(case=case).pk,
            fields={"scope": "a", "address": "b"},
        )


def test_only_the_issuing_office_issues(world: Any, ltype: Any) -> None:
    case = approved_case(world, ltype)
    issuance = Issuance.objects.get(case=case)
    for role in ("clerk", "applicant", "sys_admin"):
        with pytest.raises(PermissionDenied):
            services.licence_issue(
                actor=world.users[role], issuance_id=issuance.pk, fields={"scope": "a", "address": "b"}
            )
    with pytest.raises(NotFound):
        services.licence_issue(actor=world.users["reviewer"], issuance_id=10**9)


def test_change_and_renewal_are_new_versions_the_old_kept(world: Any, ltype: Any) -> None:
    licence = _issue(world, ltype)
    first = LicenceVersion.objects.get(licence=licence, version=1)
    reviewer = world.users["reviewer"]
    licence = services.licence_change(
        actor=reviewer, licence_id=licence.pk, fields={"scope": "散装食品销售"}, reason="经营范围变更"
    )
    licence = services.licence_renew(actor=reviewer, licence_id=licence.pk, reason="到期延续")
    versions = list(LicenceVersion.objects.filter(licence=licence).order_by("version"))
    assert [(v.version, v.event) for v in versions] == [(1, "issue"), (2, "change"), (3, "renew")]
    assert versions[1].fields["scope"] == "散装食品销售" and versions[0].fields["scope"] == "预包装食品销售"
    assert versions[0].payload == first.payload and versions[0].identifier == first.identifier
    assert [parse(v.identifier).version for v in versions] == [1, 2, 3]
    assert len({parse(v.identifier).base for v in versions}) == 1
    assert versions[2].valid_to > versions[1].valid_to and licence.valid_to == versions[2].valid_to
    assert verification.verify(payload=first.payload).verdict == "superseded"
    assert verification.verify(payload=versions[2].payload).verdict == "authentic"
    with pytest.raises(ServiceError, match="Nothing changed"):
        services.licence_change(
            actor=reviewer, licence_id=licence.pk, fields={"scope": "散装食品销售"}, reason="x"
        )
    with pytest.raises(ServiceError):
        services.licence_change(actor=reviewer, licence_id=licence.pk, fields={"scope": "新"}, reason="")
    with pytest.raises(Conflict, match="changed meanwhile"):
        services.licence_change(
            actor=reviewer, licence_id=licence.pk, fields={"scope": "新"}, reason="x", expected_version=1
        )


def test_suspension_and_revocation_seen_by_verification(world: Any, ltype: Any) -> None:
    licence = _issue(world, ltype)
    payload = LicenceVersion.objects.get(licence=licence).payload
    supervisor, reviewer = world.users["supervisor"], world.users["reviewer"]
    with pytest.raises(PermissionDenied):
        services.licence_status_change(
            actor=reviewer, licence_id=licence.pk, event="revoke", reason="违法经营"
        )
    services.licence_status_change(
        actor=supervisor, licence_id=licence.pk, event="suspend", reason="停业整顿"
    )
    assert verification.verify(payload=payload).verdict == "suspended"
    with pytest.raises(Conflict):
        services.licence_change(actor=reviewer, licence_id=licence.pk, fields={"scope": "x"}, reason="x")
    services.licence_status_change(
        actor=supervisor, licence_id=licence.pk, event="reinstate", reason="整顿完毕"
    )
    assert verification.verify(payload=payload).verdict == "authentic"
    services.licence_status_change(actor=supervisor, licence_id=licence.pk, event="revoke", reason="违法经营")
    assert verification.verify(payload=payload).verdict == "revoked"
    assert (
        verification.verify(identifier=LicenceVersion.objects.get(licence=licence).identifier).verdict
        == "revoked"
    )
    with pytest.raises(Conflict):
        services.licence_status_change(actor=supervisor, licence_id=licence.pk, event="reinstate", reason="x")
    assert list(LicenceEvent.objects.filter(licence=licence).values_list("event", flat=True)) == [
        "issue",
        "suspend",
        "reinstate",
        "revoke",
    ]
    assert LicenceVersion.objects.filter(licence=licence).count() == 1


def test_verification_of_bad_input(world: Any, ltype: Any) -> None:
    licence = _issue(world, ltype)
    v = LicenceVersion.objects.get(licence=licence)
    assert verification.verify(payload="garbage").verdict == "malformed"
    assert verification.verify(identifier="1.2.156.3005.2.X").verdict == "malformed"
    unknown = parse(v.identifier).with_version(7)
    assert verification.verify(identifier=str(unknown)).verdict == "unknown"
    fields, _b, sig = signing.decode(v.payload)
    fields["holder"] = "冒名者"
    forged = f"YWL1.{signing.b64(signing.canonical(fields))}.{signing.b64(sig)}"
    assert verification.verify(payload=forged).verdict == "forged"
    # signed with the office's real key but never issued by the register
    kid, key = keys.signing_key(world.office.code)
    rogue = signing.sign(key, {**fields, "kid": kid})
    assert verification.verify(payload=rogue).verdict == "forged"


def test_overdue_issuance_is_visible(world: Any, ltype: Any) -> None:
    from yiwang.licences import selectors

    case = approved_case(world, ltype)
    issuance = Issuance.objects.get(case=case)
    assert not selectors.issuance_overdue(issuance)
    Issuance.objects.filter(pk=issuance.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    issuance.refresh_from_db()
    assert selectors.issuance_overdue(issuance)
    assert selectors.issuances_overdue_count(world.users["reviewer"]) == 1


def test_share_link(world: Any, ltype: Any) -> None:
    licence = _issue(world, ltype)
    link = services.share_link_create(actor=world.users["applicant"], licence_id=licence.pk, days=7)
    assert len(link.token) >= 40 and link.expires_at > timezone.now() + timedelta(days=6)
    with pytest.raises(ServiceError):
        services.share_link_create(actor=world.users["applicant"], licence_id=licence.pk, days=31)
    with pytest.raises(PermissionDenied):
        services.share_link_create(actor=world.users["agent"], licence_id=licence.pk, days=7)


def test_an_expired_licence_reads_expired(world: Any, ltype: Any) -> None:
    import time_machine

    licence = _issue(world, ltype)
    payload = LicenceVersion.objects.get(licence=licence).payload
    with time_machine.travel(timezone.now() + timedelta(days=5 * 366 + 2)):
        assert verification.verify(payload=payload).verdict == "expired"
