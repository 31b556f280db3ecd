from django.apps import AppConfig


class AccreditationConfig(AppConfig):
    name = "accreditation"
    verbose_name = "Периодическая аккредитация"
