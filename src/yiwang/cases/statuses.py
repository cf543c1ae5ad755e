"""The kernel's vocabulary of case kinds and statuses, guarded by the database (``case_status_valid``).

Every kind draws its statuses from this one list, so one generic check constraint keeps every
status valid; which statuses a kind uses, and which moves are allowed, is the kind's own
``workflow.py``. A new kind adds its kind here (and any status it needs) with a migration
(docs/adr/0040-case-kernel.md).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

KINDS = [
    ("application", _("Item application")),
    ("hotline", _("Hotline ticket")),
    ("disclosure", _("Disclosure request")),
    ("construction", _("Construction project")),
]

STATUS_LABELS = {
    "draft": _("Draft"),
    "submitted": _("Submitted online"),
    "received": _("Received at a window"),
    "pre_review": _("Pre-review"),
    "correction": _("Correction requested"),
    "refusal_pending": _("Not-accepted request awaiting a supervisor"),
    "not_accepted": _("Not accepted"),
    "accepted": _("Accepted"),
    "under_review": _("Under review"),
    "suspended": _("Paused (time not counted)"),
    "rejection_pending": _("Rejection awaiting a supervisor"),
    "approved": _("Approved"),
    "rejected": _("Rejected"),
    "result_ready": _("Result ready"),
    "delivered": _("Delivered"),
    "closed": _("Closed"),
    "withdrawn": _("Withdrawn"),
    "terminated": _("Terminated"),
}
ALL_STATUSES = frozenset(STATUS_LABELS)
# Finished: nothing more happens to the case (it drops out of every inbox).
FINAL_STATUSES = frozenset({"not_accepted", "closed", "withdrawn", "terminated"})
OPEN_STATUSES = ALL_STATUSES - FINAL_STATUSES - {"draft"}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))
