from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "providers"
    verbose_name = "Организации и каталог"

    def ready(self) -> None:
        from providers import signals  # noqa: F401 - connects the catalogue cache's invalidation
