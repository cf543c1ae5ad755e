"""Periodic jobs of feedback: the six ones' reports issued when their period ends."""

from __future__ import annotations

from yiwang.core.periodic import Job

from .reports import reports_issue_due

JOBS = [Job("feedback.reports", reports_issue_due, every_seconds=3600)]
