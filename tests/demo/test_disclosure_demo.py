"""The demo's 2019 disclosure year (docs/capabilities.md C18) and the annual report's figures from it: 125
requests with every reply type (21 from one foundation), 8,224 licence and 6,626 penalty publications."""

from __future__ import annotations

import time

import pytest
from django.db.models import F
from django.utils import translation

from yiwang.demo.loaders import accounts
from yiwang.demo.loaders import disclosure as disclosure_demo
from yiwang.disclosure import report, selectors
from yiwang.disclosure.models import DisclosureItem, DisclosureRequest, Publication
from yiwang.disclosure.vocabulary import REPLY_TYPES

from .helpers import demo_context

pytestmark = pytest.mark.django_db


def test_the_2019_annual_figures_match_the_demo_year() -> None:
    ctx = demo_context()
    accounts.load(ctx)
    started = time.perf_counter()
    disclosure_demo.load(ctx)
    print(f"disclosure demo load: {time.perf_counter() - started:.2f} s")  # measured, not asserted
    translation.activate("en")  # the report's row labels are compared in English (reset by the suite)
    f = selectors.annual_figures(2019)
    assert f["received"] == 125 and f["carried_out"] == 0 and f["late"] == 0
    assert set(f["by_reply_type"]) == set(REPLY_TYPES) and sum(f["by_reply_type"].values()) == 125
    assert f["licences"] == 8224 and f["penalties"] == 6626 and f["penalty_register"] == 6626
    keys = DisclosureRequest.objects.filter(applicant_type="organisation").values_list(
        "applicant_key", flat=True
    )
    assert len(keys) == 21 and len(set(keys)) == 1
    assert not Publication.objects.filter(published_on__gt=F("publish_by")).exists()
    p = selectors.proactive_figures(2019)
    assert (p["key"], p["five"], p["interpretations"], p["interpretations_of_normative"]) == (670, 277, 26, 2)
    assert (p["normative_issued"], p["normative_repealed"]) == (9, 7)
    assert p["normative_in_force"] == 9 + 24 - 7
    assert not DisclosureItem.objects.filter(published_on__gt=F("publish_by")).exists()
    tables = {t.key: t for t in report.annual_report(2019)}
    requests = {r[0]: r[-1] for r in tables["requests"].rows[1:]}
    assert requests["1. New requests received this year"] == 125 and requests["(7) Total handled"] == 125
    assert requests["(1) Disclosed"] == 58 + 22 and requests["(2) Partly disclosed"] == 9
    assert requests["(5) Not handled — 2. repeated request"] == 4
    assert requests["(5) Not handled — 1. petition, report or complaint"] == 4
    assert requests["(4) Cannot be provided — 1. this office does not hold it"] == 12 + 10
    assert {r[0]: r[1] for r in tables["decisions"].rows[1:]} == {
        "Administrative licences": 8224,
        "Administrative penalties": 6626,
    }
    assert tables["remedies"].rows[1][-1] == 0 and tables["remedies"].rows[2][-1] == 0  # no lawsuit in 2019
    disclosure_demo.load(ctx)  # again: nothing changes
    assert Publication.objects.count() == 8224 + 6626 and DisclosureItem.objects.count() == 670 + 277
