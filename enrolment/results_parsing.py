"""Reading a results file or JSON list into checked rows: pure functions, no database.

``parse_results_file(data, filename=...)`` takes the bytes of a CSV (UTF-8 with or without BOM, or
Windows-1251; comma or semicolon, detected from the header) or an XLSX workbook and returns the
rows, or raises ``ResultsInvalid`` carrying every problem found as ``{row, field, message}`` in
Russian. ``parse_results_json(items)`` does the same for the API's JSON list. Any input gives one
of the two answers, never another exception (a property test feeds it arbitrary bytes).

Row numbers: in a file, the line of the spreadsheet (the header is row 1, the first learner row 2);
in a JSON list, the position of the item counting from 1.

What needs the database (is the SNILS enrolled on this cycle? is the date inside the cycle? was
the row already recorded?) is checked by ``enrolment.services.results_record`` on these rows.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.snils import normalize_snils
from nmo_portal.lib.exceptions import ApplicationError

MAX_ROWS = 20_000
MAX_BYTES = 5 * 1024 * 1024
COLUMNS = ("snils", "outcome", "completed_on", "certificate_number")

# Headers as people write them in a spreadsheet, mapped to the API's column names.
HEADER_ALIASES: dict[str, str] = {
    "snils": "snils",
    "снилс": "snils",
    "outcome": "outcome",
    "результат": "outcome",
    "completed_on": "completed_on",
    "дата": "completed_on",
    "дата завершения": "completed_on",
    "дата окончания": "completed_on",
    "certificate_number": "certificate_number",
    "номер удостоверения": "certificate_number",
    "удостоверение": "certificate_number",
}
OUTCOME_ALIASES: dict[str, str] = {
    "completed": "completed",
    "освоил": "completed",
    "освоена": "completed",
    "failed": "failed",
    "не освоил": "failed",
    "не освоена": "failed",
}
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")
_XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class ResultRow:
    row: int
    snils: str
    outcome: str
    completed_on: date
    certificate_number: str


class ResultsInvalid(ApplicationError):
    """The whole input is refused (400); ``errors`` lists every problem as ``{row, field, message}``."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(_("Результаты не приняты: исправьте ошибки и отправьте файл целиком."), errors=errors)
        self.errors: list[dict[str, Any]] = errors


def _error(row: int, field: str, message: str) -> dict[str, Any]:
    return {"row": row, "field": field, "message": message}


