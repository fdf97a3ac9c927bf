"""What every app's management commands share: a domain refusal turned into a
``CommandError`` that names the options at fault."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management.base import CommandError

from seabridge.core.errors import DomainError

# Domain field names that are spelt differently as options.
OPTIONS = {"language": "--lang", "end": "--to", "start": "--from"}


@contextmanager
def refusals_as_errors() -> Iterator[None]:
    """Turn a :class:`DomainError` into a ``CommandError`` naming the options at fault."""
    try:
        yield
    except DomainError as error:
        if error.fields:
            detail = "; ".join(
                f"{OPTIONS.get(name, '--' + name.replace('_', '-'))}: {' '.join(texts)}"
                for name, texts in error.fields.items()
            )
        else:
            detail = error.message
        raise CommandError(detail) from error
