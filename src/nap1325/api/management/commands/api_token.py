"""``nap1325 api-token USER`` — issue (or replace) a user's API token; ``--revoke`` ends it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nap1325.api.services import api_token_create, api_token_revoke
from nap1325.core.models import User


class Command(BaseCommand):
    help = (
        "Issue an API token for USER (replacing any previous one) and print it; "
        "--revoke revokes it instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The user's login name.")
        parser.add_argument(
            "--revoke", action="store_true", help="Revoke the user's token instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user with the login name {username!r}.")
        if not user.is_active:
            raise CommandError(f"The user {username!r} is inactive; activate them first.")
        if options["revoke"]:
            if api_token_revoke(actor=None, user=user):
                self.stdout.write(f"The API token of {username} is revoked.")
            else:
                self.stdout.write(f"{username} had no API token; nothing to revoke.")
            return
        token = api_token_create(actor=None, user=user)
        self.stdout.write(token.key)
        self.stderr.write(
            f"API token of {username} (any previous token stops working). Send it as\n"
            f"  Authorization: Token {token.key}"
        )
