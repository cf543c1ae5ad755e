"""Staff roles and the separation of the three administrators (三权分立)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLERK = "clerk", _("Window clerk")
    REVIEWER = "reviewer", _("Department reviewer")
    SUPERVISOR = "supervisor", _("Supervisor")
    HALL_MANAGER = "hall_manager", _("Hall manager")
    GRID_WORKER = "grid_worker", _("Grid worker")
    HOTLINE_OPERATOR = "hotline_operator", _("Hotline operator")
    DISPATCHER = "dispatcher", _("Hotline dispatcher")
    PROJECT_COORDINATOR = "project_coordinator", _("Construction project coordinator")
    CREDIT_OFFICER = "credit_officer", _("Credit officer")
    CONCIERGE = "concierge", _("Key-enterprise concierge")
    POLICY_OFFICER = "policy_officer", _("Policy officer")
    DEPT_ADMIN = "dept_admin", _("Department administrator")
    SERVICE_SUPERVISOR = "service_supervisor", _("Service-quality supervisor")
    SYS_ADMIN = "sys_admin", _("System administrator")
    SEC_ADMIN = "sec_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


ADMIN_ROLES = frozenset({Role.SYS_ADMIN, Role.SEC_ADMIN, Role.AUDIT_ADMIN})
HALL_ROLES = frozenset({Role.CLERK, Role.HALL_MANAGER})
OFFICE_ROLES = frozenset({Role.REVIEWER, Role.DEPT_ADMIN})
# Where a role acts, so where its holder must be posted before it is granted (docs/adr/0008): a clerk or hall
# manager at a hall, a reviewer or department administrator at an office, a grid worker in a community.
POSTING_FOR_ROLE = {
    Role.CLERK: "hall",
    Role.HALL_MANAGER: "hall",
    Role.REVIEWER: "office",
    Role.DEPT_ADMIN: "office",
    Role.GRID_WORKER: "community",
}
# Roles allowed to see full resident ID and mobile numbers after an explicit, audited unmasking.
UNMASK_ROLES = frozenset({Role.CLERK, Role.REVIEWER, Role.SUPERVISOR, Role.GRID_WORKER})
