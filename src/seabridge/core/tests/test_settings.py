import contextlib
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from seabridge import config
from seabridge.core.backends.sqlite3.base import DatabaseWrapper

REAL_SECRET = "k3J9-vQ2xP7mZ4wR8tY1uI6oL5aS0dF3gH2jK9lZ8xC7vB6nM5qW4eR3tY2uI1oP"


def test_production_refuses_a_missing_secret():
    with pytest.raises(
        ImproperlyConfigured, match=re.escape("SECRET_KEY must be set when DEBUG is off.")
    ):
        config.secret_key(debug=False, value=None)


@pytest.mark.parametrize(
    "placeholder",
    [
        "django-insecure-abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnop",
        "change-me-please-0000000000000000000000000000000000000000000000",
        config.DEVELOPMENT_SECRET_KEY,
        "short-but-random-Xy7",
        "a" * 60,
    ],
)
def test_production_refuses_a_placeholder_secret(placeholder):
    with pytest.raises(ImproperlyConfigured):
        config.secret_key(debug=False, value=placeholder)


def test_production_accepts_a_real_secret_and_debug_has_a_default():
    assert config.secret_key(debug=False, value=REAL_SECRET) == REAL_SECRET
    assert config.secret_key(debug=True, value=None) == config.DEVELOPMENT_SECRET_KEY
    assert config.secret_key(debug=True, value=REAL_SECRET) == REAL_SECRET


def _run_settings(environment: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(environment)
    env["DJANGO_SETTINGS_MODULE"] = "seabridge.settings"
    return subprocess.run(
        [sys.executable, "-m", "seabridge", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_server_does_not_start_in_production_without_a_secret(tmp_path: Path):
    result = _run_settings({"DEBUG": "false", "SEABRIDGE_VAR_DIR": str(tmp_path)}, "check")
    assert result.returncode == 1
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_production_settings_pass_the_deployment_check(tmp_path: Path):
    result = _run_settings(
        {
            "DEBUG": "false",
            "SECRET_KEY": REAL_SECRET,
            "ALLOWED_HOSTS": "seabridge.example.com",
            "SEABRIDGE_VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_env_helpers_name_the_variable_they_cannot_read():
    with pytest.raises(
        ImproperlyConfigured, match=re.escape("DEBUG must be true or false, not 'maybe'.")
    ):
        config.env_bool("DEBUG", default=False, environ={"DEBUG": "maybe"})
    with pytest.raises(
        ImproperlyConfigured, match=re.escape("PORT must be a whole number, not 'eighty'.")
    ):
        config.env_int("PORT", default=1, environ={"PORT": "eighty"})
    assert config.env_list("HOSTS", default=[], environ={"HOSTS": " a.example, ,b.example "}) == [
        "a.example",
        "b.example",
    ]


def test_the_default_database_is_sqlite_under_var_in_wal_mode(tmp_path: Path, django_db_blocker):
    settings_dict = config.database(url=None, var_dir=tmp_path)
    assert settings_dict["ENGINE"] == "seabridge.core.backends.sqlite3"
    assert settings_dict["NAME"] == str(tmp_path / "seabridge.sqlite3")
    settings_dict.update(
        {
            "ATOMIC_REQUESTS": False,
            "AUTOCOMMIT": True,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "TIME_ZONE": None,
            "TEST": {},
        }
    )
    connection = DatabaseWrapper(settings_dict, alias="wal-check")
    try:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone() == ("wal",)
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone() == (20000,)
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone() == (1,)
    finally:
        connection.close()
    # WAL is a property of the file: a plain connection opened later sees it too.
    with contextlib.closing(sqlite3.connect(tmp_path / "seabridge.sqlite3")) as plain:
        assert plain.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_database_url_chooses_postgresql():
    settings_dict = config.database(
        url="postgres://seabridge:secret@db.internal:5433/seabridge", var_dir=Path("/unused")
    )
    assert settings_dict["ENGINE"] == "django.db.backends.postgresql"
    assert (settings_dict["HOST"], settings_dict["PORT"], settings_dict["NAME"]) == (
        "db.internal",
        5433,
        "seabridge",
    )
    assert settings_dict["CONN_HEALTH_CHECKS"] is True


def test_sqlite_is_told_its_real_parameter_limit(tmp_path: Path, django_db_blocker):
    settings_dict = config.database(url=None, var_dir=tmp_path)
    settings_dict.update(
        {
            "ATOMIC_REQUESTS": False,
            "AUTOCOMMIT": True,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "TIME_ZONE": None,
            "TEST": {},
        }
    )
    connection = DatabaseWrapper(settings_dict, alias="limit-check")
    try:
        with django_db_blocker.unblock(), connection.cursor():
            limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        assert connection.features.max_query_params == 32_766
        assert limit >= connection.features.max_query_params
    finally:
        connection.close()
