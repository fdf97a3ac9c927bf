from typing import Any

from django.core.management.base import BaseCommand

from seabridge.agreements.services import agreements_expire


class Command(BaseCommand):
    help = "Mark active agreements past their end date as expired (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = agreements_expire()
        self.stdout.write(f"{count} agreement(s) expired.")
