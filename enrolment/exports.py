"""The cycle's applications as CSV or XLSX for the organisation's staff, written by the shared
``nmo_portal.lib.exports`` (cells that a spreadsheet would run as a formula are neutralised)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpResponseBase
from django.utils.translation import gettext as _

from enrolment.models import Application
from nmo_portal.lib.exports import csv_response, xlsx_response


def application_header() -> list[str]:
    return [
        _("Номер заявки"),
        _("Фамилия"),
        _("Имя"),
        _("Отчество"),
        _("СНИЛС"),
        _("Дата рождения"),
        _("Специальность"),
        _("Занятость"),
        _("Основа обучения"),
        _("Состояние"),
        _("Дата заявки"),
    ]


def application_rows(applications: Iterable[Application]) -> Iterable[list[Any]]:
    for a in applications:
        yield [
            a.number or "",
            a.applicant.last_name,
            a.applicant.first_name,
            a.applicant.middle_name,
            a.applicant.snils_display,
            f"{a.applicant.birth_date:%d.%m.%Y}" if a.applicant.birth_date else "",
            a.specialty.name,
            a.get_employment_display(),
            a.get_basis_display(),
            a.get_status_display(),
            f"{a.created_at:%d.%m.%Y}",
        ]


def applications_export(*, applications: Iterable[Application], kind: str, name: str) -> HttpResponseBase:
    rows = application_rows(applications)
    if kind == "xlsx":
        return xlsx_response(f"{name}.xlsx", application_header(), rows, title=_("Заявки"))
    return csv_response(f"{name}.csv", application_header(), rows)
