"""Demo e-licences: the licensing items with the most approved demo cases issue a licence type each; the
licences owed for their approved cases are issued today through the licences services (the register is
new: the audit chain runs forward in time, so nothing is back-dated; each licence is valid from the day
after its decision), except the two oldest, left pending and overdue on the issuing desk; a few are then
changed (变更), one is revoked (吊销); the demo resident gets one of their own; and several other items of
the same departments accept those licences as materials (a new published version of each). Idempotent: a
second run changes nothing."""

from __future__ import annotations

import contextlib
import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.utils import timezone
from stdnum.cn import uscc

from yiwang.accounts.models import Department, Person, RoleGrant, User
from yiwang.applications import services as apps
from yiwang.cases.models import Case, CaseEvent
from yiwang.catalogue import selectors as catalogue
from yiwang.catalogue.models import Item, Material
from yiwang.catalogue.services import item_publish
from yiwang.core.errors import ServiceError
from yiwang.licences import services
from yiwang.licences.models import Issuance, Licence, LicenceType

if TYPE_CHECKING:
    from yiwang.accounts.models import Office
    from yiwang.demo.context import DemoContext

TYPES = 4  # licence-issuing items
LEFT_PENDING = 2  # the oldest decisions left without their licence: overdue on the desk
REUSING_ITEMS = 4
APPROVED = ("approved", "result_ready", "delivered", "closed")


def _credit_code(dept: Department) -> str:
    digits = re.sub(r"[^0-9]", "", dept.code)[-6:].rjust(6, "0")
    body = f"11440307{digits}MB3"[:17].ljust(17, "0")
    return body + uscc.calc_check_digit(body)


