"""WSGI entry point for gunicorn: `gunicorn aktionsplan.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aktionsplan.settings")

application = get_wsgi_application()
