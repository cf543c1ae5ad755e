from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from yiwang.core.validators import normalize_resident_id, normalize_uscc

from .models import Department, District, Enterprise, Hall, Person, SignInCode, Street


def departments_list(*, kind: str | None = None) -> QuerySet[Department]:
    qs = Department.objects.all().order_by("code")
    return qs.filter(kind=kind) if kind else qs


def departments_by_kind() -> list[tuple[str, list[Department]]]:
    """The organisations grouped by kind (government departments, utilities, stationed organisations), each
    group by code: the catalogue's department filter."""
    groups: dict[str, list[Department]] = {k: [] for k in Department.Kind.values}
    for d in Department.objects.order_by("code"):
        groups.setdefault(d.kind, []).append(d)
    labels = dict(Department.Kind.choices)
    return [(str(labels.get(k, k)), rows) for k, rows in groups.items() if rows]


def department_kind_labels() -> dict[str, str]:
    """The kinds of organisation and their names in the current language."""
    return {k: str(label) for k, label in Department.Kind.choices}


def department_names_en() -> dict[str, str]:
    """The English names of the departments that have one, by code."""
    return dict(Department.objects.exclude(name_en="").values_list("code", "name_en"))


def streets_list() -> QuerySet[Street]:
    return Street.objects.annotate(n_communities=Count("communities")).order_by("code")


def halls_list(*, kind: str | None = None, street_id: int | None = None) -> QuerySet[Hall]:
    qs = Hall.objects.select_related("street").annotate(n_windows=Count("windows")).order_by("code")
    if kind:
        qs = qs.filter(kind=kind)
    if street_id:
        qs = qs.filter(street_id=street_id)
    return qs


def home_district() -> District | None:
    """The district this platform serves (the first by division code when several are loaded)."""
    return District.objects.order_by("code").first()


def district_halls() -> QuerySet[Hall]:
    return Hall.objects.filter(kind=Hall.Kind.DISTRICT).order_by("code")


def person_get(pk: int) -> Person | None:
    return Person.objects.filter(pk=pk).first()


def person_search(q: str, *, by_id: bool, limit: int = 20) -> QuerySet[Person]:
    """People by part of the name, or (``by_id``: only for staff who may, ``access_lookup_by_id``) by the
    whole resident ID number; an ID typed by anyone else finds no one."""
    q = (q or "").strip()
    if not q:
        return Person.objects.none()
    number = normalize_resident_id(q)
    if len(number) == 18 and number[:17].isascii() and number[:17].isdigit():
        return Person.objects.filter(id_number=number)[:limit] if by_id else Person.objects.none()
    return Person.objects.filter(name__contains=q).order_by("id")[:limit]


def person_by_resident_id(number: str) -> Person | None:
    """The registered person with this whole resident ID number (the caller has validated it)."""
    return Person.objects.filter(id_number=normalize_resident_id(number)).first() if number else None


def enterprise_get(pk: int) -> Enterprise | None:
    return Enterprise.objects.filter(pk=pk).first()


def enterprise_by_credit_code(code: str) -> Enterprise | None:
    code = normalize_uscc(code)
    return Enterprise.objects.filter(credit_code=code).first() if code else None


def hall_by_code(code: str) -> Hall | None:
    return Hall.objects.filter(code=code).first()


def hall_get(pk: int | None) -> Hall | None:
    return Hall.objects.filter(pk=pk).first() if pk else None


def result_halls() -> QuerySet[Hall]:
    """Halls a result may be collected at (district and street halls)."""
    return Hall.objects.filter(kind__in=[Hall.Kind.DISTRICT, Hall.Kind.STREET]).order_by("code")


def person_public(person: Person, *, unmasked_fields: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The API/page representation of a person: identifiers masked unless explicitly revealed."""
    birth = None
    try:
        birth = person.birth_date
    except Exception:
        birth = None
    return {
        "id": person.pk,
        "name": person.name,
        "id_number": person.id_number if "id_number" in unmasked_fields else person.masked_id,
        "mobile": person.mobile if "mobile" in unmasked_fields else person.masked_mobile,
        "birth_date": birth,
    }


def pending_code(code_id: Any, purpose: str) -> SignInCode | None:
    """The one-time code a page's session is waiting for, while it can still be used (docs/adr/0056)."""
    if not isinstance(code_id, int) or not 1 <= code_id <= 2**63 - 1:
        return None
    return SignInCode.objects.filter(
        pk=code_id, purpose=purpose, used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()


@dataclass(frozen=True)
class Letterhead:
    """What an office's official documents carry (docs/adr/0059): the issuing organ (its department, or the
    street's office), the 机关代字, the seal image and the remedies' reconsideration body and court."""

    organ: str
    document_code: str
    seal: bytes | None
    reconsideration_body: str
    court: str


def office_letterhead(office: Any) -> Letterhead:
    """The office's letterhead; what it leaves blank comes from the district (its people's government and
    people's court). The organ is the department as registered (its full name: 龙岗区民政局), or the street's
    office; an office of a vertically managed department names its own reconsideration body."""
    from django.utils.translation import gettext as _

    district = home_district()
    district_name = district.name if district is not None else ""
    if office.department is not None:
        organ = office.department.name
    elif office.street is not None:
        organ = _("%(street)s Sub-district Office") % {"street": office.street.name}
    else:
        organ = office.name
    seal = None
    if office.seal:
        try:
            with office.seal.open("rb") as f:
                seal = f.read()
        except OSError:
            seal = None  # a configured seal whose file is gone: the placeholder is printed
    return Letterhead(
        organ=organ,
        document_code=office.document_code or office.code,
        seal=seal,
        reconsideration_body=office.reconsideration_body
        or _("%(d)s People's Government") % {"d": district_name},
        court=office.court or _("%(d)s People's Court") % {"d": district_name},
    )
