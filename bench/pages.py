"""The key pages and endpoints that ``make bench`` measures, and who asks for them.

Each page is timed in process (Django's test ``Client``, the full middleware stack, the bench
database and Redis) beside the baseline view ``/_baseline`` asked by the same persona, with its
queries per request, and each GET page joins the mixed HTTP load test against gunicorn.
``tests/bench/test_pages.py`` requests every registered page in ``make test`` (its status, and at
most 12 queries with a cold cache), so a registration cannot rot.

How an app adds its pages (when the feature lands, in the same branch)
---------------------------------------------------------------------
Append to ``PAGES`` below a ``Page(name, persona, url)``:

- ``name``: short and unique, e.g. ``"trajectory: cycle page"``.
- ``persona``: a key of ``PERSONAS``: ``"anonymous"``, the demo accounts of api.md
  (``"specialist"``, ``"provider"``, ``"secretary"``, ``"commission"``, ``"methodologist"``) or
  ``"scale_specialist"`` (scale specialist 0, whose data the scale seeders make the largest).
  A persona is logged in with ``force_login``; add one here if a feature needs another.
- ``url``: a string, or a function of ``PageContext`` returning it, run once after seeding (also
  in ``make test`` after ``seed_demo --scale 5``), so it may look up the seeded objects *through
  the app's selectors*, e.g.::

      def _cycle_url(ctx: PageContext) -> str:
          from trajectory.selectors import cycle_list_for
          return f"/cycles/{cycle_list_for(user=ctx.user)[0].pk}/"

      Page("trajectory: cycle page", "scale_specialist", _cycle_url),

- ``method="POST"`` with ``data`` (JSON) for a write, timed in process only (the load test sends
  GETs); it is sent a few hundred times, so it must be idempotent (e.g. results already recorded),
  otherwise make it a workload (``bench/workloads.py``),
  ``expect`` for the status code when it is not 200, ``weight`` for its share of the load test
  (0: timed in process only).

The pages the issue names, to register as they land (the data behind them comes from the app's
``demo_scale.py``, so the figures are taken at national size):

- trajectory: the specialist's cycle page and ``GET /api/v1/me/cycles/{id}/``; the plan page and
  ``GET /api/v1/me/cycles/{id}/plan/``;
- portfolio: the portfolio page and ``GET /api/v1/me/cycles/{id}/portfolio/``;
- providers: catalogue search with filters (``/api/v1/catalog/programs/?specialty=...&region=...
  &zet_min=...&q=...`` and its page), the provider's application list of a cycle and results list;
- accreditation: the secretary's queue (``GET /api/v1/accreditation/applications/?status=...``
  and its page).

A page that does not answer ``expect`` is reported as an error in the table, not skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# --- personas ---------------------------------------------------------------------------------
DEMO_LOGINS = {
    "specialist": "specialist@demo.nmo",
    "provider": "provider@demo.nmo",
    "secretary": "secretary@demo.nmo",
    "commission": "commission@demo.nmo",
    "methodologist": "methodologist@demo.nmo",
}


def _demo_user(email: str) -> Any:
    from accounts.models import User

    return User.objects.get(email__iexact=email)


def _scale_specialist() -> Any:
    from accounts.demo_scale import scale_users

    user = scale_users(1).first()
    if user is None:
        raise LookupError("no scale specialist: run seed_demo --scale N first")
    return user


def _demo_persona(email: str) -> Callable[[], Any]:
    return lambda: _demo_user(email)


PERSONAS: dict[str, Callable[[], Any]] = {
    "anonymous": lambda: None,
    "scale_specialist": _scale_specialist,
    **{name: _demo_persona(email) for name, email in DEMO_LOGINS.items()},
}


@dataclass(frozen=True)
class PageContext:
    persona: str
    user: Any  # accounts.User, or None for the anonymous persona


@dataclass(frozen=True)
class Page:
    name: str
    persona: str
    url: str | Callable[[PageContext], str]
    method: str = "GET"
    data: dict[str, Any] | None = None
    expect: int = 200
    weight: int = 1
    headers: dict[str, str] = field(default_factory=dict)

    def build_url(self, ctx: PageContext) -> str:
        return self.url if isinstance(self.url, str) else self.url(ctx)


def baseline_for(persona: str) -> Page:
    """The minimal view every page is compared with (same middleware, no template, no query of its
    own), asked by the page's own persona: a logged-in page is compared with a logged-in baseline,
    which pays the same session and user lookup."""
    return Page(f"baseline ({persona})", persona, "/_baseline")


BASELINE = baseline_for("anonymous")

PAGES: list[Page] = [
    Page("home, anonymous", "anonymous", "/"),
    Page("home, specialist", "scale_specialist", "/"),
    Page("api: reference specialties", "anonymous", "/api/v1/reference/specialties/?education_level=higher"),
    Page("api: reference regions", "anonymous", "/api/v1/reference/regions/"),
    # The load balancer's probe: timed here, left out of the user traffic of the load test.
    Page("healthz", "anonymous", "/healthz", weight=0),
    # Add the feature pages here (see the docstring): cycle page, plan, portfolio page and API,
    # catalogue search with filters, provider applications and results lists, secretary's queue.
]


# --- providers: catalogue search with filters, the provider's programme list -------------------
def catalogue_query(ctx: PageContext) -> str:
    """A typical search: a specialty of the scale catalogue, a region, a word and a ZET range."""
    from providers.demo_scale import SCALE_PREFIX
    from providers.models import Programme

    programme = (
        Programme.objects.filter(title__startswith=SCALE_PREFIX, cycles__region__isnull=False)
        .values("specialty__code", "cycles__region__code")
        .order_by("pk")
        .first()
    )
    if programme is None:
        raise LookupError("no scale catalogue: run seed_demo --scale N first")
    return (
        f"specialty={programme['specialty__code']}&region={programme['cycles__region__code']}"
        "&q=кардиология&zet_min=18&zet_max=144"
    )


PAGES += [
    Page("providers: catalogue search page", "anonymous", lambda ctx: f"/catalog/programs/?{catalogue_query(ctx)}"),
    Page(
        "api: providers catalogue search",
        "anonymous",
        lambda ctx: f"/api/v1/catalog/programs/?{catalogue_query(ctx)}",
    ),
    # A specialist whose documents give him x2 marks: his answer is shared only with viewers of the
    # same specialties (providers.facets.x2_scope). What a search nobody asked before costs is the
    # workload "providers: fresh catalogue searches".
    Page(
        "providers: catalogue search page, x2 viewer",
        "scale_specialist",
        lambda ctx: f"/catalog/programs/?{catalogue_query(ctx)}",
    ),
    Page(
        "api: catalogue search, x2 viewer",
        "scale_specialist",
        lambda ctx: f"/api/v1/catalog/programs/?{catalogue_query(ctx)}",
    ),
    Page("providers: provider's programme list", "provider", "/provider/programs/"),
    Page("api: provider's programme list", "provider", "/api/v1/provider/programs/"),
]


# --- trajectory and portfolio: the scale specialist's cycle (about 30 ledger entries) ----------
def _scale_cycle_id(ctx: PageContext) -> int:
    from trajectory.selectors import cycles_of

    cycle = cycles_of(user=ctx.user).filter(status="active").first()
    if cycle is None:
        raise LookupError("the scale specialist has no cycle: run seed_demo --scale N first")
    return int(cycle.pk)


PAGES += [
    Page("trajectory: cycle page", "scale_specialist", lambda ctx: f"/cycles/{_scale_cycle_id(ctx)}/"),
    Page("api: my cycle", "scale_specialist", lambda ctx: f"/api/v1/me/cycles/{_scale_cycle_id(ctx)}/"),
    Page("trajectory: plan page", "scale_specialist", lambda ctx: f"/cycles/{_scale_cycle_id(ctx)}/plan/"),
    Page("api: my plan", "scale_specialist", lambda ctx: f"/api/v1/me/cycles/{_scale_cycle_id(ctx)}/plan/"),
    Page("portfolio: portfolio page", "scale_specialist", lambda ctx: f"/cycles/{_scale_cycle_id(ctx)}/portfolio/"),
    Page(
        "api: my portfolio",
        "scale_specialist",
        lambda ctx: f"/api/v1/me/cycles/{_scale_cycle_id(ctx)}/portfolio/",
    ),
]


# --- enrolment: the provider's lists on the big cycle; accreditation: the secretary's queue -----
def _big_cycle_id(ctx: PageContext) -> int:
    from enrolment.demo_scale import BIG_CYCLE_PLACE
    from enrolment.selectors import staff_cycles

    cycle = staff_cycles(user=ctx.user).filter(place=BIG_CYCLE_PLACE).first()
    if cycle is None:
        raise LookupError("no big cycle for the demo provider: run seed_demo --scale N first")
    return int(cycle.pk)


PAGES += [
    Page(
        "enrolment: provider's application list",
        "provider",
        lambda ctx: f"/provider/cycles/{_big_cycle_id(ctx)}/applications/",
    ),
    Page(
        "api: provider's application list",
        "provider",
        lambda ctx: f"/api/v1/provider/cycles/{_big_cycle_id(ctx)}/applications/",
    ),
    Page(
        "enrolment: provider's results list", "provider", lambda ctx: f"/provider/cycles/{_big_cycle_id(ctx)}/results/"
    ),
    Page(
        "api: provider's results list",
        "provider",
        lambda ctx: f"/api/v1/provider/cycles/{_big_cycle_id(ctx)}/results/",
    ),
    Page("accreditation: secretary's queue", "secretary", "/accreditation/queue/?status=registered"),
    Page("api: secretary's queue", "secretary", "/api/v1/accreditation/applications/?status=registered"),
]
