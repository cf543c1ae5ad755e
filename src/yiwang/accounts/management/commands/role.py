"""Grant or revoke a staff role as the operator (the system itself is the audited actor).

The three administrator roles (system, security, audit) are granted only here, never in the admin:
an administrator who could grant them could make an account of their own the audit administrator
(docs/adr/0011). Business roles are the security administrator's, in the admin.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yiwang.accounts.models import User
from yiwang.accounts.roles import Role
from yiwang.accounts.services import role_grant, role_revoke, roles_check
from yiwang.core.errors import ServiceError


class Command(BaseCommand):
    help = "yiwang role USERNAME --grant ROLE | --revoke ROLE | --list"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--grant", choices=Role.values)
        group.add_argument("--revoke", choices=Role.values)
        group.add_argument("--list", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no such user: {options['username']}")
        try:
            if options["grant"]:
                roles_check(actor=None, user=user, roles=user.role_set() | {options["grant"]})
                role_grant(actor=None, user=user, role=options["grant"])
            elif options["revoke"]:
                role_revoke(actor=None, user=user, role=options["revoke"])
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{user.username}: {', '.join(sorted(user.role_set())) or '(no roles)'}")