# --- decoding -----------------------------------------------------------------------------------
def decode_text(data: bytes) -> str:
    """UTF-8 (a BOM is dropped) or else Windows-1251; ``ResultsInvalid`` for anything else."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        encodings: Sequence[str] = ("utf-8",)
    else:
        encodings = ("utf-8", "cp1251")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text or _has_control_characters(text):
            break
        return text
    raise ResultsInvalid(
        [_error(0, "file", _("Не удалось прочитать файл: сохраните его как CSV в кодировке UTF-8 или Windows-1251."))]
    )


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _has_control_characters(text: str) -> bool:
    return bool(_CONTROL.search(text))


def detect_delimiter(header_line: str) -> str:
    semicolons, commas = header_line.count(";"), header_line.count(",")
    if semicolons == 0 and commas == 0:
        raise ResultsInvalid(
            [
                _error(
                    1,
                    "file",
                    _("Не удалось определить разделитель: столбцы разделяются запятой или точкой с запятой."),
                )
            ]
        )
    return ";" if semicolons >= commas else ","


# --- tables -------------------------------------------------------------------------------------
def _csv_table(data: bytes) -> list[list[str]]:
    text = decode_text(data)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if not first:
        raise ResultsInvalid([_error(0, "file", _("Файл пуст: нет ни заголовка, ни строк с результатами."))])
    delimiter = detect_delimiter(first)
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)]
    except csv.Error:
        raise ResultsInvalid(
            [_error(0, "file", _("Файл повреждён: проверьте кавычки в ячейках и сохраните его как CSV заново."))]
        ) from None


def _xlsx_table(data: bytes, max_rows: int) -> list[list[str]]:
    try:
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        table: list[list[str]] = []
        for values in sheet.iter_rows(values_only=True):
            table.append([_cell_text(value) for value in values])
            if len(table) > max_rows + 1:
                break
        workbook.close()
        return table
    except ResultsInvalid:
        raise
    except Exception:  # noqa: BLE001 - any damage inside the archive is the same answer to the user
        raise ResultsInvalid(
            [_error(0, "file", _("Не удалось прочитать книгу Excel: сохраните её как .xlsx или как CSV."))]
        ) from None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- rows ---------------------------------------------------------------------------------------
def parse_date(raw: str) -> date | None:
    raw = raw.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


def _header_map(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    missing = []
    for index, name in enumerate(header):
        key = HEADER_ALIASES.get(name.strip().strip("\ufeff").lower())
        if key and key not in positions:
            positions[key] = index
    for column in COLUMNS:
        if column not in positions:
            missing.append(column)
    if missing:
        raise ResultsInvalid(
            [_error(1, column, _("В заголовке нет столбца «%(column)s».") % {"column": column}) for column in missing]
        )
    return positions


def check_rows(raw_rows: Iterable[tuple[int, dict[str, Any]]]) -> list[ResultRow]:
    """Check each ``(row number, values)``; collect every error before refusing the whole input."""
    errors: list[dict[str, Any]] = []
    rows: list[ResultRow] = []
    seen: dict[str, int] = {}
    for number, values in raw_rows:
        row_errors: list[dict[str, Any]] = []
        raw_snils = values.get("snils")
        snils = ""
        try:
            snils = normalize_snils(str(raw_snils) if raw_snils is not None else "")
        except ValidationError as error:
            row_errors.append(_error(number, "snils", str(error.messages[0])))
        raw_outcome = values.get("outcome")
        outcome = OUTCOME_ALIASES.get(str(raw_outcome or "").strip().lower(), "")
        if not outcome:
            row_errors.append(
                _error(number, "outcome", _("Результат: укажите «completed» (освоил) или «failed» (не освоил)."))
            )
        raw_date = values.get("completed_on")
        completed_on = parse_date(str(raw_date or ""))
        if completed_on is None:
            row_errors.append(
                _error(number, "completed_on", _("Дата завершения: укажите дату в виде ГГГГ-ММ-ДД или ДД.ММ.ГГГГ."))
            )
        certificate = str(values.get("certificate_number") or "").strip()
        if len(certificate) > 64:
            row_errors.append(_error(number, "certificate_number", _("Номер удостоверения длиннее 64 знаков.")))
        if outcome == "completed" and not certificate:
            row_errors.append(
                _error(number, "certificate_number", _("Для освоившего программу укажите номер удостоверения."))
            )
        if snils:
            if snils in seen:
                row_errors.append(
                    _error(
                        number,
                        "snils",
                        _("Слушатель с этим СНИЛС уже есть в строке %(row)s: каждый слушатель указывается один раз.")
                        % {"row": seen[snils]},
                    )
                )
            else:
                seen[snils] = number
        if row_errors:
            errors.extend(row_errors)
            continue
        assert completed_on is not None
        rows.append(
            ResultRow(
                row=number,
                snils=snils,
                outcome=outcome,
                completed_on=completed_on,
                certificate_number=certificate,
            )
        )
    if errors:
        raise ResultsInvalid(errors)
    return rows


def _too_many(max_rows: int) -> ResultsInvalid:
    return ResultsInvalid(
        [_error(0, "file", _("Слишком много строк: не более %(max)s за один раз.") % {"max": max_rows})]
    )


def _empty() -> ResultsInvalid:
    return ResultsInvalid([_error(0, "file", _("Нет ни одной строки с результатами."))])


def parse_results_file(
    data: bytes, *, filename: str = "", max_rows: int = MAX_ROWS, max_bytes: int = MAX_BYTES
) -> list[ResultRow]:
    """The rows of a CSV or XLSX results file, or ``ResultsInvalid``."""
    if not data:
        raise ResultsInvalid([_error(0, "file", _("Файл пуст."))])
    if len(data) > max_bytes:
        raise ResultsInvalid(
            [
                _error(
                    0,
                    "file",
                    _("Файл слишком большой: не более %(mb)s МБ.") % {"mb": max_bytes // (1024 * 1024) or 1},
                )
            ]
        )
    is_xlsx = data.startswith(_XLSX_MAGIC) or filename.lower().endswith(".xlsx")
    table = _xlsx_table(data, max_rows) if is_xlsx else _csv_table(data)
    while table and not any(cell.strip() for cell in table[-1]):
        table.pop()
    if not table:
        raise _empty()
    positions = _header_map(table[0])
    body = [(number, cells) for number, cells in enumerate(table[1:], start=2) if any(c.strip() for c in cells)]
    if not body:
        raise _empty()
    if len(body) > max_rows:
        raise _too_many(max_rows)

    def values(cells: list[str]) -> dict[str, Any]:
        return {column: (cells[index] if index < len(cells) else "") for column, index in positions.items()}

    return check_rows((number, values(cells)) for number, cells in body)


def parse_results_json(items: Any, *, max_rows: int = MAX_ROWS) -> list[ResultRow]:
    """The rows of the API's JSON list, or ``ResultsInvalid``."""
    if not isinstance(items, list):
        raise ResultsInvalid(
            [_error(0, "body", _("Ожидается список строк: [{snils, outcome, completed_on, certificate_number}]."))]
        )
    if not items:
        raise _empty()
    if len(items) > max_rows:
        raise _too_many(max_rows)
    errors = [
        _error(
            number, "row", _("Строка должна быть объектом с полями snils, outcome, completed_on, certificate_number.")
        )
        for number, item in enumerate(items, start=1)
        if not isinstance(item, dict)
    ]
    if errors:
        raise ResultsInvalid(errors)
    return check_rows(
        (number, {k: (v if isinstance(v, str) else ("" if v is None else str(v))) for k, v in item.items()})
        for number, item in enumerate(items, start=1)
    )
