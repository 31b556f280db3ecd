from django.apps import AppConfig


class TrajectoryConfig(AppConfig):
    name = "trajectory"
    verbose_name = "Пятилетние циклы и план"
