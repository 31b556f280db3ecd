from django.apps import AppConfig


class EnrolmentConfig(AppConfig):
    name = "enrolment"
    verbose_name = "Заявки, зачисление и результаты обучения"
