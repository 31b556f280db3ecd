from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accreditation.models import DisagreementReason, Result


class ApplicationForm(forms.Form):
    phone = forms.CharField(label=_("Телефон"), max_length=16, widget=forms.TextInput(attrs={"type": "tel"}))
    email = forms.EmailField(label=_("Электронная почта"))
    report_agreed_with_employer = forms.TypedChoiceField(
        label=_("Отчёт о профессиональной деятельности согласован с работодателем"),
        choices=[("yes", _("Да")), ("no", _("Нет"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    report_disagreement_reason = forms.ChoiceField(
        label=_("Если не согласован — причина"),
        choices=[("", "—"), *DisagreementReason.choices],
        required=False,
    )


class ActivityReportForm(forms.Form):
    position_and_workplace = forms.CharField(
        label=_("1. Должность и место работы"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    work_done = forms.CharField(
        label=_("2. Выполненная работа за пять лет"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000
    )
    achievements = forms.CharField(
        label=_("3. Достижения, публикации"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=10000
    )
    self_assessment = forms.CharField(
        label=_("4. Самооценка"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=10000
    )


class PdfForm(forms.Form):
    file = forms.FileField(
        label=_("Файл PDF, не более 10 МБ"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"})
    )
    title = forms.CharField(label=_("Название документа"), max_length=255, required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Что нужно исправить"), widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(forms.Form):
    result = forms.ChoiceField(label=_("Результат"), choices=Result.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Комментарий"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


def form_errors_text(form: forms.Form) -> str:
    parts: list[Any] = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        text = " ".join(str(e) for e in errors)
        parts.append(f"{label}: {text}" if label else text)
    return "; ".join(str(p) for p in parts)
