"""双公示 of licensing decisions: every application approved in ``applications/`` is published
automatically, from the kernel's post-commit ``CaseTransitioned`` event (the applications workflow is
not touched). Only items of type 01 (行政许可) are licences."""

from __future__ import annotations

from django.utils import timezone

from yiwang.applications.selectors import application_get
from yiwang.cases.events import CaseTransitioned, subscribe

from .publications import PublicationInput, publication_publish

LICENSING = "01"


def licence_publication(case_id: int) -> PublicationInput | None:
    """The publication of an approved application, or None when it is not a licence."""
    case = application_get(case_id)
    if case is None or not hasattr(case, "application"):
        return None
    item = case.application.item
    if item.item_type != LICENSING:
        return None
    natural = case.applicant_enterprise is None
    name = case.applicant_person.name if natural and case.applicant_person else ""
    if not natural and case.applicant_enterprise is not None:
        name = case.applicant_enterprise.name
    return PublicationInput(
        kind="licence",
        source_key=f"licence:{case.pk}",
        decision_number=case.number or "",
        title=item.name,
        party_kind="natural" if natural else "legal",
        party_name=name or "—",
        office=case.owning_office,
        decided_on=case.decided_on or timezone.localdate(),
        credit_code=case.applicant_enterprise.credit_code if case.applicant_enterprise else "",
        id_number=case.applicant_person.id_number if natural and case.applicant_person else "",
        content=item.name,
        basis=item.implementing_body,
    )


@subscribe(kind="application", action="approve")
def publish_licence(event: CaseTransitioned) -> None:
    data = licence_publication(event.case_id)
    if data is not None:
        publication_publish(actor=None, data=data)
