"""Access rows for the project-wide pages, the API's schema and docs, reference data and the
allauth routes the portal uses (see tests/access.py)."""

from __future__ import annotations

from tests.access import Row, statuses

ROWS: list[Row] = [
    Row("home", statuses(200)),
    Row("a11y-toggle", statuses(302), method="POST", data={"next": "/"}),
    Row("a11y-toggle", statuses(405), note="GET is refused"),
    Row("healthz", statuses(200)),
    Row("baseline", statuses(200), note="the benchmark's minimal view: no data, no template"),
    Row("api-schema", statuses(200)),
    Row("api-docs", statuses(200)),
    Row("api-specialties", statuses(200)),
    Row("api-specialties", statuses(405), method="POST", data={}, note="read-only"),
    Row("api-regions", statuses(200)),
    Row("account_login", statuses(302, anonymous=200)),
    Row("account_logout", statuses(200, anonymous=302)),
    Row("account_logout", statuses(302), method="POST"),
    Row("account_reset_password", statuses(200)),
    # "Download my data": everyone signed in gets their own ZIP, and only their own.
    Row("my-data-export", statuses(200, anonymous=302)),
    Row("api-my-data-export", statuses(200, anonymous=401)),
    Row("api-my-data-export", statuses(405, anonymous=401), method="POST", data={}, note="read-only"),
]
