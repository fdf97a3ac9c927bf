"""``seabridge create_organization``: a superuser creates an organisation and its first admin."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from seabridge.accounts.choices import OrganizationKind
from seabridge.accounts.services import organization_create
from seabridge.core.errors import DomainError


class Command(BaseCommand):
    help = "Create an organisation as a superuser, optionally with its first admin."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as", dest="superuser", required=True, help="Superuser's user name.")
        parser.add_argument("--kind", required=True, choices=OrganizationKind.values)
        parser.add_argument("--legal-name", required=True)
        parser.add_argument("--short-name", required=True)
        parser.add_argument("--country", required=True, help="ISO 3166 alpha-2 code.")
        parser.add_argument("--languages", default="", help="Comma-separated language codes.")
        parser.add_argument("--admin", default=None, help="User name of the first admin.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            created_by = User.objects.get(username=options["superuser"])
            first_admin = User.objects.get(username=options["admin"]) if options["admin"] else None
        except User.DoesNotExist as error:
            raise CommandError(str(error)) from error
        try:
            organization = organization_create(
                created_by=created_by,
                kind=options["kind"],
                legal_name=options["legal_name"],
                short_name=options["short_name"],
                home_country=options["country"],
                languages=[code for code in options["languages"].split(",") if code.strip()],
                first_admin=first_admin,
            )
        except DomainError as error:
            details = "; ".join(
                f"{name}: {' '.join(texts)}" for name, texts in error.fields.items()
            )
            raise CommandError(f"{error.message} {details}".strip()) from error
        self.stdout.write(f"Created organisation {organization.short_name} (id {organization.pk}).")
