"""Reads of the licences context (pages and API read through here)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from yiwang.accounts.access import acting_person, enterprises_for, staff_member

from . import keys, signing
from .models import Issuance, Licence, LicenceEvent, LicenceType, LicenceVersion, MaterialUse, ShareLink

if TYPE_CHECKING:
    from yiwang.accounts.access import Visitor
    from yiwang.accounts.models import Enterprise, Person


def licence_get(pk: int) -> Licence | None:
    return (
        Licence.objects.select_related("type", "issuer_office", "holder_person", "holder_enterprise", "case")
        .filter(pk=pk)
        .first()
    )


def licence_versions(licence: Licence) -> QuerySet[LicenceVersion]:
    return LicenceVersion.objects.filter(licence=licence).order_by("version")


def licence_current_version(licence: Licence) -> LicenceVersion | None:
    return LicenceVersion.objects.filter(licence=licence, version=licence.version).first()


def licence_events(licence: Licence) -> QuerySet[LicenceEvent]:
    return LicenceEvent.objects.filter(licence=licence).select_related("by").order_by("at", "id")


def holder_licences_q(person: Person | None, enterprises: Any) -> Q:
    q = Q(pk__in=[])
    if person is not None:
        q |= Q(holder_person=person)
    return q | Q(holder_enterprise__in=enterprises)


def wallet(user: Visitor) -> QuerySet[Licence]:
    """The licences of the signed-in applicant and of the enterprises they may act for today."""
    person = acting_person(user)
    if person is None:
        return Licence.objects.none()
    return (
        Licence.objects.filter(holder_licences_q(person, enterprises_for(user)))
        .select_related("type", "issuer_office", "holder_enterprise", "holder_person")
        .order_by("-issued_at", "-id")
    )


def current_licences_for(
    *, person: Person | None, enterprise: Enterprise | None, type_codes: set[str]
) -> QuerySet[LicenceVersion]:
    """The current versions of the holder's valid licences of the given types (offered as materials)."""
    holder = (
        Q(licence__holder_enterprise=enterprise)
        if enterprise is not None
        else Q(licence__holder_person=person)
    )
    today = timezone.localdate()
    return (
        LicenceVersion.objects.filter(holder, licence__status="active", licence__type__code__in=type_codes)
        .filter(Q(licence__valid_to__isnull=True) | Q(licence__valid_to__gte=today))
        .filter(version=F("licence__version"))
        .select_related("licence__type")
        .order_by("licence__type__code", "-licence__issued_at")
    )


def version_by_id(pk: int) -> LicenceVersion | None:
    return LicenceVersion.objects.select_related("licence__type").filter(pk=pk).first()


def issuances_for(user: Visitor, *, pending_only: bool = True) -> QuerySet[Issuance]:
    staff = staff_member(user)
    qs = Issuance.objects.select_related("case", "type", "office", "licence")
    if staff is None:
        return qs.none()
    if staff.office_id is not None:
        qs = qs.filter(office_id=staff.office_id)
    elif staff.department_id is not None:
        qs = qs.filter(office__department_id=staff.department_id)
    if pending_only:
        qs = qs.filter(state=Issuance.State.PENDING)
    return qs.order_by("due_date", "pk")


def issuance_get(pk: int) -> Issuance | None:
    return (
        Issuance.objects.select_related("case", "type", "office__department", "licence").filter(pk=pk).first()
    )


def issuance_overdue(issuance: Issuance) -> bool:
    return (
        issuance.state == Issuance.State.PENDING
        and issuance.due_date is not None
        and issuance.due_date < timezone.localdate()
    )


def issuances_overdue_count(user: Visitor) -> int:
    return issuances_for(user).filter(due_date__lt=timezone.localdate()).count()


def office_licences(user: Visitor) -> QuerySet[Licence]:
    staff = staff_member(user)
    qs = Licence.objects.select_related("type", "holder_person", "holder_enterprise", "issuer_office")
    if staff is None:
        return qs.none()
    if staff.office_id is not None:
        return qs.filter(issuer_office_id=staff.office_id)
    if staff.department_id is not None:
        return qs.filter(issuer_office__department_id=staff.department_id)
    return qs.none()


def share_link_get(token: str) -> ShareLink | None:
    if not token or len(token) > 60:
        return None
    return (
        ShareLink.objects.select_related("licence__type")
        .filter(token=token, expires_at__gt=timezone.now())
        .first()
    )


def share_links(licence: Licence) -> QuerySet[ShareLink]:
    return ShareLink.objects.filter(licence=licence, expires_at__gt=timezone.now())


def licence_type_get(code: str) -> LicenceType | None:
    return LicenceType.objects.filter(code=code).first()


def licence_valid_to(day: date, years: int) -> date:
    """The last day of a validity of ``years`` starting on ``day`` (the day before its anniversary)."""
    try:
        return day.replace(year=day.year + years) - timedelta(days=1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def licence_type_for_item(item_id: int) -> LicenceType | None:
    """The licence an item's result is (its validity is the decision's), if the item issues one."""
    return LicenceType.objects.filter(items=item_id, active=True).order_by("code").first()


def licence_types() -> QuerySet[LicenceType]:
    return LicenceType.objects.filter(active=True).order_by("code")


def published_keys() -> list[dict[str, str]]:
    """The public keys an offline verifier needs: kid, algorithm, raw key (base64url)."""
    ring = keys.keyring()
    return [
        {
            "kid": kid,
            "office": kid.split("/", 1)[0],
            "algorithm": signing.ALGORITHM,
            "public_key": signing.b64(signing.public_raw(key)),
            "current": "yes" if ring.current.get(kid.split("/", 1)[0]) == kid else "no",
        }
        for kid, key in sorted(ring.public.items())
    ]


def reuse_figures(year: int | None = None) -> dict[str, int]:
    """Materials satisfied by a licence instead of an upload, and trips saved: a case that used a licence
    saves the applicant one trip (to fetch, copy and bring the paper licence), whatever the number of
    licences it used (docs/adr/0091)."""
    qs = MaterialUse.objects.all() if year is None else MaterialUse.objects.filter(at__year=year)
    rows = qs.aggregate(
        materials=Count("pk"),
        cases=Count("case", distinct=True),
    )
    return {"materials": int(rows["materials"] or 0), "trips": int(rows["cases"] or 0)}


# --- reuse as application materials ------------------------------------------------------------------


def type_for_material(source_note: str) -> LicenceType | None:
    """The licence type a catalogue material obtained from an e-licence names (its code or its name in the
    material's ``source_note``), or None when it names no licence of this register."""
    note = (source_note or "").strip()
    if not note:
        return None
    return LicenceType.objects.filter(Q(code=note) | Q(name=note), active=True).order_by("code").first()


def licence_offers(
    *, person: Person | None, enterprise: Enterprise | None, wanted: dict[str, str]
) -> dict[str, list[LicenceVersion]]:
    """For each material code → licence type code in ``wanted``, the holder's current valid licences."""
    if not wanted or (person is None and enterprise is None):
        return {}
    versions = list(
        current_licences_for(person=person, enterprise=enterprise, type_codes=set(wanted.values()))
    )
    return {code: [v for v in versions if v.licence.type.code == t] for code, t in wanted.items()}


def material_uses(case_id: int) -> dict[str, MaterialUse]:
    return {
        u.material_code: u
        for u in MaterialUse.objects.filter(case_id=case_id).select_related("licence_version__licence__type")
    }
