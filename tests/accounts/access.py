"""Access rows for accounts: registration, token login, the profile and the specialist's documents,
pages and API (see tests/access.py).

Decisions the table states:
- Registration and token login take no credentials (``authentication_classes = []``): a token sent
  along is ignored, so every persona gets what a stranger gets (the API is stateless; a logged-in
  person asking for a second account is a new sign-up, checked by SNILS and e-mail uniqueness like
  any other). The registration *page* sends a logged-in person to their profile (302) instead.
- The profile and the documents list belong to whoever is logged in, whatever their roles: every
  logged-in persona sees their own (200); anonymous pages go to the login page (302), the API
  answers 401.
- A document belongs to ``world.specialist``; anyone else gets 404 for it, page or API, never 403.
"""

from __future__ import annotations

import datetime
from typing import Any

from tests.access import Row, World, statuses, world_builder
from tests.accounts.conftest import registration_payload
from tests.accounts.factories import DocumentFactory

PASSWORD = "pass-Word-123"  # tests.factories.UserFactory's password


@world_builder
def documents(world: World) -> None:
    world.document = DocumentFactory(owner=world.specialist)


def _doc_api(world: World) -> str:
    return f"/api/v1/me/documents/{world.document.pk}/"


def _doc_page(action: str) -> Any:
    return lambda world: f"/documents/{world.document.pk}/{action}/"


NEW_DOCUMENT = {
    "kind": "accreditation",
    "accreditation_type": "periodic",
    "specialty": "25",
    "number": "7722 555000111",
    "issued_on": "2023-05-10",
}

# Logged-in personas all see their own profile and documents.
OWN = statuses(200, anonymous=401)
OWN_PAGE = statuses(200, anonymous=302)
# The specialist's document: only its owner reaches it.
DOC_API = statuses(404, anonymous=401, specialist=200)
DOC_PAGE = statuses(404, anonymous=302, specialist=200)

ROWS: list[Row] = [
    # --- API: no credentials needed, none honoured ---------------------------------------------
    Row("api-register", statuses(201), method="POST", data=lambda w: registration_payload(), note="valid"),
    Row("api-register", statuses(400), method="POST", data={}, note="empty"),
    Row("api-register", statuses(405), note="GET is refused"),
    Row(
        "api-token",
        statuses(200),
        method="POST",
        data=lambda w: {"login": w.specialist.snils, "password": PASSWORD},
        note="the specialist's credentials",
    ),
    Row(
        "api-token",
        statuses(400),
        method="POST",
        data=lambda w: {"login": w.specialist.snils, "password": "wrong-Pass-1"},
        note="wrong password",
    ),
    Row("api-token", statuses(405), note="GET is refused"),
    # --- API: the own profile ----------------------------------------------------------------
    Row("api-me", OWN),
    Row("api-me", OWN, method="PATCH", data={"notify_credits": False}),
    Row("api-me", statuses(405, anonymous=401), method="DELETE", note="not allowed"),
    # --- API: the own documents --------------------------------------------------------------
    Row("api-documents", OWN),
    Row("api-documents", statuses(201, anonymous=401), method="POST", data=NEW_DOCUMENT),
    Row("api-documents", statuses(400, anonymous=401), method="POST", data={}, note="empty"),
    Row("api-document", DOC_API, url=_doc_api),
    Row("api-document", statuses(404, anonymous=401), url="/api/v1/me/documents/abc/", note="an id that is no number"),
    Row("api-document", DOC_API, method="PATCH", url=_doc_api, data={"series": "АБ"}),
    Row("api-document", statuses(404, anonymous=401, specialist=204), method="DELETE", url=_doc_api),
    # --- pages ---------------------------------------------------------------------------------
    Row("accounts:register", statuses(302, anonymous=200), note="a logged-in person goes to the profile"),
    Row(
        "accounts:register",
        statuses(302, anonymous=200),
        method="POST",
        data={},
        note="empty form: errors for a stranger, the profile for a logged-in person",
    ),
    Row("accounts:profile", OWN_PAGE),
    Row("accounts:profile", OWN_PAGE, method="POST", data={"phone": "+7 912 345-67-89"}, note="invalid: re-shown"),
    Row("accounts:documents", OWN_PAGE),
    Row("accounts:documents", statuses(405, anonymous=302), method="POST", note="read-only"),
    Row("accounts:document-add", OWN_PAGE),
    Row(
        "accounts:document-add",
        statuses(302, anonymous=302),
        method="POST",
        data={**NEW_DOCUMENT, "issued_on": datetime.date(2023, 5, 10).strftime("%d.%m.%Y")},
        note="saved, back to the list",
    ),
    Row("accounts:document-edit", DOC_PAGE, url=_doc_page("edit")),
    Row("accounts:document-edit", DOC_PAGE, method="POST", url=_doc_page("edit"), data={}, note="invalid: re-shown"),
    Row(
        "accounts:document-delete",
        statuses(404, anonymous=302, specialist=302),
        method="POST",
        url=_doc_page("delete"),
    ),
    Row("accounts:document-delete", statuses(405, anonymous=302), url=_doc_page("delete"), note="GET is refused"),
]
