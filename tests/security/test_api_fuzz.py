"""API fuzzing (issue 9, item 2): schemathesis generates requests for every operation in
/api/schema/, valid ones and deliberately invalid ones, and sends them through the WSGI application
as each role. No 500s; every response (status, content type, body, headers) conforms to the schema;
invalid input is refused with a 4xx.

Bounded: ``FUZZ_MAX_EXAMPLES`` (default 10) examples per operation, mode and persona, lowered
(to no fewer than 3) so a persona sends at most about ``FUZZ_CASES_PER_PERSONA`` (400); no deadline. A
persona is authenticated with ``Authorization: Token <key>`` (tokens created directly); the world
of tests/access.py supplies the users, so objects the apps' world builders create (a document owned
by the specialist, organisation A's programme...) exist while fuzzing too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode

from tests.access import build_world

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "10"))
# The total per persona: as operations multiply, each gets fewer examples (never under 3), so the
# whole run stays within a few minutes.
CASES_PER_PERSONA = int(os.environ.get("FUZZ_CASES_PER_PERSONA", "400"))
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
# One persona per role (the "other" personas hold the same roles and add nothing to fuzzing).
FUZZ_PERSONAS = ["anonymous", "specialist", "provider_a", "secretary_own", "commission_own", "methodologist"]

# Operations whose schema-valid bodies are legitimately refused by business rules no schema can
# state: a SNILS check number, an e-mail or SNILS already registered, an age under 16, a region or
# specialty code that must exist in the reference data, a date not in the future. Random schema-valid
# data almost never satisfies them, so a 400 there is right, not a broken contract. For these (and
# only these) the one check "schema-valid request accepted" (ST202, positive_data_acceptance) is
# skipped; every other check still runs on them: no 5xx, documented status codes, content type,
# response bodies and headers conforming to the schema, schema-invalid input refused with a 4xx.
BUSINESS_RULES_REFUSE_VALID_DATA = {
    "POST /api/v1/auth/token/",  # the credentials must belong to an account (a 400 never says which part)
    "POST /api/v1/auth/register/",  # SNILS check number, unique SNILS/e-mail, age >= 16, region exists
    "PATCH /api/v1/me/",  # the region code must exist; the phone must be a Russian number
    "POST /api/v1/me/documents/",  # the specialty must exist at the user's level; issued_on not in the future
    "PATCH /api/v1/me/documents/{document_id}/",  # the same rules for a change
    # the catalogue: zet_min <= zet_max and starts_after <= starts_before; ZET with two decimal places
    "GET /api/v1/catalog/programs/",
    "GET /api/v1/catalog/events/",
    "GET /api/v1/catalog/modules/",
    "POST /api/v1/provider/programs/",  # the specialty codes must exist in the reference data
    "POST /api/v1/provider/events/",  # ZET at most 12 a day of the event, ends_on >= starts_on, codes exist
    "POST /api/v1/provider/modules/",  # an http(s) URL with a host (the "uri" format admits more)
    "POST /api/v1/me/applications/",  # consent must be given, a free seat on that basis, a matching specialty
    "POST /api/v1/provider/learners/validate/",  # a SNILS with its check number, a real birth date
}

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """The real WSGI application. Like Django's test client, keep the request signals from closing
    the test's database connection (it holds the test transaction)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _operations(app: Any) -> list[Any]:
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
    operations = []
    for result in schema.get_all_operations():
        operations.append(result.ok())  # an operation the schema cannot describe fails here
    return operations


def _has_input(operation: Any) -> bool:
    """Whether the operation takes anything a request could get wrong: a body, or a parameter other
    than the credentials schemathesis adds from the security schemes (a string takes any value)."""
    if next(iter(operation.body), None) is not None:
        return True
    parameters = [*operation.path_parameters, *operation.query, *operation.headers, *operation.cookies]
    return any("x-original-security-type" not in parameter.definition for parameter in parameters)


def _fuzz(operation: Any, mode: GenerationMode, examples: int, headers: dict[str, str], sent: list[str]) -> None:
    if mode is GenerationMode.NEGATIVE and not _has_input(operation):
        return  # e.g. GET /api/v1/me/: nothing to make invalid, hypothesis could only report Unsatisfiable
    excluded = (
        [schemathesis.checks.positive_data_acceptance] if operation.label in BUSINESS_RULES_REFUSE_VALID_DATA else []
    )

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def fuzz(case: Any) -> None:
        sent.append(operation.label)
        case.call_and_validate(headers=headers, excluded_checks=excluded)

    fuzz()


@pytest.mark.parametrize("persona", FUZZ_PERSONAS)
def test_no_operation_fails_or_breaks_its_schema(persona: str, wsgi_app: Any, record_property: Any) -> None:
    world = build_world()
    headers = {} if persona == "anonymous" else {"Authorization": f"Token {world.tokens[persona]}"}
    operations = _operations(wsgi_app)
    assert operations, "the schema lists no operations"
    sent: list[str] = []

    examples = max(3, min(MAX_EXAMPLES, CASES_PER_PERSONA // (len(operations) * len(MODES))))
    for operation in operations:
        for mode in MODES:
            _fuzz(operation, mode, examples, headers, sent)

    record_property("fuzz_cases", len(sent))
    print(f"fuzz [{persona}]: {len(sent)} cases over {len(operations)} operations")
