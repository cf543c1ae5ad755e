from __future__ import annotations

from .registry import ALL, APPLICANTS, NOBODY, STAFF, Route
from .routes_applications import objects

# Unmasking: a role that may, and a person in the user's own cases (the world's own application is received
# at the world's hall and owned by its office); the other application's person is in nobody's work here.
UNMASK = frozenset({"clerk", "reviewer", "supervisor"})
VIEW_PARTY = frozenset({"clerk", "reviewer", "supervisor", "grid_worker", "hall_manager"})
REGISTER_PARTY = frozenset({"clerk", "grid_worker", "supervisor"})
ADMIN_AREA = frozenset({"sys_admin", "sec_admin", "audit_admin", "dept_admin"})


def _announcement(w: object) -> int:
    """One current announcement (made once per world)."""
    from yiwang.portal.models import Announcement

    found = Announcement.objects.filter(title="春节期间政务服务大厅办公时间").first()
    return (found or Announcement.objects.create(title="春节期间政务服务大厅办公时间", body="……")).pk


ROUTES = [
    Route("healthz", allow=ALL, must_succeed=ALL),
    Route("set_language", "POST", allow=ALL, data=lambda w: {"language": "en", "next": "/"}),
    Route("portal:home", allow=ALL, must_succeed=ALL),
    Route("portal:login", allow=ALL, must_succeed=ALL),
    # 通知公告 (docs/adr/0134): public, as the home page; written in the admin by the system administrators.
    Route("portal:announcements", allow=ALL, must_succeed=ALL),
    Route(
        "portal:announcement",
        allow=ALL,
        must_succeed=ALL,
        kwargs=lambda w: {"announcement_id": _announcement(w)},
    ),
    Route("API GET /api/portal/announcements", allow=ALL, must_succeed=ALL),
    Route(
        "API GET /api/portal/announcements/{announcement_id}",
        allow=ALL,
        must_succeed=ALL,
        kwargs=lambda w: {"announcement_id": _announcement(w)},
    ),
    Route("portal:logout", "POST", allow=ALL),
    Route("portal:account", allow=APPLICANTS, must_succeed=APPLICANTS),
    # Residents register and sign in with an SMS code (docs/adr/0056): open pages; the code decides who gets
    # in, and only applicant accounts are signed in this way (tests/accounts/test_resident_sign_up.py).
    Route("portal:register", allow=ALL, must_succeed=ALL),
    Route("portal:register", "POST", allow=ALL, json=False, data=lambda w: {"action": "send", "mobile": "1"}),
    Route(
        "portal:register",
        "POST",
        allow=ALL,
        json=False,
        variant="register without a code",
        data=lambda w: {
            "action": "register",
            "code": "000000",
            "name": "王五",
            "id_number": "x",
            "agree": "on",
        },
    ),
    Route("portal:login_code", allow=ALL, must_succeed=ALL),
    Route(
        "portal:login_code", "POST", allow=ALL, json=False, data=lambda w: {"action": "send", "mobile": "1"}
    ),
    Route(
        "portal:login_code",
        "POST",
        allow=ALL,
        json=False,
        variant="sign in without a code",
        data=lambda w: {"action": "sign_in", "code": "000000"},
    ),
    Route("workbench:home", allow=STAFF, must_succeed=STAFF),
    Route("workbench:people", allow=VIEW_PARTY, must_succeed=VIEW_PARTY),
    Route("workbench:people", "POST", allow=REGISTER_PARTY, data=lambda w: {"name": "", "id_number": "x"}),
    Route(
        "workbench:reveal",
        "POST",
        allow=UNMASK,
        must_succeed=UNMASK,
        variant="own case",
        kwargs=lambda w: {"person_id": objects(w)["own"].applicant_person.pk, "field": "id_number"},
        data=lambda w: {"purpose": "identity_check"},
        json=False,
    ),
    Route(
        "workbench:reveal",
        "POST",
        allow=NOBODY,
        variant="other office",
        kwargs=lambda w: {"person_id": objects(w)["other"].applicant_person.pk, "field": "id_number"},
        data=lambda w: {"purpose": "identity_check"},
        json=False,
    ),
    # API
    Route("API GET /api/org/departments", allow=ALL, must_succeed=ALL),
    Route("API GET /api/org/streets", allow=ALL, must_succeed=ALL),
    Route("API GET /api/org/halls", allow=ALL, must_succeed=ALL),
    Route("API GET /api/me", allow=ALL - {"anonymous"}, must_succeed=ALL - {"anonymous"}),
    Route("API POST /api/people", allow=REGISTER_PARTY, data=lambda w: {"name": "x", "id_number": "1"}),
    Route(
        "API GET /api/people/{person_id}",
        allow=VIEW_PARTY,
        must_succeed=VIEW_PARTY,
        kwargs=lambda w: {"person_id": w.other_person.pk},
    ),
    Route(
        "API POST /api/people/{person_id}/reveal",
        allow=UNMASK,
        must_succeed=UNMASK,
        variant="own case",
        kwargs=lambda w: {"person_id": objects(w)["own"].applicant_person.pk},
        data=lambda w: {"field": "mobile", "purpose": "contact"},
    ),
    Route(
        "API POST /api/people/{person_id}/reveal",
        allow=NOBODY,
        variant="other office",
        kwargs=lambda w: {"person_id": objects(w)["other"].applicant_person.pk},
        data=lambda w: {"field": "mobile", "purpose": "contact"},
    ),
    Route(
        "API POST /api/enterprises",
        allow=REGISTER_PARTY,
        data=lambda w: {"name": "x", "credit_code": "1", "legal_representative": "y"},
    ),
    Route(
        "API GET /api/audit/events", allow=frozenset({"audit_admin"}), must_succeed=frozenset({"audit_admin"})
    ),
    Route(
        "API GET /api/audit/verify", allow=frozenset({"audit_admin"}), must_succeed=frozenset({"audit_admin"})
    ),
    Route(
        "API GET /api/audit/checkpoints",
        allow=frozenset({"audit_admin"}),
        must_succeed=frozenset({"audit_admin"}),
    ),
    # Django admin (configuration). Per-model rows are generated from the admin registry.
    Route("admin:index", allow=ADMIN_AREA, must_succeed=ADMIN_AREA),
    Route("admin:login", allow=ALL),
    Route("admin:logout", "POST", allow=ALL),
    Route("admin:password_change", allow=ADMIN_AREA),
    Route("admin:password_change_done", allow=ADMIN_AREA),
    Route("admin:jsi18n", allow=ADMIN_AREA),
    # Autocomplete answers whoever may view the *target* model (offices: the system administrator).
    Route(
        "admin:autocomplete",
        allow=frozenset({"sys_admin"}),
        query={"app_label": "accounts", "model_name": "user", "field_name": "office"},
    ),
    # Nobody sets another person's password in the admin (dual-controlled resets, docs/adr/0011).
    Route("admin:auth_user_password_change", allow=NOBODY, kwargs=lambda w: {"id": w.users["clerk"].pk}),
    Route("portal:password_reset", allow=ALL, must_succeed=ALL),
    # The second factor's pages: staff only (the middleware sends staff there when it is required).
    Route("portal:two_factor", allow=STAFF, must_succeed=STAFF),
    Route("portal:two_factor", "POST", allow=STAFF, json=False, data=lambda w: {"code": "000000"}),
    Route("portal:two_factor_enrol", allow=STAFF, must_succeed=STAFF),
    Route("portal:two_factor_enrol", "POST", allow=STAFF, json=False, data=lambda w: {"code": "000000"}),
    Route(
        "portal:password_reset",
        "POST",
        allow=ALL,
        json=False,
        data=lambda w: {
            "username": "nobody",
            "first": "A",
            "second": "B",
            "password1": "x",
            "password2": "x",
        },
    ),
    Route("admin:view_on_site", allow=NOBODY, kwargs=lambda w: {"content_type_id": 1, "object_id": 1}),
    Route(
        "admin:app_list",
        allow=frozenset({"sys_admin", "sec_admin"}),
        kwargs=lambda w: {"app_label": "accounts"},
    ),
]
