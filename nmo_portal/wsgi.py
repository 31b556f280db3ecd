import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nmo_portal.settings.dev")

application = get_wsgi_application()

from nmo_portal.lib.safety import refuse_unsafe_production  # noqa: E402

refuse_unsafe_production()
