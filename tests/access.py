"""The access matrix: who may reach which URL, as a table (issue 9, item 1).

Every URL pattern of the project (pages and /api/v1/, found by walking the URL configuration) must
have at least one ``Row`` declaring the expected status for each of the ten personas below, or
``tests/security/test_access_matrix.py`` fails and lists the uncovered routes. The table is the
spec: read a row as "a GET of this URL by that persona answers this status".

How an app joins (the recipe)
-----------------------------
1. Create ``tests/<app>/access.py`` with a module-level ``ROWS: list[Row]``. It is discovered by
   file name; no central list to edit.
2. A row names the route (``"accounts:document-detail"``, ``"api-documents-detail"``: the URL name
   with its namespace, as ``reverse`` takes it), the method, the URL (a string, or a function of
   the world for URLs with ids: ``url=lambda w: f"/api/v1/me/documents/{w.document.pk}/"``), the
   body (``data``, a value or a function of the world) and ``expect``.
3. ``expect`` is built with ``statuses(default, **overrides)``, e.g.
   ``statuses(404, anonymous=401, specialist=200)``: every persona must be named or defaulted.
4. Objects the URLs need are made by world builders in the same module::

       @world_builder
       def documents(world: World) -> None:
           world.document = DocumentFactory(owner=world.specialist)   # owned by `specialist`

   Builders run in the apps' dependency order (foundation, security, reference, accounts,
   providers, trajectory, portfolio, accreditation, then any other), in declaration order within
   a module; each sees what earlier ones made. The world is rebuilt for every row.
5. Ownership conventions: objects belong to ``specialist``, to organisation A (``world.org_a``)
   or to the own commission (``world.commission_own``); ``other_specialist``, ``provider_b``,
   ``secretary_other`` and ``commission_other`` are the outsiders who must be refused (404 for
   another's object, never 403: existence is not leaked).

Personas before their apps exist
--------------------------------
Today the personas are users holding only the right ``RoleGrant``. When the providers app lands,
its builder attaches them::

    @world_builder
    def organisations(world: World) -> None:
        world.org_a = OrganizationFactory(status="approved")
        world.org_b = OrganizationFactory(status="approved")
        membership_add(organization=world.org_a, user=world.provider_a)
        membership_add(organization=world.org_b, user=world.provider_b)

and the accreditation app does the same for ``secretary_own``/``commission_own`` (members of
``world.commission_own``, which handles the specialist's application) and ``*_other`` (members of
``world.commission_other``).

Requests: pages are requested with a session (``force_login``); paths under /api/ with
``Authorization: Token <key>`` (the API's contract), and no credentials for ``anonymous``. Each
persona's request runs in a savepoint that is rolled back, so a POST by one persona does not change
what the next one sees; the cache (throttles) is cleared between personas.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

PERSONAS: tuple[str, ...] = (
    "anonymous",
    "specialist",
    "other_specialist",
    "provider_a",
    "provider_b",
    "secretary_own",
    "secretary_other",
    "commission_own",
    "commission_other",
    "methodologist",
)

# The roles each persona holds (accounts.models.Role values). Apps attach them to organisations and
# commissions in their world builders; they do not change this table.
PERSONA_ROLES: dict[str, tuple[str, ...]] = {
    "specialist": ("specialist",),
    "other_specialist": ("specialist",),
    "provider_a": ("provider_staff",),
    "provider_b": ("provider_staff",),
    "secretary_own": ("secretary",),
    "secretary_other": ("secretary",),
    "commission_own": ("commission",),
    "commission_other": ("commission",),
    "methodologist": ("methodologist",),
}

# URL names deliberately left out of the matrix, each with the reason.
EXEMPT_ROUTES: dict[str, str] = {
    "account_inactive": "allauth's static notice page; no data",
    "account_reauthenticate": "allauth internal: re-enter password for a sensitive step; needs a session flow",
    "account_email": "allauth's address management; replaced by the accounts profile (rows come with it)",
    "account_email_verification_sent": "allauth's static notice page; no data",
    "account_confirm_email": "allauth: the confirmation key is the credential; covered by accounts tests",
    "account_confirm_login_code": "allauth: login by code is not enabled",
    "account_change_password": "allauth: own password change; covered by accounts tests",
    "account_set_password": "allauth: own password set; covered by accounts tests",
    "account_reset_password_done": "allauth's static notice page; no data",
    "account_reset_password_from_key": "allauth: the reset key is the credential; covered by accounts tests",
    "account_reset_password_from_key_done": "allauth's static notice page; no data",
    "account_signup": "allauth's own sign-up; the accounts app replaces it with registration by SNILS",
}
# Namespaces left out entirely.
EXEMPT_NAMESPACES: dict[str, str] = {
    "admin": "Django admin: staff-only behind its own login, permissions by Django's model permissions",
}

# The order builders run in: the apps' dependency order, then anything else alphabetically.
APP_ORDER = ("foundation", "security", "reference", "accounts", "providers", "trajectory", "portfolio", "accreditation")


def statuses(default: int, **overrides: int) -> dict[str, int]:
    """Every persona's expected status: ``default`` unless named (``statuses(404, specialist=200)``)."""
    unknown = set(overrides) - set(PERSONAS)
    if unknown:
        raise ValueError(f"unknown personas: {sorted(unknown)}; the personas are {PERSONAS}")
    return {persona: overrides.get(persona, default) for persona in PERSONAS}


