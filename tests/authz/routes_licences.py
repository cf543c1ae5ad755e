"""Licences: public verification, the holder's wallet (own / somebody else's licence) and the issuing desk.

The world's office issues; ``world.person`` (the applicant) holds one licence, ``world.other_person`` another.
Somebody else's licence does not exist for an applicant (404)."""

from __future__ import annotations

from typing import Any

from .registry import ALL, APPLICANTS, NOBODY, Route

HOLDER = frozenset({"applicant"})
DESK = frozenset({"reviewer", "supervisor"})
SUPERVISOR = frozenset({"supervisor"})


def _licences(w: Any) -> dict[str, Any]:
    """An issued licence for the applicant and one for another person, and a pending issuance (once)."""
    if "licences" in w.extra:
        return w.extra["licences"]  # type: ignore[no-any-return]
    from tests.licences.helpers import approved_case, licence_type
    from yiwang.licences import services
    from yiwang.licences.models import Issuance

    ltype = licence_type(w)
    own = approved_case(w, ltype, person=w.person)
    other = approved_case(w, ltype, person=w.other_person)
    pending = approved_case(w, ltype, person=w.other_person)
    fields = {"scope": "预包装食品销售", "address": "龙城街道1号"}
    reviewer = w.users["reviewer"]
    own_licence = services.licence_issue(
        actor=reviewer, issuance_id=Issuance.objects.get(case=own).pk, fields=fields
    )
    other_licence = services.licence_issue(
        actor=reviewer, issuance_id=Issuance.objects.get(case=other).pk, fields=fields
    )
    link = services.share_link_create(actor=w.users["applicant"], licence_id=own_licence.pk, days=3)
    w.extra["licences"] = {
        "own": own_licence.pk,
        "other": other_licence.pk,
        "pending": Issuance.objects.get(case=pending).pk,
        "token": link.token,
        "type": ltype.code,
    }
    return w.extra["licences"]  # type: ignore[no-any-return]


def _id(which: str) -> Any:
    return lambda w: {"licence_id": _licences(w)[which]}


def _pending(w: Any) -> dict[str, Any]:
    return {"issuance_id": _licences(w)["pending"]}


ROUTES = [
    # public
    Route("licences:verify", allow=ALL, must_succeed=ALL, query={"id": "1.2.156.3005.2.X.Y.Z.001.Q"}),
    Route("licences:shared", allow=ALL, must_succeed=ALL, kwargs=lambda w: {"token": _licences(w)["token"]}),
    Route(
        "licences:type_sample", allow=ALL, must_succeed=ALL, kwargs=lambda w: {"code": _licences(w)["type"]}
    ),
    Route(
        "API POST /api/licences/verify", allow=ALL, must_succeed=ALL, data=lambda w: {"payload": "YWL1.x.y"}
    ),
    Route("API GET /api/licences/keys", allow=ALL, must_succeed=ALL),
    # the holder's wallet
    Route("licences:wallet", allow=APPLICANTS, must_succeed=APPLICANTS),
    Route("licences:detail", allow=HOLDER, must_succeed=HOLDER, kwargs=_id("own"), variant="own"),
    Route("licences:detail", allow=NOBODY, kwargs=_id("other"), variant="somebody else's"),
    Route("licences:pdf", allow=HOLDER | DESK, must_succeed=HOLDER | DESK, kwargs=_id("own"), variant="own"),
    Route("licences:pdf", allow=DESK, must_succeed=DESK, kwargs=_id("other"), variant="somebody else's"),
    Route(
        "licences:share", "POST", allow=HOLDER, kwargs=_id("own"), data=lambda w: {"days": "2"}, variant="own"
    ),
    Route(
        "licences:share",
        "POST",
        allow=NOBODY,
        kwargs=_id("other"),
        data=lambda w: {"days": "2"},
        variant="other",
    ),
    Route("API GET /api/licences/mine", allow=APPLICANTS, must_succeed=APPLICANTS),
    Route(
        "API GET /api/licences/{licence_id}",
        allow=HOLDER | DESK,
        must_succeed=HOLDER | DESK,
        kwargs=_id("own"),
    ),
    Route(
        "API GET /api/licences/{licence_id}",
        allow=DESK,
        must_succeed=DESK,
        kwargs=_id("other"),
        variant="somebody else's",
    ),
    Route(
        "API POST /api/licences/{licence_id}/share",
        allow=HOLDER,
        must_succeed=HOLDER,
        kwargs=_id("own"),
        data=lambda w: {"days": 2},
    ),
    Route(
        "API POST /api/licences/{licence_id}/share",
        allow=NOBODY,
        kwargs=_id("other"),
        data=lambda w: {"days": 2},
        variant="somebody else's",
    ),
    # the issuing desk
    Route("licences:desk", allow=DESK, must_succeed=DESK),
    Route("licences:issue", allow=DESK, must_succeed=DESK, kwargs=_pending),
    Route("licences:manage", allow=DESK, must_succeed=DESK, kwargs=_id("own")),
    Route("licences:manage", "POST", allow=DESK, kwargs=_id("own"), data=lambda w: {"action": "none"}),
    Route("API GET /api/licences/issuances", allow=DESK, must_succeed=DESK),
    Route(
        "API POST /api/licences/issuances/{issuance_id}/issue",
        allow=DESK,
        kwargs=_pending,
        data=lambda w: {"fields": {}},
    ),
    Route(
        "API POST /api/licences/{licence_id}/change",
        allow=DESK,
        kwargs=_id("own"),
        data=lambda w: {"fields": {"scope": "预包装食品销售"}, "reason": "x"},
    ),
    Route(
        "API POST /api/licences/{licence_id}/renew",
        allow=DESK,
        kwargs=_id("own"),
        data=lambda w: {"valid_to": "2000-01-01", "reason": "x"},
    ),
    Route(
        "API POST /api/licences/{licence_id}/status",
        allow=SUPERVISOR,
        kwargs=_id("own"),
        data=lambda w: {"event": "reinstate", "reason": "x"},
    ),
]
