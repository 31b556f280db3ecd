"""The results parser is a pure function: any bytes give rows or a validation error."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enrolment.results_parsing import ResultsInvalid, parse_results_file, parse_results_json

HEADER = "snils,outcome,completed_on,certificate_number"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_any_bytes_give_rows_or_a_validation_error(data: bytes) -> None:
    try:
        rows = parse_results_file(data)
    except ResultsInvalid as error:
        assert error.errors and all({"row", "field", "message"} <= set(e) for e in error.errors)
    else:
        assert isinstance(rows, list)


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cells, min_size=0, max_size=6), max_size=8), st.sampled_from([",", ";"]))
def test_any_table_with_our_header_gives_rows_or_a_validation_error(table: list[list[str]], delimiter: str) -> None:
    text = "\n".join([HEADER.replace(",", delimiter)] + [delimiter.join(r) for r in table])
    for encoding in ("utf-8", "utf-8-sig"):
        with contextlib.suppress(ResultsInvalid):
            parse_results_file(text.encode(encoding, errors="ignore"))


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda c: st.lists(c) | st.dictionaries(st.text(max_size=5), c),
        max_leaves=10,
    )
)
def test_any_json_gives_rows_or_a_validation_error(value: object) -> None:
    with contextlib.suppress(ResultsInvalid):
        parse_results_json(value)


def test_a_good_file_is_parsed_with_spreadsheet_row_numbers() -> None:
    data = f"{HEADER}\n112-233-445 95,completed,15.03.2026,УД-1\n\n123-456-789 64;failed;2026-03-15;\n".encode()
    with pytest.raises(ResultsInvalid):  # mixed delimiters: the last line is one cell
        parse_results_file(data)
    rows = parse_results_file(
        f"{HEADER}\n112-233-445 95,completed,15.03.2026,УД-1\n123-456-789 64,failed,2026-03-15,\n".encode()
    )
    assert [(r.row, r.snils, r.outcome, r.completed_on) for r in rows] == [
        (2, "11223344595", "completed", date(2026, 3, 15)),
        (3, "12345678964", "failed", date(2026, 3, 15)),
    ]


def test_windows_1251_is_detected() -> None:
    text = "СНИЛС;Результат;Дата;Номер удостоверения\n112-233-445 95;освоил;15.03.2026;УД-1\n"
    rows = parse_results_file(text.encode("cp1251"))
    assert rows[0].outcome == "completed"


def test_every_error_of_every_row_is_listed() -> None:
    data = f"{HEADER}\n1,maybe,31.13.2026,\n112-233-445 95,completed,2026-01-01,\n".encode()
    with pytest.raises(ResultsInvalid) as error:
        parse_results_file(data)
    assert {(e["row"], e["field"]) for e in error.value.errors} == {
        (2, "snils"),
        (2, "outcome"),
        (2, "completed_on"),
        (3, "certificate_number"),
    }
