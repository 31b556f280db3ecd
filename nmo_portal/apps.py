from django.apps import AppConfig


class NmoPortalConfig(AppConfig):
    """The project package as an app: it holds the project-wide commands (seed_demo,
    run_periodic) that call into every app, so it comes last in INSTALLED_APPS."""

    name = "nmo_portal"
    verbose_name = "НМО"

    def ready(self) -> None:
        from nmo_portal.lib import lookups  # noqa: F401 - registers ``field__any``
