from django.apps import AppConfig


class EnrolmentConfig(AppConfig):
    name = "enrolment"
    verbose_name = "Заявки, зачисление и результаты обучения"

    def ready(self) -> None:
        from enrolment import signals  # noqa: F401 - connects the receivers
