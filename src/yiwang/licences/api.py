"""The licences API (mounted at /api/licences): public verification and keys, the holder's licences and
share links, and the issuing office's operations. Thin: access functions, then services and selectors."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Router

from yiwang.accounts.access import ensure, signed_in
from yiwang.audit.services import audit_denied
from yiwang.core.errors import NotFound
from yiwang.web.api import AUTH, ERRORS, WRITE_ERRORS, Id

from . import selectors, services, verification
from .access import (
    access_issue_for,
    access_issuing_desk,
    access_licence_holder,
    access_licence_staff_view,
    access_wallet,
)
from .models import Issuance, Licence
from .schemas import (
    ChangeIn,
    IssuanceOut,
    IssueIn,
    KeyOut,
    LicenceOut,
    RenewIn,
    ShareIn,
    ShareOut,
    StatusIn,
    VerdictOut,
    VerifyIn,
)

router = Router(tags=["licences"])


def _licence_out(licence: Licence) -> dict[str, Any]:
    v = selectors.licence_current_version(licence)
    assert v is not None
    return {
        "id": licence.pk,
        "identifier": v.identifier,
        "type_code": licence.type.code,
        "type_name": licence.type.name,
        "status": licence.status,
        "version": licence.version,
        "holder": v.holder_name,
        "holder_number": v.holder_number,
        "fields": dict(v.fields),
        "valid_from": v.valid_from,
        "valid_to": v.valid_to,
        "issuer": v.issuer_name,
        "payload": v.payload,
        "issued_at": licence.issued_at,
    }


def _issuance_out(i: Issuance) -> dict[str, Any]:
    return {
        "id": i.pk,
        "case_number": i.case.number,
        "type_code": i.type.code,
        "type_name": i.type.name,
        "state": i.state,
        "decided_on": i.decided_on,
        "due_date": i.due_date,
        "overdue": selectors.issuance_overdue(i),
        "licence_id": i.licence_id,
        "missing_fields": sorted(services.missing_fields(i.type, services.issuance_case_fields(i))),
    }


def _staff_licence(request: HttpRequest, licence_id: int, action: str) -> Licence:
    ensure(access_issuing_desk(request.user), user=request.user, action=action)
    licence = selectors.licence_get(licence_id)
    if licence is None or not access_licence_staff_view(request.user, licence):
        if licence is not None:
            audit_denied(actor=request.user, action=action, obj=licence)
        raise NotFound()
    return licence


@router.post(
    "/verify",
    response={200: VerdictOut, **ERRORS},
    auth=None,
    summary="Verify a licence (anyone)",
    description="Send the compact payload of a licence's QR code (``payload``) or its identifier "
    "(``identifier``). The answer says whether it is authentic and valid, superseded by a later version, "
    "suspended, revoked, cancelled or expired — or unknown, malformed or forged. Never an error for bad "
    "input: every payload gets a verdict. No account needed.",
)
def verify(request: HttpRequest, payload: VerifyIn) -> Any:
    v = verification.verify(payload=payload.payload.strip(), identifier=payload.identifier.strip())
    return {
        "verdict": v.verdict,
        "message": v.message,
        "identifier": v.identifier,
        "signature_checked": v.signature_checked,
        "status": v.status,
        "current_version": v.current_version,
        "fields": v.fields,
    }


@router.get(
    "/keys",
    response={200: list[KeyOut], **ERRORS},
    auth=None,
    summary="Published public keys",
    description="Every issuing office's Ed25519 public keys, current and retired, by key id (``kid``), "
    "for verifying payloads offline (docs/licences-verification.md).",
)
def keys(request: HttpRequest) -> Any:
    return selectors.published_keys()


@router.get(
    "/mine",
    response={200: list[LicenceOut], **ERRORS},
    auth=AUTH,
    summary="My licences",
    description="The signed-in applicant's licences and those of the enterprises they may act for today.",
)
def mine(request: HttpRequest) -> Any:
    ensure(access_wallet(request.user), user=request.user, action="licence.wallet")
    return [_licence_out(lic) for lic in selectors.wallet(request.user)[:200]]


@router.get(
    "/issuances",
    response={200: list[IssuanceOut], **ERRORS},
    auth=AUTH,
    summary="Licences to issue",
    description="The issuing office's pending issuances, soonest due first, with the overdue ones marked "
    "and the fields still to complete. Reviewers and supervisors.",
)
def issuances(request: HttpRequest) -> Any:
    ensure(access_issuing_desk(request.user), user=request.user, action="licence.desk")
    return [_issuance_out(i) for i in selectors.issuances_for(request.user)[:200]]


@router.post(
    "/issuances/{issuance_id}/issue",
    response={200: LicenceOut, **WRITE_ERRORS},
    auth=AUTH,
    summary="Issue the licence",
    description="Sign and issue version 001 from the case's data and the completed ``fields``. 409 when "
    "a licence was already issued for this decision; 422 naming each missing field.",
)
def issue(request: HttpRequest, issuance_id: Id, payload: IssueIn) -> Any:
    ensure(access_issuing_desk(request.user), user=request.user, action="licence.issue")
    issuance = selectors.issuance_get(issuance_id)
    if issuance is None or not access_issue_for(request.user, issuance.office):
        raise NotFound()
    licence = services.licence_issue(
        actor=signed_in(request),
        issuance_id=issuance.pk,
        fields=payload.fields,
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
    )
    return _licence_out(licence)


@router.get(
    "/{licence_id}",
    response={200: LicenceOut, **ERRORS},
    auth=AUTH,
    summary="One licence",
    description="The licence's current version, for its holder or its issuing office; 404 for anyone else.",
)
def licence(request: HttpRequest, licence_id: Id) -> Any:
    lic = selectors.licence_get(licence_id)
    if lic is None or not (
        access_licence_holder(request.user, lic) or access_licence_staff_view(request.user, lic)
    ):
        if lic is not None:
            audit_denied(actor=request.user, action="licence.view", obj=lic)
        raise NotFound()
    return _licence_out(lic)


@router.post(
    "/{licence_id}/share",
    response={200: ShareOut, **WRITE_ERRORS},
    auth=AUTH,
    summary="Share a verification link",
    description="The holder creates a link (valid ``days``, 1–30) that shows the licence and its status.",
)
def share(request: HttpRequest, licence_id: Id, payload: ShareIn) -> Any:
    lic = selectors.licence_get(licence_id)
    if lic is None or not access_licence_holder(request.user, lic):
        if lic is not None:
            audit_denied(actor=request.user, action="licence.share", obj=lic)
        raise NotFound()
    link = services.share_link_create(actor=signed_in(request), licence_id=lic.pk, days=payload.days)
    url = request.build_absolute_uri(reverse("licences:shared", args=[link.token]))
    return {"url": url, "expires_at": timezone.localtime(link.expires_at)}


@router.post(
    "/{licence_id}/change",
    response={200: LicenceOut, **WRITE_ERRORS},
    auth=AUTH,
    summary="Change a licence (变更)",
    description="New field values in a new signed version; the older versions stay verifiable (superseded).",
)
def change(request: HttpRequest, licence_id: Id, payload: ChangeIn) -> Any:
    lic = _staff_licence(request, licence_id, "licence.change")
    return _licence_out(
        services.licence_change(
            actor=signed_in(request),
            licence_id=lic.pk,
            fields=payload.fields,
            reason=payload.reason,
            expected_version=payload.expected_version,
        )
    )


@router.post(
    "/{licence_id}/renew",
    response={200: LicenceOut, **WRITE_ERRORS},
    auth=AUTH,
    summary="Renew a licence (延续)",
    description="Validity extended in a new signed version.",
)
def renew(request: HttpRequest, licence_id: Id, payload: RenewIn) -> Any:
    lic = _staff_licence(request, licence_id, "licence.renew")
    return _licence_out(
        services.licence_renew(
            actor=signed_in(request),
            licence_id=lic.pk,
            valid_to=payload.valid_to,
            reason=payload.reason,
            expected_version=payload.expected_version,
        )
    )


@router.post(
    "/{licence_id}/status",
    response={200: LicenceOut, **WRITE_ERRORS},
    auth=AUTH,
    summary="Suspend, reinstate, revoke or cancel",
    description="A status event with its reason (suspend, reinstate and revoke: supervisors only). "
    "Verification reads the new status at once.",
)
def status(request: HttpRequest, licence_id: Id, payload: StatusIn) -> Any:
    lic = _staff_licence(request, licence_id, f"licence.{payload.event}")
    return _licence_out(
        services.licence_status_change(
            actor=signed_in(request),
            licence_id=lic.pk,
            event=payload.event,
            reason=payload.reason,
            expected_version=payload.expected_version,
        )
    )
