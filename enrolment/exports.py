"""The cycle's applications as CSV or XLSX for the organisation's staff.

Cells a spreadsheet would run as a formula (``= + - @``, and tab/CR) are neutralised with a
leading apostrophe (OWASP's CSV injection advice). When the security branch's shared writer
(``nmo_portal.lib.exports``) is on this branch it is used instead of this fallback.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from enrolment.models import Application

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def application_header() -> list[str]:
    return [
        _("Номер заявки"),
        _("Фамилия"),
        _("Имя"),
        _("Отчество"),
        _("СНИЛС"),
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
            a.specialty.name,
            a.get_employment_display(),
            a.get_basis_display(),
            a.get_status_display(),
            f"{a.created_at:%d.%m.%Y}",
        ]


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([escape_cell(h) for h in header])
    for row in rows:
        writer.writerow([escape_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "Заявки") -> bytes:
    import tablib

    dataset = tablib.Dataset(headers=[escape_cell(h) for h in header], title=title[:31])
    for row in rows:
        dataset.append([escape_cell(v) for v in row])
    data = dataset.export("xlsx")
    assert isinstance(data, bytes)
    return data
