from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "reference"
    verbose_name = "Справочники и правила"

    def ready(self) -> None:
        from reference import signals  # noqa: F401
