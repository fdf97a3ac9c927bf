"""WSGI entry point for production servers: ``gunicorn seabridge.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seabridge.settings")

application = get_wsgi_application()
