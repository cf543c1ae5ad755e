"""Licences as materials ("let data run instead of people", C19): a material the catalogue declares as
obtained from an e-licence (``source = elicence``, ``source_note`` naming the licence type) is offered, on
the online form and at the window, as the applicant's current licence instead of an upload. The case
records the licence version used; acceptance checks it again (a revoked licence is refused)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.access import ensure
from yiwang.audit.services import audit_record
from yiwang.cases.access import access_case_act
from yiwang.cases.models import Case
from yiwang.cases.services import case_event_add, case_lock
from yiwang.catalogue import selectors as catalogue
from yiwang.core.errors import Conflict, NotFound, ServiceError
from yiwang.licences import selectors as licences
from yiwang.licences import services as licence_services
from yiwang.licences import workflow as licence_wf

from .. import workflow as wf
from ..models import Application, ApplicationMaterial
from .common import app_of

if TYPE_CHECKING:
    from yiwang.accounts.models import Enterprise, Person, User
    from yiwang.catalogue.models import ItemVersion
    from yiwang.licences.models import LicenceVersion


def licence_materials_wanted(version: ItemVersion) -> dict[str, str]:
    """Material code → licence type code, for the version's materials obtained from one of our licences."""
    out = {}
    for spec in catalogue.item_materials(version):
        if spec.source == "elicence":
            ltype = licences.type_for_material(spec.source_note)
            if ltype is not None:
                out[spec.code] = ltype.code
    return out


def reception_licence_offers(
    version: ItemVersion, *, person: Person | None, enterprise: Enterprise | None
) -> dict[str, list[LicenceVersion]]:
    """On the reception screen, before the case exists: material code → the applicant's current licences."""
    wanted = licence_materials_wanted(version)
    offers = licences.licence_offers(person=person, enterprise=enterprise, wanted=wanted) if wanted else {}
    return {code: found for code, found in offers.items() if found}


def licence_offers(case: Case, app: Application) -> list[dict[str, object]]:
    """For the pages: each material a licence may satisfy, the applicant's current licences for it and the
    version already used."""
    wanted = licence_materials_wanted(app.item_version)
    if not wanted:
        return []
    offers = licences.licence_offers(
        person=case.applicant_person, enterprise=case.applicant_enterprise, wanted=wanted
    )
    used = licences.material_uses(case.pk)
    names = {m.code: m.name for m in app.materials.all()}
    return [
        {
            "code": code,
            "name": names.get(code, code),
            "versions": offers.get(code, []),
            "used": used.get(code),
        }
        for code in wanted
        if code in names
    ]


def _check_version(case: Case, version: LicenceVersion | None, type_code: str) -> LicenceVersion:
    holder_ok = version is not None and (
        (
            case.applicant_enterprise_id is not None
            and version.licence.holder_enterprise_id == case.applicant_enterprise_id
        )
        or (
            case.applicant_enterprise_id is None
            and version.licence.holder_person_id == case.applicant_person_id
        )
    )
    if version is None or not holder_ok or version.licence.type.code != type_code:
        raise ServiceError(
            _("This is not a licence of the applicant for this material."),
            code="not_holders_licence",
            fields={"licence": _("Choose one of the applicant's licences.")},
        )
    lic = version.licence
    if lic.status != licence_wf.ACTIVE or version.version != lic.version:
        state = (
            licence_wf.STATUSES[lic.status]
            if lic.status != licence_wf.ACTIVE
            else _("replaced by a later version")
        )
        raise Conflict(
            _("The licence %(id)s is %(state)s: it cannot be used; upload the material instead.")
            % {"id": version.identifier, "state": state},
            code="licence_not_current",
        )
    if lic.valid_to is not None and lic.valid_to < timezone.localdate():
        raise Conflict(
            _("The licence %(id)s has expired: upload the material instead.") % {"id": version.identifier},
            code="licence_expired",
        )
    return version


def application_use_licence(
    *, actor: User, case_id: int, material_code: str, licence_version_id: int
) -> Case:
    """Satisfy a material with the applicant's current licence (the applicant on a draft, the clerk or the
    applicant before acceptance)."""
    case = Case.objects.filter(pk=case_id, kind=wf.KIND).first()
    if case is None:
        raise NotFound(_("No such application."))
    as_applicant = access_case_act(actor, case, wf.APPLICANT)
    as_clerk = access_case_act(actor, case, wf.CLERK)
    ensure(as_applicant or as_clerk, user=actor, action="application.use_licence", obj=case)
    with transaction.atomic():
        case = case_lock(case_id)
        if case.status != "draft" and case.status not in wf.PRE_ACCEPT:
            raise Conflict(_("Materials can no longer be changed."), code="not_allowed")
        app = app_of(case)
        type_code = licence_materials_wanted(app.item_version).get(material_code)
        m = (
            app.materials.filter(code=material_code)
            .exclude(state=ApplicationMaterial.State.NOT_APPLICABLE)
            .first()
        )
        if type_code is None or m is None:
            raise ServiceError(
                _("This material cannot be supplied by a licence."),
                code="not_a_licence_material",
                fields={"material": _("Unknown material.")},
            )
        version = _check_version(case, licences.version_by_id(licence_version_id), type_code)
        channel = "online" if case.channel == Case.Channel.ONLINE else "window"
        licence_services.licence_material_use(
            case=case, material_code=material_code, licence_version=version, channel=channel
        )
        m.state, m.problem, m.supplied_at = ApplicationMaterial.State.PROVIDED, "", timezone.now()
        m.save(update_fields=["state", "problem", "supplied_at"])
        case.version += 1
        case.save()
        case_event_add(
            case=case,
            actor=actor,
            action="use_licence",
            data={"material": material_code, "licence": version.identifier},
        )
        audit_record(
            actor=actor,
            action="application.use_licence",
            obj=case,
            data={"material": material_code, "licence": version.identifier, "channel": channel},
        )
    return case


def check_licences_at_acceptance(case: Case) -> None:
    """Inside the acceptance's transaction: every licence used must still be current (refused otherwise,
    with the licence named, and nothing saved)."""
    problems = licence_services.licence_uses_check(case=case)
    if problems:
        raise Conflict(
            _("Cannot accept: %(problems)s. Ask for the material instead.")
            % {"problems": "; ".join(problems)},
            code="licence_not_current",
        )
