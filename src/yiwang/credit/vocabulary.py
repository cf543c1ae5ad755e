"""The controlled vocabularies of credit records: the 14 categories connected to the one-window system, the
severities and the three lists (docs/adr/0110-credit-records-and-import.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# code → label. The codes are what source systems send; the list is closed (an unknown code is refused).
CATEGORIES = {
    "mr_abnormal": _("Market regulation: abnormal operation list (经营异常名录)"),
    "mr_serious": _("Market regulation: serious illegal and dishonest list (严重违法失信名单)"),
    "tax_a": _("Tax credit rating A (纳税信用A级)"),
    "tax_d": _("Tax credit rating D (纳税信用D级)"),
    "court_dishonest": _("Dishonest judgment debtor (失信被执行人)"),
    "social_arrears": _("Social-insurance arrears (社会保险欠费)"),
    "env_dishonest": _("Environmental credit: dishonest (环保失信)"),
    "safety_black": _("Work-safety blacklist (安全生产失信联合惩戒)"),
    "procurement_ban": _("Government-procurement ban (政府采购严重违法失信)"),
    "customs_aeo": _("Customs: advanced certified enterprise (海关高级认证企业)"),
    "customs_dishonest": _("Customs: dishonest enterprise (海关失信企业)"),
    "honours": _("Commendations and honours (表彰奖励)"),
    "admin_penalty": _("Administrative penalty (行政处罚)"),
    "contract_honour": _("Keeps contracts and credit (守合同重信用)"),
}

SEVERITIES = {1: _("minor"), 2: _("serious"), 3: _("very serious")}

RED, BLACK, WHITE = "red", "black", "white"
LISTS = {
    RED: pgettext_lazy("credit list", "red list"),
    BLACK: pgettext_lazy("credit list", "black list"),
    WHITE: pgettext_lazy("credit list", "white list"),
}

# Subjects: an enterprise (unified social credit code) or a person (resident ID number).
ENTERPRISE, PERSON = "E", "P"
SUBJECT_KINDS = {ENTERPRISE: _("enterprise"), PERSON: _("person")}

# The published default rules (docs/adr/0111-list-rules.md): code, list, categories, lowest severity.
DEFAULT_RULES = [
    ("black-serious-dishonesty", BLACK, ["mr_serious"], 1),
    ("black-tax-d", BLACK, ["tax_d"], 1),
    ("black-court-dishonest", BLACK, ["court_dishonest"], 1),
    ("black-work-safety", BLACK, ["safety_black"], 1),
    ("black-procurement-ban", BLACK, ["procurement_ban"], 1),
    ("black-customs-dishonest", BLACK, ["customs_dishonest"], 1),
    ("black-environment", BLACK, ["env_dishonest"], 2),
    ("black-social-arrears", BLACK, ["social_arrears"], 3),
    ("red-tax-a", RED, ["tax_a"], 1),
    ("red-customs-aeo", RED, ["customs_aeo"], 1),
    ("red-honours", RED, ["honours", "contract_honour"], 1),
]


def category_label(code: str) -> str:
    return str(CATEGORIES.get(code, code))


def list_label(code: str) -> str:
    return str(LISTS.get(code, code))


# The steps of a case at which the standing applied is recorded.
STEPS = {
    "received": pgettext_lazy("import", "received"),
    "accepted": _("accepted"),
    "accepted_rongque": _("accepted with missing materials (容缺)"),
}


def step_label(code: str) -> str:
    return str(STEPS.get(code, code))
