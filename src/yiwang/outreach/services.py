"""Outreach writes: the default rule sets, a screening (one engine run per benefit, straight into visit
rows), a grid worker's visit outcome (applied on the resident's behalf files a real application), and the
resident register import (every bad row reported with its line, all or nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from stdnum.cn import ric

from yiwang.accounts.access import ensure
from yiwang.accounts.models import Community, Person
from yiwang.applications.services import application_receive_on_visit
from yiwang.audit.services import audit_record
from yiwang.catalogue import selectors as catalogue
from yiwang.core.errors import Conflict, NotFound, ServiceError
from yiwang.core.masking import mask_id
from yiwang.rules import selectors as rules
from yiwang.rules import services as engine

from .access import access_register, access_screening, access_visit
from .facts import KIND, benefits, conf
from .models import Resident, ResidentBenefit, Screening, Visit
from .rulesets import DEFAULTS

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.rules.models import RuleSetVersion

VISITS_SINK_COLUMNS = (
    ("run_id", "run"),
    ("resident_id", "subject_id"),
    ("street_id", "carry_street"),
    ("community_id", "carry_community"),
)


def rules_ensure(*, actor: User | None = None, on: date | None = None) -> dict[str, RuleSetVersion]:
    """Create and publish the default rule set of each configured benefit that has none yet."""
    out = {}
    district = conf()["district_hukou"]
    for code, b in benefits().items():
        rs = rules.ruleset_get(b["rule_set"])
        if rs is None:
            v = engine.ruleset_create(
                actor=actor,
                code=b["rule_set"],
                name=b["label"],
                subject_kind=KIND,
                owner="outreach",
                document=DEFAULTS[code](district),
                note=_("defaults"),
            )
            engine.version_publish(actor=actor, version=v, effective_from=date(2020, 1, 1))
            rs = v.rule_set
        version = rules.version_in_force(rs, on or timezone.localdate())
        if version is not None:
            out[code] = version
    return out


def _pilot(streets: list[str] | None) -> list[str]:
    pilot = list(conf()["pilot_streets"])
    chosen = streets or pilot
    outside = sorted(set(chosen) - set(pilot))
    if outside:
        raise ServiceError(
            _("Screening is limited to the pilot streets; not a pilot street: %(s)s")
            % {"s": ", ".join(outside)},
            fields={"streets": _("Not a pilot street.")},
        )
    return chosen


def screening_run(
    *, actor: User | None, purpose: str, streets: list[str] | None = None, on: date | None = None
) -> Screening:
    """Screen the pilot streets for every benefit: residents who qualify and are not yet listed become visit
    tasks for their community's grid worker. Audited with its purpose."""
    if actor is not None:
        ensure(access_screening(actor), user=actor, action="outreach.screening")
    if not purpose.strip():
        raise ServiceError(_("State the purpose of the screening."), fields={"purpose": _("Required.")})
    chosen = _pilot(streets)
    day = on or timezone.localdate()
    versions = rules_ensure(on=day)
    with transaction.atomic():
        screening = Screening.objects.create(
            purpose=purpose[:200], streets=chosen, started_at=timezone.now(), started_by=actor
        )
        figures: dict[str, Any] = {}
        screened = engine.subjects_in_scope(KIND, {"streets": chosen})  # once: every benefit screens them all
        for code, version in versions.items():
            sink = engine.Sink(
                Visit._meta.db_table,
                (
                    *VISITS_SINK_COLUMNS,
                    ("screening_id", ("const", screening.pk)),
                    ("benefit", ("const", code)),
                    ("outcome", ("const", Visit.Outcome.PENDING.value)),
                    ("attempts", ("const", 0)),
                    ("note", ("const", "")),
                ),
                label="outreach_visit",
            )
            run = engine.batch_run(
                actor=actor,
                spec=engine.BatchSpec(
                    version=version,
                    as_of=day,
                    purpose=f"outreach:{code}:{purpose}"[:200],
                    scope={"streets": chosen},
                    sink=sink,
                    subjects=screened,
                ),
            )
            figures[code] = {
                "run": run.pk,
                "version": version.number,
                "screened": run.subjects,
                "eligible": run.eligible,
            }
        screening.figures = figures
        screening.finished_at = timezone.now()
        screening.save(update_fields=["figures", "finished_at"])
        audit_record(
            actor=actor,
            action="outreach.screening",
            obj=screening,
            data={"purpose": screening.purpose, "streets": chosen, "figures": figures},
        )
    return screening


OUTCOMES = (
    Visit.Outcome.APPLIED,
    Visit.Outcome.DECLINED,
    Visit.Outcome.RETRY,
    Visit.Outcome.MOVED,
    Visit.Outcome.DECEASED,
)


def _person_for(resident: Resident) -> Person:
    if resident.person_id:
        return resident.person  # type: ignore[return-value]
    person = Person.objects.filter(id_number=resident.id_number).first()
    if person is None:
        person = Person(name=resident.name, id_number=resident.id_number, community_id=resident.community_id)
        person.full_clean(exclude=["mobile"])
        person.save()
    resident.person = person
    resident.save(update_fields=["person"])
    return person


