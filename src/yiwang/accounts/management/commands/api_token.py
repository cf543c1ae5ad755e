"""Issue, list or revoke API tokens of system accounts (Open311 clients, integrations) from the shell.

The raw token is printed once and never stored (only its digest); every issue and revocation is audited
with the system as the actor. The Django admin lists tokens but cannot create them for that reason.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from yiwang.accounts.models import ApiToken, User
from yiwang.accounts.services import api_token_create, api_token_revoke
from yiwang.core.errors import ServiceError


class Command(BaseCommand):
    help = "Issue an API token for USERNAME (printed once), or --list / --revoke PREFIX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("name", nargs="?", default="", help="what the token is for")
        parser.add_argument("--days", type=int, default=0, help="expire after this many days (0 = never)")
        parser.add_argument("--list", action="store_true", help="list the account's tokens")
        parser.add_argument("--revoke", metavar="PREFIX", help="revoke the token with this prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no such user: {options['username']}")
        if options["list"]:
            for t in ApiToken.objects.filter(user=user).order_by("created_at"):
                state = (
                    "revoked"
                    if t.revoked
                    else f"expires {t.expires_at:%Y-%m-%d}"
                    if t.expires_at
                    else "active"
                )
                self.stdout.write(f"{t.prefix}  {t.name}  created {t.created_at:%Y-%m-%d}  {state}")
            return
        try:
            if options["revoke"]:
                token = ApiToken.objects.filter(user=user, prefix=options["revoke"]).first()
                if token is None:
                    raise CommandError(f"no token with prefix {options['revoke']} for {user.username}")
                api_token_revoke(actor=None, token=token)
                self.stdout.write(f"revoked {token.prefix} ({token.name})")
                return
            if options["days"] < 0:
                raise CommandError("--days must be 0 or more")
            expires = timezone.now() + timedelta(days=options["days"]) if options["days"] else None
            token, raw = api_token_create(actor=None, user=user, name=options["name"], expires_at=expires)
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"token {token.prefix} for {user.username} ({token.name}); shown once, keep it now:"
        )
        self.stdout.write(raw)
