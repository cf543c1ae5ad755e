"""The lists derived by the published rules (one statement per rule), credit repair, rule changes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import credit_code, resident_id
from yiwang.core.errors import Conflict, ServiceError
from yiwang.credit import selectors
from yiwang.credit import services as s
from yiwang.credit.models import ListEntry, Record, Repair, Subject

from .builders import csv_text, load, row

pytestmark = pytest.mark.django_db
RED_CO, BLACK_CO, BOTH_CO, WHITE_CO, OLD_CO = (credit_code(n) for n in (601, 602, 603, 604, 605))
PERSON = resident_id("19750505", 21)


def _load_all() -> None:
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    load(
        csv_text(
            row(RED_CO, "tax_a", "1"),
            row(BLACK_CO, "safety_black", "2"),
            row(BOTH_CO, "tax_a", "3"),
            row(BOTH_CO, "procurement_ban", "4"),
            row(WHITE_CO, "mr_abnormal", "5"),
            row(WHITE_CO, "social_arrears", "6", sev=2),  # below the rule's severity 3
            row(OLD_CO, "tax_d", "7", decided="2020-01-01", until=yesterday),  # validity over
            row(PERSON, "social_arrears", "8", sev=3),
        )
    )


def test_each_list_is_derived_by_its_rule() -> None:
    _load_all()
    got = {k: selectors.standing_for_key(k).list for k in (RED_CO, BLACK_CO, BOTH_CO, WHITE_CO, OLD_CO)}
    assert got == {RED_CO: "red", BLACK_CO: "black", BOTH_CO: "black", WHITE_CO: "white", OLD_CO: "white"}
    person_key = Subject.objects.get(kind="P").key
    st = selectors.standing_for_key(person_key)
    assert st.list == "black" and [r.rule for r in st.reasons] == ["black-social-arrears"]
    both = selectors.standing_for_key(BOTH_CO)
    assert [r.category for r in both.reasons] == ["procurement_ban"]  # the reasons of the list that applies
    assert dict(Subject.objects.values_list("key", "standing"))[BOTH_CO] == "black"
    assert dict(Subject.objects.values_list("key", "standing"))[WHITE_CO] == "white"
    assert ListEntry.objects.count() == 5


def test_an_entry_stops_counting_when_its_validity_ends_even_before_the_next_derivation() -> None:
    today = timezone.localdate()
    load(
        csv_text(
            row(
                RED_CO, "tax_a", "1", decided=(today - timedelta(days=3)).isoformat(), until=today.isoformat()
            )
        )
    )
    assert selectors.standing_for_key(RED_CO).list == "red"
    assert selectors.standing_for_key(RED_CO, on=today + timedelta(days=1)).list == "white"


def test_a_rule_switched_off_takes_its_subjects_off_the_list(world: Any) -> None:
    _load_all()
    s.credit_rule_update(actor=world.users["credit_officer"], code="black-work-safety", active=False)
    assert selectors.standing_for_key(BLACK_CO).list == "white"
    s.credit_rule_update(actor=world.users["credit_officer"], code="black-social-arrears", min_severity=2)
    assert selectors.standing_for_key(WHITE_CO).list == "black"


def test_credit_repair_ends_the_black_mark_and_needs_a_decision_reference(world: Any) -> None:
    _load_all()
    officer = world.users["credit_officer"]
    rec = Record.objects.get(source_record_id="2")
    with pytest.raises(ServiceError) as err:
        s.credit_repair(actor=officer, record_id=rec.pk, decision_reference="  ", decided_on=date(2026, 1, 5))
    assert set(err.value.fields) == {"decision_reference"}
    assert not Repair.objects.exists()
    s.credit_repair(
        actor=officer, record_id=rec.pk, decision_reference="修复〔2026〕3号", decided_on=date(2026, 1, 5)
    )
    assert selectors.standing_for_key(BLACK_CO).list == "white"
    assert dict(Subject.objects.values_list("key", "standing"))[BLACK_CO] == "white"
    with pytest.raises(Conflict):
        s.credit_repair(actor=officer, record_id=rec.pk, decision_reference="x", decided_on=date(2026, 1, 5))
    red = Record.objects.get(source_record_id="1")
    with pytest.raises(Conflict, match="黑名单"):
        s.credit_repair(actor=officer, record_id=red.pk, decision_reference="x", decided_on=date(2026, 1, 5))
    # a later full derivation keeps the repair
    s.credit_derive()
    assert selectors.standing_for_key(BLACK_CO).list == "white"
