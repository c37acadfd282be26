"""WSGI entry point for production servers (``gunicorn nap1325.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nap1325.settings")
application = get_wsgi_application()
