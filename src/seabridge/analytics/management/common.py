"""What the analytics commands share: whose view they read with and dates (the acting
person and refusals as ``CommandError`` come from :mod:`seabridge.accounts.commands`
and :mod:`seabridge.core.commands`, which every app's commands share).

Commands run as the system, but figures are still read through the scope module: by
default with the brand owner's view (every figure of its brand), or, with ``--as ORG
--user EMAIL``, with that person's view for that organisation (a partner then sees
only what its agreements grant).
"""

from __future__ import annotations

import argparse
import re
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import CommandError, CommandParser

from seabridge.accounts.choices import Role
from seabridge.accounts.commands import command_actor
from seabridge.accounts.models import Organization
from seabridge.analytics.bulletin import FIRST_DAY, LAST_DAY
from seabridge.analytics.selectors import brand_by_name
from seabridge.catalog.models import Brand
from seabridge.core.commands import refusals_as_errors
from seabridge.core.scope import Actor

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
VIEW_HELP = (
    "Figures are read with the brand owner's view unless --as and --user name a person's "
    "membership, whose scope then decides what counts."
)


def iso_date(value: str) -> date:
    """An argparse type: a day as YYYY-MM-DD, within the days figures cover."""
    try:
        if not ISO_DATE.match(value):
            raise ValueError(value)
        day = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date as YYYY-MM-DD.") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise argparse.ArgumentTypeError(
            f"{value} is outside {FIRST_DAY.isoformat()}..{LAST_DAY.isoformat()}."
        )
    return day


def add_view_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--as",
        dest="as_organization",
        metavar="ORG",
        help="Read as a member of this organisation (its short name); needs --user.",
    )
    parser.add_argument(
        "--user", metavar="EMAIL", help="The member's e-mail address (or user name); needs --as."
    )


def owner_view(organization: Organization) -> Actor:
    """The brand owner's read-only view: what any of its members may read.

    No person is named (the user is an unsaved placeholder and there is no membership):
    this actor only ever reads.
    """
    return Actor(
        user=User(username="seabridge-command"),
        organization=organization,
        role=Role.VIEWER,
        membership_id=0,
    )


def brand_and_actor(options: dict[str, Any]) -> tuple[Brand, Actor]:
    """The brand ``--brand`` names, as the reading actor sees it, and that actor."""
    name = options["brand"]
    actor = command_actor(options)
    if actor is None:
        owned = Brand.objects.select_related("owner").filter(name__iexact=name.strip()).first()
        if owned is None:
            raise CommandError(f"--brand: no brand named {name!r}.")
        actor = owner_view(owned.owner)
    with refusals_as_errors():
        return brand_by_name(actor, name), actor
