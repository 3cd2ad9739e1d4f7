"""WSGI entry point (gunicorn drivein.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drivein.settings")

application = get_wsgi_application()
