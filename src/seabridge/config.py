"""Typed readers for settings that come from the environment.

Settings never read ``os.environ`` directly: these helpers say what type a
variable has, what its default is, and fail with a message naming the variable
when its value cannot be understood.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})

# Secrets that must never run a production server: empty, Django's template
# prefix, and the development default below.
DEVELOPMENT_SECRET_KEY = "seabridge-development-only-secret-key-never-use-in-production"  # noqa: S105 - refused when DEBUG is off
MINIMUM_SECRET_KEY_LENGTH = 50
PLACEHOLDER_SECRET_PREFIXES = ("django-insecure", "change-me", "changeme", "seabridge-development")


def env_str(name: str, default: str, environ: Mapping[str, str] | None = None) -> str:
    """Return the variable's text, or ``default`` when it is not set."""
    source = os.environ if environ is None else environ
    return source.get(name, default)


def env_bool(name: str, default: bool, environ: Mapping[str, str] | None = None) -> bool:
    """Return the variable as a boolean; accepts 1/0, true/false, yes/no, on/off."""
    source = os.environ if environ is None else environ
    if name not in source:
        return default
    value = source[name].strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {source[name]!r}.")


def env_int(name: str, default: int, environ: Mapping[str, str] | None = None) -> int:
    """Return the variable as an integer."""
    source = os.environ if environ is None else environ
    if name not in source:
        return default
    try:
        return int(source[name])
    except ValueError as error:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, not {source[name]!r}."
        ) from error


def env_list(name: str, default: list[str], environ: Mapping[str, str] | None = None) -> list[str]:
    """Return a comma-separated variable as a list of non-empty, stripped items."""
    source = os.environ if environ is None else environ
    if name not in source:
        return list(default)
    return [item.strip() for item in source[name].split(",") if item.strip()]


def secret_key(*, debug: bool, value: str | None) -> str:
    """Return the secret key to use, refusing a missing or placeholder one in production.

    With ``DEBUG`` on, a development default stands in for a missing key so that
    ``make run`` works on a fresh machine. With ``DEBUG`` off the server refuses to
    start rather than sign sessions with a key anyone can read in this file.
    """
    if debug:
        return value or DEVELOPMENT_SECRET_KEY
    if not value:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    lowered = value.lower()
    if lowered.startswith(PLACEHOLDER_SECRET_PREFIXES) or len(value) < MINIMUM_SECRET_KEY_LENGTH:
        raise ImproperlyConfigured(
            "SECRET_KEY is a placeholder or shorter than "
            f"{MINIMUM_SECRET_KEY_LENGTH} characters; generate a real one."
        )
    if len(set(value)) < 5:
        raise ImproperlyConfigured("SECRET_KEY is too repetitive to be a real secret.")
    return value


def database(*, url: str | None, var_dir: Path) -> dict[str, Any]:
    """Return Django's database settings for ``DATABASE_URL`` or the embedded default.

    The default is an SQLite file under ``var/`` in WAL mode (readers never wait
    for the writer), with a busy timeout and ``BEGIN IMMEDIATE`` transactions so
    that two writers queue instead of failing with "database is locked".
    """
    if not url:
        url = f"sqlite:///{var_dir / 'seabridge.sqlite3'}"
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Django's backend, with SQLite's real parameter limit (core/backends/sqlite3).
        config["ENGINE"] = "seabridge.core.backends.sqlite3"
        config["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=20000;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    else:
        config["CONN_MAX_AGE"] = 60
        config["CONN_HEALTH_CHECKS"] = True
    return config
