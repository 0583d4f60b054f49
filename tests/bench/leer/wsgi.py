"""gunicorn tests.bench.leer.wsgi"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.leer.settings")
application = get_wsgi_application()
