"""Pages of "Мой план". Thin: fetch with permission, call one service, render (a partial for htmx)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from nmo_portal.lib.exceptions import ApplicationError, NotFound
from nmo_portal.lib.fragments import Digested, render_page
from nmo_portal.lib.htmx import is_htmx
from providers.facets import CATALOGUE_CACHE
from providers.models import ElementStatus, Event, Module, Programme
from trajectory.models import Cycle, CycleStatus
from trajectory.permissions import specialist_required
from trajectory.selectors import cycle_get, cycles_of, plan_item_get, plan_of
from trajectory.services import plan_item_add, plan_item_remove


def _cycle_or_404(request: HttpRequest, cycle_id: int) -> Cycle:
    try:
        return cycle_get(user=request.user, cycle_id=cycle_id)
    except NotFound as error:
        raise Http404 from error


def _catalogue_choices(cycle: Cycle) -> Digested:
    """Published elements that count for the cycle's specialty (main or additional), to add from
    the plan page: 50 of each, only the columns the select shows. The same for every specialist of
    a specialty, so cached with the catalogue (any change to it makes them stale)."""
    specialty = cycle.specialty_id
    return CATALOGUE_CACHE.get_or_compute(
        f"plan-choices:{specialty}", lambda: _catalogue_choices_of(specialty), timeout=CHOICES_TIMEOUT
    )


CHOICES_TIMEOUT = 600


def _catalogue_choices_of(specialty: int) -> Digested:
    """Digested when made: the plan page's key takes one digest, not the 150 choices again."""
    extra = Programme.additional_specialties.through.objects.filter(programme_id=OuterRef("pk"), specialty_id=specialty)
    return Digested(
        {
            "programmes": list(
                Programme.objects.filter(status=ElementStatus.PUBLISHED)
                .filter(Q(specialty_id=specialty) | Exists(extra))
                .order_by("title", "pk")
                .values("pk", "title", "hours")[:50]
            ),
            "events": list(
                Event.objects.filter(status=ElementStatus.PUBLISHED)
                .filter(
                    Exists(Event.specialties.through.objects.filter(event_id=OuterRef("pk"), specialty_id=specialty))
                )
                .order_by("-starts_on", "pk")
                .values("pk", "title", "starts_on", "zet")[:50]
            ),
            "modules": list(
                Module.objects.filter(status=ElementStatus.PUBLISHED)
                .filter(
                    Exists(Module.specialties.through.objects.filter(module_id=OuterRef("pk"), specialty_id=specialty))
                )
                .order_by("title", "pk")
                .values("pk", "title", "zet")[:50]
            ),
        }
    )


def _plan_context(cycle: Cycle, **extra: Any) -> dict[str, Any]:
    return {"cycle": cycle, "rows": plan_of(cycle=cycle), **extra}


@specialist_required
@require_GET
def plan_home(request: HttpRequest) -> HttpResponse:
    """ "Мой план": the plan of the only active cycle, or the list of cycles to choose from."""
    active = [c for c in cycles_of(user=request.user) if c.status == CycleStatus.ACTIVE]
    if len(active) == 1:
        return redirect("trajectory:plan", cycle_id=active[0].pk)
    return redirect("portfolio:cycles")


@specialist_required
@require_GET
def plan_page(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle_or_404(request, cycle_id)
    context = _plan_context(cycle, catalogue=_catalogue_choices(cycle) if cycle.is_active else None)
    return render_page(request, "trajectory/plan.html", {"cycle": cycle}, body=("trajectory/_plan_body.html", context))


@specialist_required
@require_POST
def plan_add(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle_or_404(request, cycle_id)
    raw = request.POST.get("element", "")
    element_type, _sep, element_id = raw.partition(":")
    error = None
    try:
        plan_item_add(
            cycle=cycle,
            element_type=element_type or request.POST.get("element_type", ""),
            element_id=int(element_id or request.POST.get("element_id") or 0),
            by=request.user,
        )
    except (ApplicationError, ValueError) as failure:
        error = str(getattr(failure, "message", "")) or _("Выберите элемент каталога.")
    if is_htmx(request):
        return render(request, "trajectory/_plan_items.html", _plan_context(cycle, error=error))
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Элемент добавлен в план."))
    return redirect("trajectory:plan", cycle_id=cycle.pk)


@specialist_required
@require_POST
def plan_remove(request: HttpRequest, cycle_id: int, item_id: int) -> HttpResponse:
    cycle = _cycle_or_404(request, cycle_id)
    try:
        item = plan_item_get(user=request.user, item_id=item_id, cycle=cycle)
    except NotFound as failure:
        raise Http404 from failure
    error = None
    try:
        plan_item_remove(item=item, by=request.user)
    except ApplicationError as failure:
        error = str(failure.message)
    if is_htmx(request):
        return render(request, "trajectory/_plan_items.html", _plan_context(cycle, error=error))
    if error:
        messages.error(request, error)
    return redirect("trajectory:plan", cycle_id=cycle.pk)
