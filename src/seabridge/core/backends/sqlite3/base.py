"""Django's SQLite backend, told the real parameter limit of the SQLite we run on.

Django assumes 999 parameters per statement (SQLite before 3.32), so a bulk insert
of vehicles went 60 rows at a time. SQLite 3.32 and later take 32,766 (Debian 12
ships 3.40): bulk writes and ``__in`` lookups then need far fewer statements.
"""

from __future__ import annotations

import sqlite3

from django.db.backends.sqlite3 import base, features

MODERN_LIMIT = 32_766


class DatabaseFeatures(features.DatabaseFeatures):
    max_query_params = MODERN_LIMIT if sqlite3.sqlite_version_info >= (3, 32) else 999


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
