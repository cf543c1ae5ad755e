"""Who may do what with licences, answered here only (docs/architecture.md, layering rule 4).

* The **issuing office** — its reviewers and supervisors — issues, changes, renews and cancels (注销); only
  its supervisors suspend, reinstate and revoke (吊销).
* The **holder** — the person, or anyone authorised today for the holding enterprise — sees the licence in
  the wallet, downloads it and shares a time-limited verification link.
* **Anyone** verifies: the public verification page and API need no account.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from yiwang.accounts.access import access_office, access_party, acting_person, has_role, is_staff_user
from yiwang.accounts.roles import Role

if TYPE_CHECKING:
    from yiwang.accounts.access import Visitor

    from .models import Licence

ISSUER_ROLES = (Role.REVIEWER, Role.SUPERVISOR)
SUPERVISOR_EVENTS = frozenset({"suspend", "reinstate", "revoke"})


def access_issuing_desk(user: Visitor) -> bool:
    """The workbench's issuance queue and licence register: reviewers and supervisors."""
    return is_staff_user(user) and has_role(user, *ISSUER_ROLES)


def access_issue_for(user: Visitor, office: Any) -> bool:
    return access_issuing_desk(user) and access_office(user, office)


def access_licence_staff_view(user: Visitor, licence: Licence) -> bool:
    return access_issue_for(user, licence.issuer_office)


def access_licence_event(user: Visitor, licence: Licence, event: str) -> bool:
    if event in SUPERVISOR_EVENTS:
        return (
            is_staff_user(user)
            and has_role(user, Role.SUPERVISOR)
            and access_office(user, licence.issuer_office)
        )
    return access_issue_for(user, licence.issuer_office)


def access_wallet(user: Visitor) -> bool:
    return acting_person(user) is not None


def access_licence_holder(user: Visitor, licence: Licence) -> bool:
    if licence.holder_enterprise_id is not None:
        return access_party(user, enterprise=licence.holder_enterprise)
    return access_party(user, person=licence.holder_person)
