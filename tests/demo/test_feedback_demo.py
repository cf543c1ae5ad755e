"""The demo's complaints post: its office and supervisor, five complaints on the log (three replied), the last
week's and month's reports issued; reviews for half the decided applications and served numbers when the demo
history exists (the full load); loading again changes nothing."""

from __future__ import annotations

import pytest

from yiwang.accounts.models import User
from yiwang.cases.models import Case
from yiwang.demo.loaders import accounts
from yiwang.demo.loaders import feedback as feedback_demo
from yiwang.feedback.models import Complaint, IssuedReport, Review

from .helpers import demo_context

pytestmark = pytest.mark.django_db


def test_the_post_its_log_and_reports() -> None:
    ctx = demo_context()
    accounts.load(ctx)
    feedback_demo.load(ctx)
    assert User.objects.get(username="quality").role_set() == {"service_supervisor"}
    assert Complaint.objects.count() == 5
    assert Case.objects.filter(kind="complaint", status="replied").count() == 3
    assert set(IssuedReport.objects.values_list("period", flat=True)) == {"weekly", "monthly"}
    assert not Review.objects.exists()  # no decided applications without the history
    feedback_demo.load(ctx)
    assert Complaint.objects.count() == 5 and IssuedReport.objects.count() == 2