def _staff(office: Office, role: str) -> User | None:
    grant = (
        RoleGrant.objects.filter(role=role, user__office=office, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    return grant.user if grant is not None else None


def _issuing_items() -> list[Item]:
    """The licensing items with the most approved cases, those of the demo reviewer's office first (so the
    demo logins see the issuing desk, overdue issuances included, and the register)."""
    approved = CaseEvent.objects.filter(
        action="approve",
        case__kind="application",
        case__status__in=APPROVED,
        case__parent__isnull=True,  # the history's own cases, not a construction project's items
    )
    counts = (
        Item.objects.filter(item_type="01", applications__case__in=approved.values("case"))
        .annotate(n=Count("applications"))
        .order_by("-n", "code")
    )
    reviewer = User.objects.filter(username="reviewer").first()
    office = reviewer.office_id if reviewer is not None else None
    ranked: list[Item] = list(counts)
    own = [i for i in ranked if i.office_id == office][:2]
    chosen = (own + [i for i in ranked if i.office_id != office])[:TYPES]
    # The demo resident gets a licence of their own: one of the types must be one a person may apply for.
    if chosen and not any(_for_persons(i) for i in chosen):
        person_item = next((i for i in ranked if _for_persons(i)), None)
        if person_item is not None:
            chosen[-1] = person_item
    return chosen


def _for_persons(item: Item) -> bool:
    return "1" in item.service_object_codes


def _licence_type(ctx: DemoContext, item: Item) -> LicenceType:
    code = "LT" + re.sub(r"[^0-9A-Z]", "", item.code.upper())
    ltype = LicenceType.objects.filter(code=code).first()
    if ltype is None:
        name = item.result_name if item.result_name and "证" in item.result_name else f"{item.name}许可证"
        ltype = LicenceType.objects.create(
            code=code,
            name=name[:120],
            fields=[
                {"key": "scope", "label": "许可范围", "required": True},
                {"key": "address", "label": "地址", "required": False},
            ],
            sample={"scope": f"{item.name}（样本）", "address": "深圳市龙岗区龙城街道1号"},
            validity_years=5,
        )
        ctx.count("licence types")
    ltype.items.add(item)
    if item.department.credit_code == "":
        Department.objects.filter(pk=item.department_id).update(credit_code=_credit_code(item.department))
    return ltype


def _issue(ctx: DemoContext, case: Case, item: Item, *, pending: bool) -> Licence | None:
    existing = Issuance.objects.filter(case=case).first()
    issuance = existing or services.issuance_open(case_id=case.pk)
    if issuance is None:
        return None
    ctx.count("licence issuances", int(existing is None))
    if pending or issuance.state == Issuance.State.ISSUED:
        return None
    decided = case.decided_on or timezone.localdate()
    licence = services.licence_issue(
        actor=None,
        issuance_id=issuance.pk,
        fields={"scope": item.name, "address": ""},
        valid_from=min(decided + timedelta(days=1), timezone.localdate()),
    )
    ctx.count("licences issued")
    return licence


def _history(ctx: DemoContext, licences: list[Licence]) -> None:
    """Every fourth licence changed (变更) by a reviewer of its office; one revoked by a supervisor."""
    for n, lic in enumerate(licences):
        reviewer = _staff(lic.issuer_office, "reviewer")
        if n % 4 == 1 and reviewer is not None and lic.version == 1:
            with contextlib.suppress(ServiceError, PermissionDenied):
                services.licence_change(
                    actor=reviewer,
                    licence_id=lic.pk,
                    fields={"address": "深圳市龙岗区龙城街道清林路2号"},
                    reason="经营地址变更",
                )
                ctx.count("licences changed")
    if Licence.objects.filter(status="revoked").exists():
        return
    for lic in licences[2:]:
        supervisor = _staff(lic.issuer_office, "supervisor")
        if supervisor is not None and lic.status == "active":
            services.licence_status_change(
                actor=supervisor, licence_id=lic.pk, event="revoke", reason="以欺骗手段取得许可，依法撤销"
            )
            ctx.count("licences revoked")
            return


def _reusing_items(ctx: DemoContext, types: list[LicenceType], issuing: list[Item]) -> None:
    """Other licensing items of the same departments ask for the licence, obtained from the e-licence."""
    done = 0
    for ltype in types:
        item0 = ltype.items.order_by("code").first()
        if item0 is None:
            continue
        others = (
            catalogue.published_items()
            .filter(department=item0.department, item_type="01")
            .exclude(pk__in=[i.pk for i in issuing])
            .order_by("code")
        )
        for item in others[:1]:
            if not item.materials.filter(source="elicence", source_note=ltype.code).exists():
                last = item.materials.aggregate(m=Max("position"))["m"] or 0
                Material.objects.create(
                    item=item,
                    position=last + 1,
                    name=ltype.name,
                    kind=Material.Kind.REQUIRED,
                    originals=0,
                    copies=0,
                    medium=Material.Medium.ELECTRONIC,
                    source=Material.Source.ELICENCE,
                    source_note=ltype.code,
                )
                item.draft_changed = True
                item.save(update_fields=["draft_changed"])
                with contextlib.suppress(ServiceError):
                    item_publish(actor=None, item=item, note="接受电子证照作为申请材料")
                    ctx.count("items accepting licences as materials")
            done += 1
        if done >= REUSING_ITEMS:
            return


def _resident(ctx: DemoContext, ltype: LicenceType, item: Item) -> None:
    """The demo resident's own licence, walked through the real services today."""
    resident = User.objects.filter(username="resident").first()
    clerk = User.objects.filter(username="clerk").first()
    if resident is None or clerk is None or clerk.hall is None:
        return
    person = Person.objects.filter(user=resident).first()
    if person is None or Licence.objects.filter(holder_person=person).exists():
        return
    office = (
        catalogue.item_office_for_hall(item, clerk.hall)
        if catalogue.hall_accepts_item(clerk.hall, item)
        else None
    )
    reviewer = _staff(office, "reviewer") if office is not None else None
    if office is None or reviewer is None:
        return
    codes = [
        f"{item.code}-M{m.position:02d}" for m in item.materials.filter(kind="required", source="applicant")
    ]
    try:
        case = apps.application_receive(actor=clerk, item=item, person=person, provided=codes)
        apps.application_accept(actor=clerk, case_id=case.pk)
        apps.application_start_review(actor=reviewer, case_id=case.pk)
        case = apps.application_approve(actor=reviewer, case_id=case.pk)
    except (ServiceError, PermissionDenied) as exc:
        ctx.out(f"licences: the resident's demo licence was not made: {exc}")
        return
    issuance = services.issuance_open(case_id=case.pk)
    if issuance is not None:
        services.licence_issue(actor=reviewer, issuance_id=issuance.pk, fields={"scope": item.name})
        ctx.count("licences issued")


def load(ctx: DemoContext) -> None:
    issuing = _issuing_items()
    if not issuing:
        ctx.out("licences: skipped, no approved demo cases")
        return
    task = ctx.progress.add_task("licences", total=len(issuing))
    types: list[LicenceType] = []
    made: list[Licence] = []
    for item in issuing:
        ltype = _licence_type(ctx, item)
        types.append(ltype)
        cases: Any = (
            Case.objects.filter(application__item=item, status__in=APPROVED, events__action="approve")
            .distinct()
            .order_by("decided_on", "pk")
        )
        for n, case in enumerate(cases):
            lic = _issue(ctx, case, item, pending=item is issuing[0] and n < LEFT_PENDING)
            if lic is not None:
                made.append(lic)
        ctx.progress.advance(task)
    _history(ctx, made)
    _reusing_items(ctx, types, issuing)
    mine = next(((t, i) for t, i in zip(types, issuing, strict=True) if _for_persons(i)), None)
    if mine is not None:
        _resident(ctx, *mine)
    else:
        ctx.out(
            "licences: the resident's demo licence was not made: no licensing item a person may apply for"
        )
