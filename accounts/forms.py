"""Page forms. They parse input; the services decide (and say why, in Russian)."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import default_token_generator
from allauth.account.internal.flows.password_reset import request_password_reset
from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.backends import user_by_login
from accounts.models import AccreditationType, DocumentKind, Sex, User
from accounts.services import CITIZENSHIPS
from nmo_portal.lib.exceptions import ApplicationError
from reference.models import EducationLevel
from reference.selectors import region_list, specialty_list

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def apply_errors(form: forms.Form, error: ApplicationError) -> None:
    """Put a service's errors on the form's fields (the rest above the form)."""
    if isinstance(error.errors, dict):
        for field, messages in error.errors.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, str(message))
    elif error.field and error.field in form.fields:
        form.add_error(error.field, str(error.message))
    else:
        form.add_error(None, str(error.message))


def _region_choices() -> list[tuple[str, Any]]:
    return [("", _("— выберите регион —")), *((r.code, f"{r.code} — {r.name}") for r in region_list())]


class RegistrationForm(forms.Form):
    citizenship = forms.ChoiceField(label=_("Гражданство"), choices=CITIZENSHIPS, initial="RU")
    region = forms.ChoiceField(label=_("Регион проживания"), required=False)
    snils = forms.CharField(
        label=_("СНИЛС"),
        required=False,
        max_length=20,
        help_text=_("11 цифр, например 112-233-445 95; можно без дефисов и пробелов."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    last_name = forms.CharField(label=_("Фамилия"), required=False, max_length=150)
    first_name = forms.CharField(label=_("Имя"), required=False, max_length=150)
    middle_name = forms.CharField(label=_("Отчество (при наличии)"), required=False, max_length=150)
    sex = forms.ChoiceField(label=_("Пол"), choices=[("", "—"), *Sex.choices], required=False)
    birth_date = forms.DateField(label=_("Дата рождения"), required=False, widget=DATE_WIDGET)
    email = forms.CharField(
        label=_("Электронная почта"), required=False, max_length=254, widget=forms.EmailInput(attrs={"type": "email"})
    )
    phone = forms.CharField(
        label=_("Телефон"),
        required=False,
        max_length=30,
        help_text=_("Например +7 912 345-67-89."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    education_level = forms.ChoiceField(
        label=_("Уровень образования (кабинет)"),
        choices=[("", "—"), *EducationLevel.choices],
        required=False,
        help_text=_("Высшее — врачи и провизоры; среднее — медицинские сёстры, фельдшеры, фармацевты."),
    )
    password = forms.CharField(
        label=_("Пароль"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Не короче 8 символов; не только цифры и не похожий на СНИЛС или e-mail."),
    )
    consent_personal_data = forms.BooleanField(
        label=_("Даю согласие на обработку моих персональных данных"), required=False
    )
    accept_terms = forms.BooleanField(label=_("Принимаю пользовательское соглашение"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _region_choices()  # type: ignore[attr-defined]


class LoginForm(AllauthLoginForm):
    """allauth's login form with one field for the SNILS (any spelling) or the e-mail."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"] = forms.CharField(
            label=_("СНИЛС или e-mail"),
            max_length=254,
            widget=forms.TextInput(attrs={"autocomplete": "username", "placeholder": "112-233-445 95"}),
        )
        self.fields["password"].label = _("Пароль")
        self.order_fields(["login", "password", "remember"])

    def user_credentials(self) -> dict[str, Any]:
        # The key is "login" so that django-axes (AXES_USERNAME_FORM_FIELD) counts the attempt.
        return {"login": self.cleaned_data["login"], "password": self.cleaned_data.get("password") or ""}

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except forms.ValidationError as error:
            # One message whatever was wrong: the login or the password.
            raise forms.ValidationError(_("Неверный СНИЛС (e-mail) или пароль.")) from error


class PasswordResetForm(AllauthResetPasswordForm):
    """Recovery by SNILS or e-mail. The link goes to the address on file; the answer is the same
    whether or not anybody has that SNILS."""

    email = forms.CharField(
        label=_("СНИЛС или e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "placeholder": "112-233-445 95"}),
    )

    def clean_email(self) -> str:
        login = (self.cleaned_data.get("email") or "").strip()
        user = user_by_login(login)
        self.users = [user] if user is not None and user.is_active else []
        return login

    def save(self, request: HttpRequest, **kwargs: Any) -> str:
        login: str = self.cleaned_data["email"]
        for user in self.users:
            request_password_reset(request, user.email, [user], kwargs.get("token_generator", default_token_generator))
        return login


class ProfileForm(forms.Form):
    phone = forms.CharField(
        label=_("Телефон"),
        max_length=30,
        help_text=_("Например +7 912 345-67-89."),
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    region = forms.ChoiceField(label=_("Регион проживания"))
    education_level = forms.ChoiceField(label=_("Уровень образования (кабинет)"), choices=EducationLevel.choices)
    notify_credits = forms.BooleanField(label=_("Когда зачислены ЗЕТ"), required=False)
    notify_codes = forms.BooleanField(label=_("Когда проверен код подтверждения"), required=False)
    notify_new_modules = forms.BooleanField(label=_("О новых модулях по моим специальностям"), required=False)
    notify_deadlines = forms.BooleanField(label=_("О приближении сроков"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "phone": user.phone_display,
                "region": user.region.code if user.region else "",
                "education_level": user.education_level,
                "notify_credits": user.notify_credits,
                "notify_codes": user.notify_codes,
                "notify_new_modules": user.notify_new_modules,
                "notify_deadlines": user.notify_deadlines,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _region_choices()  # type: ignore[attr-defined]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Вид документа"), choices=DocumentKind.choices)
    accreditation_type = forms.ChoiceField(
        label=_("Вид аккредитации"),
        choices=[("", _("— только для аккредитации —")), *AccreditationType.choices],
        required=False,
    )
    is_record = forms.BooleanField(label=_("Выписка о прохождении аккредитации (вместо свидетельства)"), required=False)
    specialty = forms.ChoiceField(label=_("Специальность"))
    series = forms.CharField(label=_("Серия"), max_length=32, required=False)
    number = forms.CharField(label=_("Номер"), max_length=64)
    issued_on = forms.DateField(label=_("Дата выдачи"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        specialties = specialty_list(education_level=user.education_level or None)
        self.fields["specialty"].choices = [  # type: ignore[attr-defined]
            ("", _("— выберите специальность —")),
            *((s.code, s.name) for s in specialties),
        ]
