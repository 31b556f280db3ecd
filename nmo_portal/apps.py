from django.apps import AppConfig


class NmoPortalConfig(AppConfig):
    """The project package as an app: it holds the project-wide commands (seed_demo,
    run_periodic) that call into every app, so it comes last in INSTALLED_APPS."""

    name = "nmo_portal"
    verbose_name = "НМО"