@dataclass(frozen=True)
class Row:
    route: str
    expect: Mapping[str, int]
    method: str = "GET"
    url: str | Callable[[World], str] | None = None  # None: reverse(route) without arguments
    data: Any = None  # a value, or a function of the world
    content_type: str | None = None  # None: JSON for /api/, form-encoded for pages
    note: str = ""

    def __post_init__(self) -> None:
        missing = set(PERSONAS) - set(self.expect)
        extra = set(self.expect) - set(PERSONAS)
        if missing or extra:
            raise ValueError(f"{self.route}: expect must name exactly the personas (missing {missing}, extra {extra})")
        if self.method not in {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}:
            raise ValueError(f"{self.route}: unknown method {self.method}")

    @property
    def id(self) -> str:
        return f"{self.method} {self.route}" + (f" [{self.note}]" if self.note else "")


class World:
    """The objects the rows' URLs point at, plus the persona users (``world.specialist``...)."""

    def __init__(self) -> None:
        self.users: dict[str, Any] = {}
        self.tokens: dict[str, str] = {}

    def __getattr__(self, name: str) -> Any:
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(f"the world has no {name!r}: add a @world_builder that makes it")


Builder = Callable[[World], None]
_BUILDERS: list[tuple[str, Builder]] = []


def world_builder(func: Builder) -> Builder:
    """Register a function that adds objects to the world (see the module's recipe)."""
    if all(existing is not func for _, existing in _BUILDERS):
        _BUILDERS.append((func.__module__, func))
    return func


# --- discovery --------------------------------------------------------------------------------
TESTS_DIR = Path(__file__).resolve().parent


def _access_modules() -> list[str]:
    found = sorted(p.parent.name for p in TESTS_DIR.glob("*/access.py"))
    ordered = [name for name in APP_ORDER if name in found] + [name for name in found if name not in APP_ORDER]
    return [f"tests.{name}.access" for name in ordered]


def collect_rows() -> list[Row]:
    rows: list[Row] = []
    for module_name in _access_modules():
        module = importlib.import_module(module_name)
        rows.extend(getattr(module, "ROWS", []))
    return rows


def builders() -> list[Builder]:
    collect_rows()  # imports every access module, which registers its builders
    order = {name: index for index, name in enumerate(_access_modules())}
    return [func for module, func in sorted(_BUILDERS, key=lambda item: order.get(item[0], len(order)))]


def build_world() -> World:
    """Personas first, then every registered builder in order. Needs the database."""
    from rest_framework.authtoken.models import Token

    from tests.factories import UserFactory

    world = World()
    for persona, roles in PERSONA_ROLES.items():
        user = UserFactory(roles=list(roles), is_staff=persona == "methodologist", last_name=persona)
        world.users[persona] = user
        world.tokens[persona] = Token.objects.create(user=user).key
    for build in builders():
        build(world)
    return world


# --- the URL configuration ----------------------------------------------------------------------
@dataclass(frozen=True)
class Route:
    name: str  # with namespaces, as reverse() takes it; "" for an unnamed pattern
    pattern: str
    exempt_reason: str | None = field(default=None)


def _walk(resolver: URLResolver, prefix: str, namespace: str) -> Iterator[tuple[str, str, str | None]]:
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, pattern, ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            yield name, pattern, namespace or None


def all_routes() -> list[Route]:
    routes = []
    for name, pattern, namespace in _walk(get_resolver(), "", ""):
        top = (namespace or "").split(":")[0]
        reason = EXEMPT_NAMESPACES.get(top) or EXEMPT_ROUTES.get(name)
        routes.append(Route(name=name, pattern=pattern, exempt_reason=reason))
    return routes


def uncovered_routes(rows: list[Row]) -> list[str]:
    """Non-exempt URL patterns no row names, as ``name  ->  /pattern`` lines."""
    covered = {row.route for row in rows}
    return [
        f"{route.name or '(unnamed: give it a name)'}  ->  /{route.pattern}"
        for route in all_routes()
        if route.exempt_reason is None and route.name not in covered
    ]
