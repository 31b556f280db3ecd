"""The person: one account per SNILS, logging in by SNILS or e-mail."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.snils import format_snils, mask_snils, normalize_snils, validate_snils


class Role(models.TextChoices):
    SPECIALIST = "specialist", _("Специалист")
    PROVIDER_STAFF = "provider_staff", _("Сотрудник образовательной организации")
    SECRETARY = "secretary", _("Ответственный секретарь")
    COMMISSION = "commission", _("Член аккредитационной комиссии")
    METHODOLOGIST = "methodologist", _("Методист")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, snils: str, email: str, password: str | None, **extra: Any) -> User:
        user = self.model(snils=normalize_snils(snils), email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, snils: str, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(snils, email, password, **extra)

    def create_superuser(self, snils: str, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(snils, email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    snils = models.CharField(
        _("СНИЛС"),
        max_length=11,
        unique=True,
        validators=[validate_snils],
        help_text=_("11 цифр; изменяется только службой поддержки."),
    )
    email = models.EmailField(_("электронная почта"), max_length=254)
    last_name = models.CharField(_("фамилия"), max_length=150, blank=True)
    first_name = models.CharField(_("имя"), max_length=150, blank=True)
    middle_name = models.CharField(_("отчество"), max_length=150, blank=True)
    is_active = models.BooleanField(_("активен"), default=True)
    is_staff = models.BooleanField(_("доступ к администрированию"), default=False)
    date_joined = models.DateTimeField(_("дата регистрации"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "snils"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.CheckConstraint(condition=models.Q(snils__regex=r"^[0-9]{11}$"), name="user_snils_11_digits"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.snils_display

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.middle_name) if part)

    @property
    def snils_display(self) -> str:
        return format_snils(self.snils)

    @property
    def snils_masked(self) -> str:
        return mask_snils(self.snils)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name

    def clean(self) -> None:
        super().clean()
        self.email = (self.email or "").strip().lower()


class RoleGrant(models.Model):
    """A role a person holds. ``provider_staff`` is granted by the providers app with a membership."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("роль"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(_("назначена"), default=timezone.now)

    class Meta:
        verbose_name = _("роль пользователя")
        verbose_name_plural = _("роли пользователей")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_grant_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.role}"
