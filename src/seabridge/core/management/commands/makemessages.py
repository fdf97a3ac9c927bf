"""``makemessages`` that also finds ``_l("…")``: modules that need both the eager and the
lazy gettext (an import kind's column labels) import the lazy one as ``_l``, which
xgettext does not know by default."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l"]
