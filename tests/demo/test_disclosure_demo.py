"""The demo's 2019 disclosure year (docs/capabilities.md C18) and the annual report's figures from it: 125
requests with every reply type (21 from one foundation), 8,224 licence and 6,626 penalty publications."""

from __future__ import annotations

import time

import pytest
from django.db.models import F

from yiwang.demo.loaders import accounts
from yiwang.demo.loaders import disclosure as disclosure_demo
from yiwang.disclosure import selectors
from yiwang.disclosure.models import DisclosureRequest, Publication
from yiwang.disclosure.vocabulary import REPLY_TYPES

from .helpers import demo_context

pytestmark = pytest.mark.django_db


def test_the_2019_annual_figures_match_the_demo_year() -> None:
    ctx = demo_context()
    accounts.load(ctx)
    started = time.perf_counter()
    disclosure_demo.load(ctx)
    print(f"disclosure demo load: {time.perf_counter() - started:.2f} s")  # measured, not asserted
    f = selectors.annual_figures(2019)
    assert f["received"] == 125 and f["carried_out"] == 0 and f["late"] == 0
    assert set(f["by_reply_type"]) == set(REPLY_TYPES) and sum(f["by_reply_type"].values()) == 125
    assert f["licences"] == 8224 and f["penalties"] == 6626 and f["penalty_register"] == 6626
    keys = DisclosureRequest.objects.filter(applicant_type="organisation").values_list(
        "applicant_key", flat=True
    )
    assert len(keys) == 21 and len(set(keys)) == 1
    assert not Publication.objects.filter(published_on__gt=F("publish_by")).exists()
    disclosure_demo.load(ctx)  # again: nothing changes
    assert Publication.objects.count() == 8224 + 6626
