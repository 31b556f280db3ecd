import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nmo_portal.settings.dev")

application = get_asgi_application()

from nmo_portal.lib.safety import refuse_unsafe_production  # noqa: E402

refuse_unsafe_production()
