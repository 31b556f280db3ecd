"""Access rows for cycles with progress, the portfolio, its PDF and code activation (see
tests/access.py; the world comes from tests/trajectory/access.py)."""

from __future__ import annotations

from tests.access import Row, statuses
from tests.trajectory.access import OWN_API, OWN_PAGE

MINE_API = statuses(403, anonymous=401, specialist=200, other_specialist=200)  # each sees their own
MINE_PAGE = statuses(403, anonymous=302, specialist=200, other_specialist=200)

ROWS: list[Row] = [
    Row("api-cycles", MINE_API),
    Row(
        "api-cycles",
        statuses(403, anonymous=401, specialist=201, other_specialist=404),
        method="POST",
        data=lambda w: {"document": w.spare_document.pk},
    ),
    Row("api-cycle", OWN_API, url=lambda w: f"/api/v1/me/cycles/{w.cycle.pk}/"),
    Row(
        "api-cycle",
        statuses(403, anonymous=401, specialist=404, other_specialist=404),
        url="/api/v1/me/cycles/-1x/",
        note="an id that is not a number: the API's JSON 404",
    ),
    Row(
        "api-code-activation",
        statuses(403, anonymous=401, specialist=404, other_specialist=404),
        url="/api/v1/me/code-activations/%C3%8D/",
        note="an id that is not a number: the API's JSON 404",
    ),
    Row("api-portfolio", OWN_API, url=lambda w: f"/api/v1/me/cycles/{w.cycle.pk}/portfolio/"),
    Row(
        "api-portfolio-pdf",
        statuses(403, anonymous=401, specialist=202, other_specialist=404),
        method="POST",
        url=lambda w: f"/api/v1/me/cycles/{w.cycle.pk}/portfolio/pdf/",
    ),
    Row("api-portfolio-pdf-detail", OWN_API, url=lambda w: f"/api/v1/me/portfolio-pdfs/{w.pdf.pk}/"),
    Row("api-portfolio-pdf-file", OWN_API, url=lambda w: f"/api/v1/me/portfolio-pdfs/{w.pdf.pk}/file/"),
    Row("api-code-activations", MINE_API),
    Row(
        "api-code-activations",
        statuses(403, anonymous=401, specialist=202, other_specialist=202),
        method="POST",
        data={"code": "AAAA-BBBB-CCCC"},
    ),
    Row("api-code-activation", OWN_API, url=lambda w: f"/api/v1/me/code-activations/{w.activation.pk}/"),
    Row("portfolio:cycles", MINE_PAGE),
    Row(
        "portfolio:cycles",
        statuses(403, anonymous=302, specialist=302, other_specialist=302),
        method="POST",
        data=lambda w: {"document": w.spare_document.pk},
        note="someone else's document: an error message, nothing opened",
    ),
    Row("portfolio:cycle", OWN_PAGE, url=lambda w: f"/cycles/{w.cycle.pk}/"),
    Row("portfolio:portfolio", OWN_PAGE, url=lambda w: f"/cycles/{w.cycle.pk}/portfolio/"),
    Row(
        "portfolio:portfolio-pdf-request",
        statuses(403, anonymous=302, specialist=302, other_specialist=404),
        method="POST",
        url=lambda w: f"/cycles/{w.cycle.pk}/portfolio/pdf/",
    ),
    Row("portfolio:home", statuses(403, anonymous=302, specialist=302, other_specialist=302)),
    Row("portfolio:pdf", OWN_PAGE, url=lambda w: f"/portfolio/pdf/{w.pdf.pk}/"),
    Row("portfolio:pdf-download", OWN_PAGE, url=lambda w: f"/portfolio/pdf/{w.pdf.pk}/download/"),
    Row("portfolio:code-activate", MINE_PAGE),
    Row(
        "portfolio:code-activate",
        statuses(403, anonymous=302, specialist=302, other_specialist=302),
        method="POST",
        data={"code": "AAAA-BBBB-CCCC"},
    ),
    Row("portfolio:code-activation", OWN_PAGE, url=lambda w: f"/codes/{w.activation.pk}/"),
    Row("portfolio:verify", statuses(200), url=lambda w: f"/verify/{w.pdf.verification_code}/"),
    Row("portfolio:verify", statuses(404), url="/verify/NOSUCHCODE000000/", note="unknown code"),
]
