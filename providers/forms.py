"""Page forms. They validate input and hand ``cleaned_data`` to the services; the services' own
errors come back as form errors (``form_apply_error``)."""

from __future__ import annotations

import html
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from nmo_portal.lib.exceptions import ApplicationError
from providers.facets import Facets
from providers.models import (
    Basis,
    Event,
    EventFormat,
    Module,
    ModuleType,
    Organisation,
    Programme,
    ProgrammeCycle,
    ProgrammeForm,
    ResponsiblePerson,
)
from reference.models import EducationLevel, Region, Specialty

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def form_apply_error(form: forms.Form, error: Exception) -> None:
    """Put a service's ValidationError or ApplicationError on the form's fields."""
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                target = field if field in form.fields else None
                for message in messages:
                    form.add_error(target, message)
        else:
            for message in error.messages:
                form.add_error(None, message)
        return
    if isinstance(error, ApplicationError):
        if isinstance(error.errors, dict):
            for field, messages in error.errors.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, str(message))
            return
        target = error.field if error.field and error.field in form.fields else None
        form.add_error(target, str(error.message))
        return
    raise error


class OrganisationForm(forms.ModelForm[Organisation]):
    site = forms.URLField(label=_("Сайт"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "full_name",
            "short_name",
            "ogrn",
            "inn",
            "kpp",
            "licence_number",
            "licence_date",
            "region",
            "legal_address",
            "actual_address",
            "phone",
            "email",
            "site",
        ]
        widgets = {"licence_date": DATE_WIDGET}


class ResponsiblePersonForm(forms.ModelForm[ResponsiblePerson]):
    snils = forms.CharField(label=_("СНИЛС"), max_length=20)

    class Meta:
        model = ResponsiblePerson
        fields = ["snils", "full_name", "position", "phone", "email"]

    def _post_clean(self) -> None:  # the service normalises and validates the SNILS
        return None


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail сотрудника"), required=False)
    snils = forms.CharField(label=_("или СНИЛС"), required=False, max_length=20)


class ProgrammePassportForm(forms.ModelForm[Programme]):
    bases = forms.MultipleChoiceField(
        label=_("Основы обучения"), choices=Basis.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Programme
        fields = [
            "title",
            "hours",
            "form",
            "bases",
            "specialty",
            "additional_specialties",
            "annotation",
            "has_simulation",
            "has_internship",
            "has_distance_technologies",
            "is_new_competency",
        ]
        widgets = {"additional_specialties": forms.SelectMultiple(attrs={"size": 8})}


class CycleForm(forms.ModelForm[ProgrammeCycle]):
    class Meta:
        model = ProgrammeCycle
        fields = ["starts_on", "ends_on", "seats_budget", "seats_contract", "seats_ffoms", "price", "region", "place"]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}


class EventForm(forms.ModelForm[Event]):
    class Meta:
        model = Event
        fields = [
            "title",
            "organiser_name",
            "starts_on",
            "ends_on",
            "zet",
            "format",
            "specialties",
            "region",
            "annotation",
            "is_free",
            "price",
            "seats",
            "attendance_control",
        ]
        widgets = {
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
            "specialties": forms.SelectMultiple(attrs={"size": 8}),
        }


class CodesForm(forms.Form):
    count = forms.IntegerField(label=_("Сколько кодов выпустить"), min_value=1, max_value=5000, initial=50)


class ModuleForm(forms.ModelForm[Module]):
    url = forms.URLField(label=_("Ссылка на платформу"), max_length=500, assume_scheme="https")

    class Meta:
        model = Module
        fields = ["title", "module_type", "zet", "specialties", "url", "annotation"]
        widgets = {"specialties": forms.SelectMultiple(attrs={"size": 8})}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Причина"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReactionForm(forms.Form):
    liked = forms.BooleanField(label=_("Нравится"), required=False)
    rating = forms.TypedChoiceField(
        label=_("Оценка"),
        choices=[("", "—"), *[(str(n), str(n)) for n in range(1, 11)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    comment = forms.CharField(label=_("Комментарий"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class PriorityOrganisationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Приоритетная организация"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = queryset  # type: ignore[attr-defined]


class PlainSelect(forms.Select):
    """A single select written out in Python, with the same markup as ``forms.Select``. Django
    renders every option through a template: 9.5 ms for the catalogue's ~350 options
    (specialties, regions, organisations), about a fifth of the page at scale; this takes 0.2 ms
    and stays small with thousands of organisations."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        selected = set(self.format_value(value))
        options = "".join(
            f'<option value="{_escape(key)}"{" selected" if str(key) in selected else ""}>{_escape(label)}</option>'
            for key, label in self.choices
        )
        attrs = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attrs), mark_safe(options))


def _escape(value: Any) -> str:
    """Django's ``conditional_escape`` without its lazy-string wrapper, which made ``format_html``
    per option ten times slower than this: the same ``html.escape``; safe strings pass as they are."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


class CatalogueFilterForm(forms.Form):
    """The catalogue's GET filters (the same names as the API's query parameters)."""

    q = forms.CharField(label=_("Поиск"), required=False, max_length=200)
    specialty = forms.ChoiceField(label=_("Специальность"), required=False, widget=PlainSelect)
    region = forms.ChoiceField(label=_("Регион"), required=False, widget=PlainSelect)
    organization = forms.TypedChoiceField(
        label=_("Организация"), required=False, coerce=int, empty_value=None, widget=PlainSelect
    )
    zet_min = forms.DecimalField(label=_("ЗЕТ от"), required=False, min_value=0, max_digits=7, decimal_places=2)
    zet_max = forms.DecimalField(label=_("ЗЕТ до"), required=False, min_value=0, max_digits=7, decimal_places=2)
    starts_after = forms.DateField(label=_("Начало с"), required=False, widget=DATE_WIDGET)
    starts_before = forms.DateField(label=_("Начало по"), required=False, widget=DATE_WIDGET)
    ordering = forms.ChoiceField(label=_("Сортировка"), required=False)

    def __init__(
        self,
        *args: Any,
        specialties: list[Specialty],
        regions: list[Region],
        organisations: list[tuple[int, str]],
        orderings: list[tuple[str, str]],
        facets: Facets | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        levels = {value: str(label) for value, label in EducationLevel.choices}  # translated once, not per row
        self.fields["specialty"].choices = [("", _("Все"))] + [  # type: ignore[attr-defined]
            (s.code, f"{s.name} ({levels.get(s.education_level, s.education_level)})") for s in specialties
        ]
        self.fields["region"].choices = [("", _("Все"))] + [(r.code, r.name) for r in regions]  # type: ignore[attr-defined]
        self.fields["organization"].choices = [("", _("Все")), *organisations]  # type: ignore[attr-defined]
        self.fields["ordering"].choices = orderings  # type: ignore[attr-defined]
        if facets is not None:
            self._label_with_counts(facets)

    def _label_with_counts(self, facets: Facets) -> None:
        """«Кардиология (312)»: each option of a counted filter says how many elements it finds
        («Все» finds them all); an option that finds none stays selectable and says (0). Only the
        labels change: the values, and so what the form accepts, stay the same."""
        for name in facets.counts:
            if name not in self.fields:
                continue
            field = self.fields[name]
            field.choices = [  # type: ignore[attr-defined]
                (value, f"{label} ({facets.total if value == '' else facets.count(name, value)})")
                for value, label in field.choices  # type: ignore[attr-defined]
            ]


class ProgrammeFilterForm(CatalogueFilterForm):
    form = forms.ChoiceField(
        label=_("Форма обучения"), required=False, choices=[("", _("Любая")), *ProgrammeForm.choices]
    )
    basis = forms.ChoiceField(label=_("Основа обучения"), required=False, choices=[("", _("Любая")), *Basis.choices])


class EventFilterForm(CatalogueFilterForm):
    format = forms.ChoiceField(label=_("Формат"), required=False, choices=[("", _("Любой")), *EventFormat.choices])
    is_free = forms.TypedChoiceField(
        label=_("Стоимость"),
        required=False,
        choices=[("", _("Любая")), ("true", _("Бесплатно")), ("false", _("Платно"))],
        coerce=lambda value: value == "true",
        empty_value=None,
    )


class ModuleFilterForm(CatalogueFilterForm):
    module_type = forms.ChoiceField(label=_("Тип"), required=False, choices=[("", _("Любой")), *ModuleType.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["starts_after"], self.fields["starts_before"]  # modules have no dates
