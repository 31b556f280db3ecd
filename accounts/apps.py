from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Пользователи"

    def ready(self) -> None:
        from accounts import roles  # noqa: F401  (registers the permission rules)