def visit_record(*, actor: User, visit_id: int, outcome: str, note: str = "") -> Visit:
    """The grid worker records a visit. ``applied`` files the application with the grid worker as agent;
    ``moved``/``deceased`` update the register; ``retry`` keeps the task open."""
    visit = Visit.objects.select_related("resident").filter(pk=visit_id).first()
    if visit is None:
        raise NotFound(_("No such visit."))
    ensure(access_visit(actor, visit), user=actor, action="outreach.visit", visit=visit_id)
    if outcome not in OUTCOMES:
        raise ServiceError(_("Choose an outcome."), fields={"outcome": _("Not a valid outcome.")})
    with transaction.atomic():
        visit = Visit.objects.select_for_update().select_related("resident").get(pk=visit_id)
        if visit.outcome not in (Visit.Outcome.PENDING, Visit.Outcome.RETRY):
            raise Conflict(_("This visit is already closed."))
        resident = visit.resident
        if outcome == Visit.Outcome.APPLIED:
            item = catalogue.item_get(benefits()[visit.benefit]["item"])
            person = _person_for(resident)
            visit.case = application_receive_on_visit(
                actor=actor, item=item, person=person, purpose=f"outreach visit {visit.pk}"
            )
        elif outcome in (Visit.Outcome.MOVED, Visit.Outcome.DECEASED):
            resident.status = outcome
            resident.save(update_fields=["status"])
        visit.outcome = outcome
        visit.note = note[:200]
        visit.attempts += 1
        visit.visited_at = timezone.now()
        visit.visited_by = actor
        visit.save()
        audit_record(
            actor=actor,
            action="outreach.visit",
            obj=visit,
            data={
                "outcome": outcome,
                "benefit": visit.benefit,
                "case": visit.case.number if visit.case else "",
            },
        )
    return visit


def eligibility_view(*, actor: User, visit: Visit, purpose: str) -> list[tuple[str, Any]]:
    """A person's eligibility explained (each benefit), audited with its purpose — for the visit page."""
    ensure(access_visit(actor, visit), user=actor, action="outreach.eligibility.view", visit=visit.pk)
    day = timezone.localdate()
    out = []
    for b in benefits().values():
        rs = rules.ruleset_get(b["rule_set"])
        version = rules.version_in_force(rs, day) if rs else None
        if version is not None:
            out.append((b["label"], rules.explain_subject(version, visit.resident_id, as_of=day)))
    audit_record(
        actor=actor, action="outreach.eligibility.view", obj=visit.resident, data={"purpose": purpose[:200]}
    )
    return out


# --- the register ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResidentRow:
    line: int
    name: str
    id_number: str
    community: str
    hukou: str
    disability: str = ""
    benefits: tuple[str, ...] = ()


def _row_errors(row: ResidentRow, communities: dict[str, Community], known: set[str]) -> list[str]:
    errs = []
    if not row.name.strip():
        errs.append(_("name is empty"))
    if not ric.is_valid(row.id_number):
        errs.append(_("resident ID %(id)s is not valid (GB 11643)") % {"id": mask_id(row.id_number)})
    elif row.id_number in known:
        errs.append(_("resident ID %(id)s appears twice") % {"id": mask_id(row.id_number)})
    if row.community not in communities:
        errs.append(_("unknown community code %(c)s") % {"c": row.community})
    if not (len(row.hukou) == 6 and row.hukou.isdigit()):
        errs.append(_("household registration must be a 6-digit district code"))
    if row.disability not in ("", "1", "2", "3", "4"):
        errs.append(_("disability grade must be empty or 1–4"))
    bad = sorted(set(row.benefits) - set(benefits()))
    if bad:
        errs.append(_("unknown benefit %(b)s") % {"b": ", ".join(bad)})
    return errs


def residents_import(*, actor: User | None, rows: list[ResidentRow], progress: Any = None) -> int:
    """Validate every row, then import all of them in one transaction — or none, with every bad row's line
    and reason. Existing residents (same ID) are updated."""
    if actor is not None:
        ensure(access_register(actor), user=actor, action="outreach.import")
    communities = {c.code: c for c in Community.objects.select_related("street")}
    problems: list[str] = []
    seen: set[str] = set()
    for r in rows:
        errs = _row_errors(r, communities, seen)
        seen.add(r.id_number)
        if errs:
            problems.append(_("line %(n)d: %(e)s") % {"n": r.line, "e": "; ".join(errs)})
        if progress:
            progress(1)
    if problems:
        raise ServiceError(
            _("%(n)d rows are not valid; nothing was imported.") % {"n": len(problems)},
            code="rows_invalid",
            fields={"rows": "\n".join(problems)},
        )
    with transaction.atomic():
        for r in rows:
            c = communities[r.community]
            res = Resident.objects.filter(id_number=r.id_number).first() or Resident(id_number=r.id_number)
            res.name, res.id_masked = r.name.strip()[:60], mask_id(r.id_number)
            res.sex = "M" if int(r.id_number[16]) % 2 else "F"
            res.birth_date = ric.get_birth_date(r.id_number)
            res.hukou, res.street_id, res.community_id = r.hukou, c.street_id, c.pk
            res.disability = r.disability
            res.save()
            for b in r.benefits:
                ResidentBenefit.objects.get_or_create(
                    resident=res, benefit=b, defaults={"since": timezone.localdate()}
                )
        audit_record(
            actor=actor, action="outreach.import", object_type="outreach.resident", data={"rows": len(rows)}
        )
    return len(rows)


def screening_request(*, actor: User, purpose: str) -> None:
    """Start a screening in the background (audited now, with who asked and why)."""
    ensure(access_screening(actor), user=actor, action="outreach.screening")
    if not purpose.strip():
        raise ServiceError(_("State the purpose of the screening."), fields={"purpose": _("Required.")})
    from .tasks import run_screening

    with transaction.atomic():
        audit_record(actor=actor, action="outreach.screening.request", data={"purpose": purpose[:200]})
        transaction.on_commit(lambda: run_screening.enqueue(purpose[:200]))


@task()
def run_screening(purpose: str) -> int:
    """The screening as a background task (queued by ``screening_request`` or the ``outreach_screen`` command)."""
    return screening_run(actor=None, purpose=purpose).pk
