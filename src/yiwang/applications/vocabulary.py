"""The application's controlled lists and statutory numbers (no I/O, no models): used by the models,
the workflow table, the forms and the notices alike."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

# docs/rules.md §2: no correction notice within 5 working days of receipt ⇒ accepted on the day received
# (行政许可法 Art. 32).
ACCEPTANCE_WINDOW_DAYS = 5
EXTENSION_DAYS = 10  # 行政许可法 Art. 42, once, with the head's approval

# Controlled list of reasons for not accepting or rejecting (窗口无否决权: no free-text refusals).
REFUSAL_REASONS: dict[str, Any] = {
    "not_competent": _("The matter is not within this office's competence"),
    "not_licensable": _("The matter does not need a licence under the law"),
    "conditions_unmet": _("The applicant does not meet the legal conditions"),
    "materials_false": _("Materials are false or inconsistent"),
    "correction_unanswered": _("Correction was not supplied in time"),
    "prohibited": _("The law prohibits the requested activity"),
    "other_legal": _("Other legal ground (stated in the guidance)"),
}
# Pause kinds of the working-day calendar (``yiwang.workdays`` pause kinds, labels and legal bases
# there) that may pause the review (行政许可法 Art. 45): hearings, testing, expert review, site surveys.
REVIEW_PAUSE_KINDS = ("expert_review", "testing", "hearing", "site_survey")
CORRECTION_PAUSE_KIND = "correction"
DELIVERY_METHODS: dict[str, Any] = {
    "pickup": _("Pick up at a hall"),
    "post": _("By post"),
    "electronic": _("Electronically"),
}

# Each notice's title, translated when it is issued in the notice's language (``NOTICE_LANGUAGE``), never
# in the language of the staff member who happened to act.
NOTICE_TITLES: dict[str, Any] = {
    "receipt": _("Receipt of application (收件回执)"),
    "acceptance": _("Acceptance notice"),
    "rongque_promise": _("Promise to supply materials (容缺)"),
    "correction": _("Correction notice (一次性告知)"),
    "not_accepted": _("Notice of non-acceptance"),
    "rejection": _("Decision: rejected"),
    "approval": _("Decision: approved"),
    "extension": _("Notice of extension"),
    "pause": _("Notice of time not counted"),
    "delivery": _("Delivery receipt"),
    "termination": _("Notice of termination"),
}

# The notices that are official documents of the office, with a 文号 of their own series: the series code and
# the type's abbreviation in the number (深龙市监许受〔2026〕12号). A receipt and the applicant's 容缺 promise
# are not the organ's documents and carry none (docs/adr/0059).
DOCUMENT_TYPES: dict[str, tuple[str, str]] = {
    "acceptance": ("accept", "许受"),
    "correction": ("correct", "许补"),
    "not_accepted": ("refuse", "许不受"),
    "approval": ("permit", "许准"),
    "rejection": ("deny", "许不准"),
    "extension": ("extend", "许延"),
    "pause": ("pause", "许告"),
    "termination": ("terminate", "许终"),
    "delivery": ("deliver", "许送"),
}
