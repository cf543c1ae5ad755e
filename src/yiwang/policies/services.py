"""Calculator writes: create a policy (with its rule set), save and publish its rules (publishing lists the
qualifying enterprises for the department), notify them through the outbox, count visits and matches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Case, F, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.access import ensure
from yiwang.accounts.models import AgentAuthorization
from yiwang.audit.services import audit_record
from yiwang.core.errors import Conflict, ServiceError
from yiwang.notifications.services import notification_queue
from yiwang.rules import selectors as rules
from yiwang.rules import services as engine

from .access import access_policy_edit
from .facts import KIND
from .models import CalculatorVisit, Policy, PolicyNotice, PolicyStat

if TYPE_CHECKING:
    from datetime import date

    from yiwang.accounts.models import Department, User
    from yiwang.catalogue.models import Item
    from yiwang.rules.models import RuleSetVersion

    from .selectors import Calculation


@dataclass(frozen=True)
class PolicyInput:
    code: str
    name: str
    category: str
    department: Department
    source_document: str
    document: Any
    opens_on: date
    closes_on: date
    item: Item | None = None
    summary: str = ""
    name_en: str = ""


def policy_create(*, actor: User | None, data: PolicyInput, publish: bool = False) -> Policy:
    if actor is not None:
        ensure(access_policy_edit(actor), user=actor, action="policies.create")
    errors = {}
    if not data.source_document.strip():
        errors["source_document"] = _("Name the legal source document of the policy.")
    if data.closes_on < data.opens_on:
        errors["closes_on"] = _("The window closes before it opens.")
    if errors:
        raise ServiceError(next(iter(errors.values())), fields=errors)
    with transaction.atomic():
        v = engine.ruleset_create(
            actor=actor,
            code=f"policy.{data.code}",
            name=data.name,
            subject_kind=KIND,
            owner="policies",
            document=data.document,
        )
        p = Policy.objects.create(
            code=data.code,
            name=data.name,
            name_en=data.name_en,
            category=data.category,
            department=data.department,
            source_document=data.source_document.strip(),
            summary=data.summary,
            rule_set=v.rule_set,
            item=data.item,
            opens_on=data.opens_on,
            closes_on=data.closes_on,
        )
        audit_record(actor=actor, action="policies.create", obj=p, data={"code": p.code})
        if publish:
            engine.version_publish(actor=actor, version=v, effective_from=data.opens_on)
    return p


def rules_save(
    *, actor: User, policy: Policy, document: Any, effective_from: date | None = None, note: str = ""
) -> RuleSetVersion:
    ensure(access_policy_edit(actor), user=actor, action="policies.rules_save", policy=policy.code)
    return engine.draft_save(
        actor=actor, rule_set=policy.rule_set, document=document, effective_from=effective_from, note=note
    )


def rules_publish(*, actor: User, policy: Policy, effective_from: date | None = None) -> PolicyNotice:
    """Publish the draft and list the enterprises that qualify under it, for the department."""
    ensure(access_policy_edit(actor), user=actor, action="policies.publish", policy=policy.code)
    draft = rules.draft_of(policy.rule_set)
    if draft is None:
        raise Conflict(_("There is no draft to publish."))
    with transaction.atomic():
        v = engine.version_publish(actor=actor, version=draft, effective_from=effective_from)
        run = engine.batch_run(
            actor=actor,
            spec=engine.BatchSpec(
                version=v,
                as_of=v.effective_from or timezone.localdate(),
                purpose=f"policy:{policy.code}:publish",
            ),
        )
        notice = PolicyNotice.objects.create(policy=policy, run=run)
    return notice


def qualifying_notify(*, actor: User, notice: PolicyNotice) -> int:
    """Tell every qualifying enterprise's representatives (platform inbox) once."""
    ensure(access_policy_edit(actor), user=actor, action="policies.notify", notice=notice.pk)
    if notice.notified_at is not None:
        raise Conflict(_("These enterprises have already been notified."))
    ids = list(rules.run_results(notice.run).values_list("subject_id", flat=True))
    today = timezone.localdate()
    agents = AgentAuthorization.objects.filter(
        enterprise_id__in=ids, revoked=False, valid_from__lte=today, person__user__isnull=False
    ).select_related("person__user", "enterprise")
    link = reverse("policies:calculator")
    n = 0
    with transaction.atomic():
        for a in agents:
            if a.valid_until and a.valid_until < today:
                continue
            queued = notification_queue(
                recipient=a.person.user,
                subject=_("%(e)s may claim: %(p)s") % {"e": a.enterprise.name, "p": notice.policy.name},
                body=_("According to the published conditions, %(e)s qualifies for %(p)s. Apply by %(d)s.")
                % {"e": a.enterprise.name, "p": notice.policy.name, "d": notice.policy.closes_on},
                link=link,
                obj=notice.policy,
                dedupe_key=f"policy-notice:{notice.pk}:{a.pk}",
            )
            n += queued is not None
        PolicyNotice.objects.filter(pk=notice.pk).update(notified_at=timezone.now(), notified=n)
        audit_record(
            actor=actor, action="policies.notify", obj=notice.policy, data={"notice": notice.pk, "sent": n}
        )
    return n


def visit_count(calc: Calculation, *, on: date | None = None) -> None:
    """A calculator visit: one more visit for each policy shown, one more match for each it found. Four
    statements however many policies are shown: the day's rows made where missing, then incremented in place
    (concurrent visits add up; none is lost)."""
    day = on or timezone.localdate()
    shown = {r.policy.pk for r in (*calc.eligible, *calc.near, *calc.undecided)}
    matched = [r.policy.pk for r in calc.eligible]
    with transaction.atomic():
        CalculatorVisit.objects.bulk_create([CalculatorVisit(day=day)], ignore_conflicts=True)
        CalculatorVisit.objects.filter(day=day).update(visits=F("visits") + 1)
        if not shown:
            return
        PolicyStat.objects.bulk_create(
            [PolicyStat(policy_id=pk, day=day) for pk in sorted(shown)], ignore_conflicts=True
        )
        PolicyStat.objects.filter(day=day, policy_id__in=shown).update(
            visits=F("visits") + 1,
            matches=F("matches") + Case(When(policy_id__in=matched, then=Value(1)), default=Value(0)),
        )
