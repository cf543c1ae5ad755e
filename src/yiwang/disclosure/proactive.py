"""Proactive disclosure (主动公开): the items of the five disclosures and the key areas with their Art. 26 clock,
the register of normative documents (规范性文件, numbered per office and year) and policy interpretations
(政策解读). Writers only; the reads are in ``selectors`` (docs/adr/0135-proactive-disclosure.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import nh3
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.cases.numbering import next_document_number
from yiwang.core.errors import Conflict, NotFound, ServiceError
from yiwang.workdays.calendar import get_calendar

from .models import DisclosureItem, DisclosureRequest, Interpretation, NormativeDocument
from .vocabulary import (
    BODY_TAGS,
    COLUMNS,
    INTERPRETATION_FORMS,
    ITEM_ATTACHMENT_MAX_BYTES,
    ITEM_ATTACHMENT_TYPES,
    NORMATIVE_STATUSES,
    REMEDY_OUTCOMES,
    config,
)

if TYPE_CHECKING:
    from datetime import date

    from django.core.files.uploadedfile import UploadedFile

    from yiwang.accounts.models import Office, User


def _bad(name: str, message: str) -> ServiceError:
    return ServiceError(message, code="invalid", fields={name: message})


def clean_body(html: str) -> str:
    """The item's rich text with every tag, attribute and URL scheme outside the allowed set removed
    (scripts and their content, event handlers, ``javascript:`` links); links open safely."""
    return nh3.clean(
        html or "",
        tags=set(BODY_TAGS),
        attributes={"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        clean_content_tags={"script", "style"},
    ).strip()


def publish_by(formed_on: date) -> date:
    """Art. 26: the last day to make the information public, 20 working days after it was formed or changed."""
    return get_calendar().add_workdays(formed_on, int(config("item_publish_days")))


@dataclass(frozen=True)
class ItemInput:
    column: str
    title: str
    body: str
    formed_on: date | None = None
    publish: bool = False
    attachment: UploadedFile | None = None


def _item_check(data: ItemInput) -> str:
    if data.column not in COLUMNS:
        raise _bad("column", _("Not one of the allowed values."))
    if not data.title.strip():
        raise _bad("title", _("Required."))
    body = clean_body(data.body)
    if not body and data.attachment is None:
        raise _bad("body", _("Give the text or attach the document."))
    if data.formed_on is not None and data.formed_on > timezone.localdate():
        raise _bad("formed_on", _("Cannot be in the future."))
    f = data.attachment
    if f is not None:
        name = (f.name or "").lower()
        if not name.endswith(ITEM_ATTACHMENT_TYPES):
            raise _bad("attachment", _("Attach a PDF, OFD, Word, Excel, JPEG or PNG file."))
        if (f.size or 0) > ITEM_ATTACHMENT_MAX_BYTES:
            raise _bad("attachment", _("The file is larger than 20 MB."))
    return body


def _publish(item: DisclosureItem, today: date) -> None:
    item.public_title, item.public_body = item.title, item.body
    item.published_on = today
    item.first_published_on = item.first_published_on or today
    item.withdrawn_on = None
    item.pending = False


def item_save(
    *, actor: User | None, office: Office, data: ItemInput, item_id: int | None = None
) -> DisclosureItem:
    """Create an item, or record a change to one; the public keeps seeing the published text until the change
    is published. Either way the item's clock starts again from the day the information was formed or
    changed (``formed_on``, today when not given)."""
    body = _item_check(data)
    today = timezone.localdate()
    formed = data.formed_on or today
    with transaction.atomic():
        if item_id is None:
            item = DisclosureItem(office=office, created_by=actor if getattr(actor, "pk", None) else None)
        else:
            found = DisclosureItem.objects.select_for_update().filter(pk=item_id, office=office).first()
            if found is None:
                raise NotFound(_("No such item."))
            item = found
            item.version += 1
        item.column, item.title, item.body = data.column, data.title.strip()[:200], body
        item.formed_on, item.publish_by, item.pending = formed, publish_by(formed), True
        if data.attachment is not None:
            item.attachment_name = (data.attachment.name or "")[-200:]
            item.attachment.save(item.attachment_name, data.attachment, save=False)
        if data.publish:
            _publish(item, today)
        item.save()
        audit_record(
            actor=actor,
            action="disclosure.item_create" if item_id is None else "disclosure.item_change",
            obj=item,
            data={"column": item.column, "version": item.version, "published": data.publish},
        )
    return item


def item_publish(*, actor: User | None, office: Office, item_id: int) -> DisclosureItem:
    with transaction.atomic():
        item = DisclosureItem.objects.select_for_update().filter(pk=item_id, office=office).first()
        if item is None:
            raise NotFound(_("No such item."))
        if not item.pending:
            raise Conflict(_("This version is already published."), code="published")
        today = timezone.localdate()
        late = today > item.publish_by
        _publish(item, today)
        item.save()
        audit_record(
            actor=actor,
            action="disclosure.item_publish",
            obj=item,
            data={"version": item.version, "publish_by": item.publish_by.isoformat(), "late": late},
        )
    return item


def item_withdraw(*, actor: User | None, office: Office, item_id: int, reason: str) -> DisclosureItem:
    if not (reason or "").strip():
        raise _bad("reason", _("Give a reason."))
    with transaction.atomic():
        item = DisclosureItem.objects.select_for_update().filter(pk=item_id, office=office).first()
        if item is None:
            raise NotFound(_("No such item."))
        if item.published_on is None or item.withdrawn_on is not None:
            raise Conflict(_("This item is not public."), code="not_public")
        item.withdrawn_on = timezone.localdate()
        item.save(update_fields=["withdrawn_on", "updated_at"])
        audit_record(
            actor=actor, action="disclosure.item_withdraw", obj=item, data={"reason": reason.strip()}
        )
    return item


@dataclass(frozen=True)
class NormativeInput:
    title: str
    body: str
    issued_on: date
    effective_on: date | None = None
    expires_on: date | None = None


def normative_register(*, actor: User | None, office: Office, data: NormativeInput) -> NormativeDocument:
    """Register a normative document and give it the office's next number of the year (统一登记、统一编号)."""
    if not data.title.strip():
        raise _bad("title", _("Required."))
    if not data.body.strip():
        raise _bad("body", _("Required."))
    effective = data.effective_on or data.issued_on
    if effective < data.issued_on:
        raise _bad("effective_on", _("Cannot be before the day of issue."))
    if data.expires_on is not None and data.expires_on <= effective:
        raise _bad("expires_on", _("Must be after the day it comes into force."))
    with transaction.atomic():
        number = next_document_number(
            office=office,
            year=data.issued_on.year,
            doc_type="normative",
            abbreviation=str(config("normative_abbreviation")),
        )
        doc = NormativeDocument.objects.create(
            office=office,
            year=data.issued_on.year,
            number=number[:40],
            title=data.title.strip()[:200],
            body=data.body.strip(),
            issued_on=data.issued_on,
            effective_on=effective,
            expires_on=data.expires_on,
            registered_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(actor=actor, action="disclosure.normative_register", obj=doc, data={"number": number})
    return doc


def normative_status(
    *, actor: User | None, office: Office, document_id: int, status: str, on: date | None, note: str
) -> NormativeDocument:
    """Record that a document was amended or repealed (or is in force again after a review), with the date."""
    if status not in NORMATIVE_STATUSES:
        raise _bad("status", _("Not one of the allowed values."))
    if status != "in_force" and not (note or "").strip():
        raise _bad("note", _("Say what amended or repealed it."))
    with transaction.atomic():
        doc = NormativeDocument.objects.select_for_update().filter(pk=document_id, office=office).first()
        if doc is None:
            raise NotFound(_("No such document."))
        if doc.status == status:
            raise Conflict(_("The document already has this status."), code="same_status")
        day = on or timezone.localdate()
        if day < doc.issued_on:
            raise _bad("on", _("Cannot be before the day of issue."))
        before = doc.status
        doc.status, doc.status_on, doc.status_note = status, day, (note or "").strip()[:300]
        doc.save(update_fields=["status", "status_on", "status_note"])
        audit_record(
            actor=actor,
            action="disclosure.normative_status",
            obj=doc,
            data={"from": before, "to": status, "on": day.isoformat()},
        )
    return doc


@dataclass(frozen=True)
class InterpretationInput:
    title: str
    form: str
    body: str = ""
    link: str = ""
    document_id: int | None = None
    policy_title: str = ""
    published_on: date | None = None


def interpretation_publish(
    *, actor: User | None, office: Office, data: InterpretationInput
) -> Interpretation:
    """Publish an interpretation of a normative document (统一解读) or of another policy named by title."""
    if not data.title.strip():
        raise _bad("title", _("Required."))
    if data.form not in INTERPRETATION_FORMS:
        raise _bad("form", _("Not one of the allowed values."))
    if data.form == "video" and not data.link:
        raise _bad("link", _("Give the link to the video."))
    if data.form != "video" and not data.body.strip():
        raise _bad("body", _("Required."))
    doc = None
    if data.document_id is not None:
        doc = NormativeDocument.objects.filter(pk=data.document_id).first()
        if doc is None:
            raise _bad("document", _("No such normative document."))
    elif not data.policy_title.strip():
        raise _bad("policy_title", _("Name the document or policy interpreted."))
    day = data.published_on or timezone.localdate()
    if day > timezone.localdate():
        raise _bad("published_on", _("Cannot be in the future."))
    with transaction.atomic():
        row = Interpretation.objects.create(
            title=data.title.strip()[:200],
            form=data.form,
            body=data.body.strip(),
            link=data.link[:300],
            document=doc,
            policy_title=("" if doc else data.policy_title.strip())[:200],
            office=office,
            published_on=day,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(
            actor=actor,
            action="disclosure.interpretation_publish",
            obj=row,
            data={"document": doc.number if doc else "", "form": row.form},
        )
    return row


def request_remedy(*, actor: User | None, case_id: int, reconsideration: str, litigation: str) -> None:
    """Record what became of an administrative reconsideration or lawsuit against a reply (the annual
    report's table 4). "" means none was brought."""
    valid = {"", *REMEDY_OUTCOMES}
    for name, value in (("reconsideration", reconsideration), ("litigation", litigation)):
        if value not in valid:
            raise _bad(name, _("Not one of the allowed values."))
    with transaction.atomic():
        row = DisclosureRequest.objects.select_for_update().filter(pk=case_id).first()
        if row is None:
            raise NotFound(_("No such request."))
        if row.replied_on is None:
            raise Conflict(_("The request has not been replied to."), code="not_replied")
        row.reconsideration, row.litigation = reconsideration, litigation
        row.save(update_fields=["reconsideration", "litigation"])
        audit_record(
            actor=actor,
            action="disclosure.request_remedy",
            object_type="cases.case",
            object_id=case_id,
            data={"reconsideration": reconsideration, "litigation": litigation},
        )
