"""Writers for item applications, by stage. Every status change goes through the kernel's
``case_transition``; each public function here is one transaction with one audit event.

- ``intake``: online drafts, submission, receipt at a window (一窗受理)
- ``assisted``: applying on a resident's behalf (帮办代办), with their consent
- ``acceptance``: pre-review, acceptance (also 容缺), correction (补正), the 5-working-day rule
- ``approvals``: requests a supervisor decides (not accepting, rejecting, extending)
- ``review``: taking the case, pausing the clock, approving, issuing the result
- ``delivery``: delivering, closing, withdrawing, terminating
- ``sweep``: the periodic sweep

Forms and API schemas parse input; these functions take typed values only.
"""

from __future__ import annotations

from .acceptance import (
    application_accept,
    application_accept_rongque,
    application_answer_correction,
    application_deem_accept,
    application_request_correction,
    application_start_pre_review,
)
from .approvals import (
    DECISION_ACTIONS,
    application_decide_request,
    application_request_extension,
    application_request_not_accept,
    application_request_rejection,
    pending_request,
)
from .assisted import CONSENT_MAX_AGE_DAYS, Consent, application_assist, check_consent
from .common import Upload, progress_link, rongque_default
from .delivery import application_close, application_deliver, application_terminate, application_withdraw
from .intake import (
    ADDRESS_MAX,
    applicant_refusal,
    application_draft_create,
    application_draft_update,
    application_receive,
    application_receive_on_visit,
    application_receive_with_licences,
    application_submit,
    check_applicant_allowed,
    who_may_apply,
)
from .reuse import (
    application_use_licence,
    licence_offers,
    reception_licence_offers,
)
from .review import (
    application_approve,
    application_issue_result,
    application_resume,
    application_start_review,
    application_supply_promised,
    application_suspend,
    review_pause_kinds,
)
from .sweep import SweepResult, applications_sweep

__all__ = [
    "ADDRESS_MAX",
    "CONSENT_MAX_AGE_DAYS",
    "DECISION_ACTIONS",
    "Consent",
    "SweepResult",
    "Upload",
    "applicant_refusal",
    "application_accept",
    "application_accept_rongque",
    "application_answer_correction",
    "application_approve",
    "application_assist",
    "application_close",
    "application_decide_request",
    "application_deem_accept",
    "application_deliver",
    "application_draft_create",
    "application_draft_update",
    "application_issue_result",
    "application_receive",
    "application_receive_on_visit",
    "application_receive_with_licences",
    "application_request_correction",
    "application_request_extension",
    "application_request_not_accept",
    "application_request_rejection",
    "application_resume",
    "application_start_pre_review",
    "application_start_review",
    "application_submit",
    "application_supply_promised",
    "application_suspend",
    "application_terminate",
    "application_use_licence",
    "application_withdraw",
    "applications_sweep",
    "check_applicant_allowed",
    "check_consent",
    "licence_offers",
    "pending_request",
    "progress_link",
    "reception_licence_offers",
    "review_pause_kinds",
    "rongque_default",
    "who_may_apply",
]
