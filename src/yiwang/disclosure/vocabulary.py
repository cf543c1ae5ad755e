"""The controlled lists and the configurable numbers of government information disclosure (docs/rules.md §4).

Every number here is the rule's default; ``settings.DISCLOSURE`` overrides it (local practice)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

DEFAULTS: dict[str, Any] = {
    "reply_days": 20,  # Art. 33: reply within 20 working days of receipt
    "extension_max_days": 20,  # Art. 33: one extension of at most 20 working days
    "correction_notice_days": 7,  # Art. 30: the correction notice within 7 working days of receipt
    "correction_period_days": 15,  # the period the notice gives the applicant (local practice)
    "third_party_days": 15,  # Art. 32: the third party's 15 working days, not counted
    "fee_pauses_clock": True,  # 国办函〔2020〕109号: the clock does not run while a fee notice is unpaid
    "fee_free_per_month": 10,
    "fee_first_band_end": 30,
    "fee_unit_yuan": 100,
    "fee_band_size": 10,
    "bulk_warning_per_month": 30,  # a warning to the office above this many requests a month
    "publication_days": 7,  # 双公示: within 7 working days of the decision
    "publication_period_years": {"licence": 3, "penalty": 3},
    "hotline_category": "",  # "" → the first top-level hotline category
    "item_publish_days": 20,  # Art. 26: proactive information public within 20 working days of forming or change
    "normative_abbreviation": "规",  # the 文号 of a normative document: <office code>规〔year〕N号
}


def config(name: str) -> Any:
    """One disclosure setting (settings.DISCLOSURE over the defaults)."""
    return getattr(settings, "DISCLOSURE", {}).get(name, DEFAULTS[name])


APPLICANT_TYPES = {
    "person": _("Natural person"),
    "enterprise": _("Enterprise"),
    "organisation": _("Other organisation"),
}
FORMS = {
    "paper": _("On paper"),
    "electronic": pgettext_lazy("form of provision", "Electronically"),
    "post": _("By post"),
    "reading": _("Reading on site"),
}
CHANNELS = {
    "window": _("In person"),
    "post": pgettext_lazy("disclosure channel", "By post"),
    "online": pgettext_lazy("disclosure channel", "Online"),
}

NOT_DISCLOSED_GROUNDS = {
    "state_secret": (_("State secret"), "《中华人民共和国政府信息公开条例》第十四条"),
    "law_forbids": (_("Disclosure forbidden by law or administrative regulation"), "《条例》第十四条"),
    "third_party": (_("Harm to a third party's lawful rights (trade secret, privacy)"), "《条例》第十五条"),
    "internal": (_("Internal affairs or process information"), "《条例》第十六条"),
    "enforcement": (_("Administrative enforcement case information"), "《条例》第十六条第二款"),
}


@dataclass(frozen=True)
class ReplyType:
    code: str
    label: Any
    basis: str  # the article of the regulation the reply rests on
    required: tuple[str, ...]  # the content fields the reply must give
    needs_approval: bool = False  # a non-disclosure reply is approved by the head of the office
    template: Any = ""


REPLY_TYPES: dict[str, ReplyType] = {
    t.code: t
    for t in (
        ReplyType(
            "already_public",
            _("Already public"),
            "《条例》第三十六条第（一）项",
            ("where",),
            template=_(
                "The information you asked for has already been made public. You can find it at: %(where)s."
            ),
        ),
        ReplyType(
            "disclosed",
            _("Disclosed"),
            "《条例》第三十六条第（二）项",
            ("how",),
            template=_("We disclose the information you asked for: %(how)s."),
        ),
        ReplyType(
            "partly_disclosed",
            _("Partly disclosed"),
            "《条例》第三十六条第（二）项、第三十七条",
            ("how", "withheld", "ground"),
            needs_approval=True,
            template=_(
                "We disclose part of the information: %(how)s. Withheld: %(withheld)s, because: %(ground)s."
            ),
        ),
        ReplyType(
            "not_disclosed",
            _("Not disclosed"),
            "《条例》第三十六条第（三）项",
            ("ground",),
            needs_approval=True,
            template=_("The information cannot be disclosed, on this legal ground: %(ground)s."),
        ),
        ReplyType(
            "does_not_exist",
            _("Does not exist"),
            "《条例》第三十六条第（四）项",
            (),
            template=_("After a search, this office holds no such information."),
        ),
        ReplyType(
            "not_this_office",
            _("Not this office's"),
            "《条例》第三十六条第（五）项",
            (),
            template=_("This office is not responsible for disclosing this information. %(right_office)s"),
        ),
        ReplyType(
            "repeated",
            _("Repeated request"),
            "《条例》第三十六条第（六）项",
            ("earlier",),
            template=_(
                "You made the same request before (%(earlier)s) and it was answered; it is not answered again."
            ),
        ),
        ReplyType(
            "not_government_information",
            _("Not government information"),
            "《条例》第三十九条",
            (),
            template=_(
                "Your request is not a request for government information; it has been forwarded to the "
                "12345 hotline as ticket %(ticket)s."
            ),
        ),
    )
}
REPLY_FIELDS = {
    "where": _("Where it was made public"),
    "how": _("What is provided, or when and how"),
    "withheld": _("What was withheld"),
    "ground": _("Legal ground"),
    "earlier": _("The earlier request's number"),
    "right_office": _("The office responsible"),
}
REMEDIES = _(
    "If you disagree with this reply, you may apply for administrative reconsideration within 60 days of "
    "receiving it, or bring an administrative lawsuit within 6 months."
)

# Proactive disclosure (主动公开): the "five disclosures" and the key areas (docs/rules.md §4).
FIVE_DISCLOSURES = {
    "decision": _("Decision-making"),
    "execution": _("Execution"),
    "management": pgettext_lazy("disclosure column", "Management"),
    "service": pgettext_lazy("disclosure column", "Service"),
    "result": _("Results"),
}
KEY_AREAS = {
    "fiscal": _("Fiscal budgets and final accounts"),
    "construction": _("Major construction projects"),
    "resources": _("Allocation of public resources"),
    "environment": pgettext_lazy("disclosure column", "Environment"),
    "housing": pgettext_lazy("disclosure column", "Housing"),
    "safety": _("Work safety"),
    "assistance": _("Social assistance"),
}
COLUMNS = {**FIVE_DISCLOSURES, **KEY_AREAS}
COLUMN_GROUPS = {"five": _("The five disclosures"), "key": _("Key areas")}
ITEM_ATTACHMENT_TYPES = (".pdf", ".ofd", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png")
ITEM_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
# The rich text an item's body may hold; everything else is removed before it is stored.
BODY_TAGS = frozenset(
    {"p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "h2", "h3", "h4", "table", "thead", "tbody",
     "tr", "th", "td", "a", "blockquote"}
)  # fmt: skip
NORMATIVE_STATUSES = {
    "in_force": _("In force"),
    "amended": pgettext_lazy("normative document", "Amended"),
    "repealed": pgettext_lazy("normative document", "Repealed"),
}
INTERPRETATION_FORMS = {
    "text": pgettext_lazy("interpretation form", "Text"),
    "graphic": pgettext_lazy("interpretation form", "Graphic"),
    "video": pgettext_lazy("interpretation form", "Video"),
}


def column_group(code: str) -> str:
    """ "five" for a column of the five disclosures, "key" for a key area."""
    return "five" if code in FIVE_DISCLOSURES else "key"


def column_label(code: str) -> str:
    return str(COLUMNS.get(code, code))


# What became of a contested reply (the annual report's table 4).
REMEDY_OUTCOMES = {
    "upheld": pgettext_lazy("remedy outcome", "Upheld"),
    "corrected": pgettext_lazy("remedy outcome", "Corrected"),
    "other": pgettext_lazy("remedy outcome", "Other outcome"),
    "pending": pgettext_lazy("remedy outcome", "Not yet decided"),
}

PUBLICATION_KINDS = {"licence": _("Administrative licence"), "penalty": _("Administrative penalty")}
PARTY_KINDS = {"natural": _("Natural person"), "legal": _("Legal person or other organisation")}


def reply_type_label(code: str) -> str:
    t = REPLY_TYPES.get(code)
    return str(t.label) if t else code


def ground_label(code: str) -> str:
    g = NOT_DISCLOSED_GROUNDS.get(code)
    return str(g[0]) if g else code


def fee_for(ordinal: int) -> int:
    """The fee in yuan of an applicant's ``ordinal``-th request in a calendar month (国办函〔2020〕109号):
    the first 10 free; the 11th–30th 100 yuan each; then 100 yuan more for each further 10 (the 31st–40th
    200 each, the 41st–50th 300 …)."""
    if ordinal < 1:
        raise ValueError("ordinal starts at 1")
    free, band_end, unit, size = (
        int(config("fee_free_per_month")),
        int(config("fee_first_band_end")),
        int(config("fee_unit_yuan")),
        int(config("fee_band_size")),
    )
    if ordinal <= free:
        return 0
    if ordinal <= band_end:
        return unit
    return unit * (1 + -(-(ordinal - band_end) // size))
