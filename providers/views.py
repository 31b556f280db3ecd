"""Pages: the public catalogue, the provider cabinet, the methodologist's review queue, the
onboarding request and the specialist's priority organisation. Views fetch through selectors
(another organisation's object: 404), call one service and render or redirect; catalogue lists
answer a partial to htmx."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from accounts.roles import is_methodologist, is_provider_staff
from nmo_portal.lib.exceptions import ApplicationError, NotFound
from nmo_portal.lib.fragments import Digested, render_page, render_versioned_page
from nmo_portal.lib.htmx import is_htmx
from providers import forms, selectors, services
from providers.facets import (
    CATALOGUE_CACHE,
    SEARCH_TIMEOUT,
    catalogue_facets,
    catalogue_organisation_choices,
    catalogue_search_cached,
    catalogue_search_key,
    x2_scope,
)
from providers.models import ElementStatus, Event, Module, Organisation, OrganisationStatus, Programme
from providers.transitions import EDITABLE_STATUSES, ORGANISATION_EDITABLE_STATUSES
from reference.selectors import region_list, specialty_list


def _me(request: Any) -> User:
    """The signed-in user (views and API views below require authentication)."""
    return cast(User, request.user)


View = Callable[..., HttpResponse]
PAGE_SIZE = 20
CODES_SESSION_KEY = "providers:codes"


def not_found_as_404(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(str(error.message)) from error

    return wrapper


def staff_required(view: View) -> View:
    @login_required
    @not_found_as_404
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_provider_staff(request.user):
            raise PermissionDenied(_("Раздел доступен сотрудникам образовательных организаций."))
        return view(request, *args, **kwargs)

    return wrapper


def methodologist_required(view: View) -> View:
    @login_required
    @not_found_as_404
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_methodologist(request.user):
            raise PermissionDenied(_("Раздел доступен методистам."))
        return view(request, *args, **kwargs)

    return wrapper


def _run(form: Any, action: Callable[[], Any]) -> Any:
    """Call a service; its errors land on the form. Returns None when it failed."""
    try:
        return action()
    except NotFound:
        raise
    except (ValidationError, ApplicationError) as error:
        forms.form_apply_error(form, error)
        return None


def _flash_action(request: HttpRequest, action: Callable[[], Any], success: str) -> None:
    try:
        action()
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, success)


# --- the public catalogue ---------------------------------------------------------------------
CATALOGUE: dict[str, dict[str, Any]] = {
    "programs": {
        "form": forms.ProgrammeFilterForm,
        "rows": selectors.catalogue_programmes,
        "orderings": [
            ("title", _("По названию")),
            ("starts_on", _("Ближайшие циклы")),
            ("zet", _("ЗЕТ: по возрастанию")),
            ("-zet", _("ЗЕТ: по убыванию")),
        ],
        "title": _("Программы повышения квалификации (ДПП ПК)"),
    },
    "events": {
        "form": forms.EventFilterForm,
        "rows": selectors.catalogue_events,
        "orderings": [
            ("starts_on", _("По дате")),
            ("-starts_on", _("Сначала поздние")),
            ("title", _("По названию")),
            ("-zet", _("ЗЕТ: по убыванию")),
        ],
        "title": _("Образовательные мероприятия"),
    },
    "modules": {
        "form": forms.ModuleFilterForm,
        "rows": selectors.catalogue_modules,
        "orderings": [
            ("title", _("По названию")),
            ("-rating", _("По оценке")),
            ("-likes", _("По отметкам «нравится»")),
            ("-zet", _("ЗЕТ: по убыванию")),
        ],
        "title": _("Интерактивные образовательные модули"),
    },
}


def _catalogue_list(request: HttpRequest, kind: str) -> HttpResponse:
    """The filters and the found rows, rendered once for everyone who sees them alike (see
    ``catalogue_search_cached`` and ``x2_scope``)."""
    htmx = is_htmx(request)
    viewer = selectors.viewer_specialty_ids(request.user)

    def fragments() -> Digested:
        # digested once, when made: a page served again hashes the digest, not 40 kB of markup
        return Digested(_catalogue_fragments(request, kind, viewer=viewer, htmx=htmx))

    scope = f"page:{kind}:{int(htmx)}:{x2_scope(viewer)}"
    # keyed by the query string as sent: parsing and quoting it again (a Cyrillic word, byte by byte)
    # cost more than the rest of a served page; an equal query sent in another order is kept twice
    query = request.META.get("QUERY_STRING", "")
    if htmx:
        return HttpResponse(catalogue_search_cached(scope, query, fragments)["rows"])

    def context() -> dict[str, Any]:
        parts = catalogue_search_cached(scope, query, fragments)
        return {"kind": kind, "title": CATALOGUE[kind]["title"], "parts": parts}

    # the whole page is kept beside the answer: one read serves it (the answer's is shared, per scope)
    key = catalogue_search_key(scope, query)
    return render_versioned_page(
        request, "catalog/list.html", context, family=CATALOGUE_CACHE, key=key, timeout=SEARCH_TIMEOUT
    )


def _catalogue_fragments(request: HttpRequest, kind: str, *, viewer: set[int], htmx: bool) -> dict[str, SafeString]:
    spec = CATALOGUE[kind]
    form = spec["form"](
        request.GET or None,
        specialties=specialty_list(),
        regions=region_list(),
        organisations=catalogue_organisation_choices(),
        orderings=spec["orderings"],
        # htmx swaps only the rows: the filter's labels are not redrawn, so not counted either
        facets=None if htmx else catalogue_facets(kind=kind),
    )
    values: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        values = {key: value for key, value in form.cleaned_data.items() if value not in (None, "")}
    rows: QuerySet[Any] = spec["rows"](filters=selectors.CatalogueFilters(**values))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [{"obj": obj, "x2": selectors.element_is_x2(obj, viewer)} for obj in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"kind": kind, "page": page, "items": items, "query": query.urlencode()}
    # our own templates' output, escaped when they were rendered
    return {
        "filters": mark_safe("" if htmx else render_to_string("catalog/_filters.html", {"form": form})),
        "rows": mark_safe(render_to_string(f"catalog/_{kind}_rows.html", context)),
    }


@require_GET
def catalogue_home(request: HttpRequest) -> HttpResponse:
    return redirect("providers:catalog-programs")


@require_GET
def catalogue_programmes(request: HttpRequest) -> HttpResponse:
    return _catalogue_list(request, "programs")


@require_GET
def catalogue_events(request: HttpRequest) -> HttpResponse:
    return _catalogue_list(request, "events")


@require_GET
def catalogue_modules(request: HttpRequest) -> HttpResponse:
    return _catalogue_list(request, "modules")


@require_GET
@not_found_as_404
def catalogue_programme(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.catalogue_programme_get(programme_id=pk)
    x2 = selectors.element_is_x2(programme, selectors.viewer_specialty_ids(request.user))
    return render(request, "catalog/program_detail.html", {"programme": programme, "x2": x2})


@require_GET
@not_found_as_404
def catalogue_event(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.catalogue_event_get(event_id=pk)
    x2 = selectors.element_is_x2(event, selectors.viewer_specialty_ids(request.user))
    return render(request, "catalog/event_detail.html", {"event": event, "x2": x2})


@require_http_methods(["GET", "POST"])
@not_found_as_404
def catalogue_module(request: HttpRequest, pk: int) -> HttpResponse:
    module = selectors.catalogue_module_get(module_id=pk)
    user = request.user
    can_rate = user.is_authenticated and selectors.module_completed_by(user=user, module=module)
    form = forms.ReactionForm(request.POST or None)
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        if form.is_valid() and _run(
            form, lambda: services.module_reaction_save(module=module, user=user, **form.cleaned_data)
        ):
            messages.success(request, _("Спасибо, отзыв сохранён."))
            return redirect("providers:catalog-module", pk=module.pk)
    x2 = selectors.element_is_x2(module, selectors.viewer_specialty_ids(user))
    context = {
        "module": module,
        "x2": x2,
        "can_rate": can_rate,
        "form": form,
        "reviews": selectors.module_reviews(module=module),
    }
    return render(request, "catalog/module_detail.html", context)


# --- onboarding and the organisation ---------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def onboarding(request: HttpRequest) -> HttpResponse:
    form = forms.OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.ORGANISATION_FIELDS}
        organisation = _run(form, lambda: services.organisation_request_create(by=_me(request), data=data))
        if organisation:
            messages.success(request, _("Заявка сохранена. Добавьте ответственных лиц и отправьте её на проверку."))
            return redirect("providers:organisation", pk=organisation.pk)
    return render(request, "providers/onboarding.html", {"form": form})


@staff_required
@require_GET
def cabinet(request: HttpRequest) -> HttpResponse:
    organisations = list(selectors.staff_organisations(user=_me(request)))
    return render(request, "providers/cabinet.html", {"organisations": organisations})


@staff_required
@require_http_methods(["GET", "POST"])
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.staff_organisation_get(user=_me(request), organisation_id=pk)
    is_admin = selectors.staff_is_admin(user=_me(request), organisation=organisation)
    editable = organisation.status in ORGANISATION_EDITABLE_STATUSES and is_admin
    edit_form = forms.OrganisationForm(instance=organisation)
    person_form = forms.ResponsiblePersonForm(prefix="person")
    invite_form = forms.InviteForm(prefix="invite")
    action = request.POST.get("action")
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied(_("Действие доступно администратору организации."))
        if action == "edit" and editable:
            edit_form = forms.OrganisationForm(request.POST, instance=organisation)
            if edit_form.is_valid():
                data = {name: edit_form.cleaned_data[name] for name in services.ORGANISATION_FIELDS}
                if _run(
                    edit_form,
                    lambda: services.organisation_update(organisation=organisation, by=_me(request), data=data),
                ):
                    messages.success(request, _("Сведения сохранены."))
                    return redirect("providers:organisation", pk=pk)
        elif action == "person":
            person_form = forms.ResponsiblePersonForm(request.POST, prefix="person")
            if person_form.is_valid() and _run(
                person_form,
                lambda: services.responsible_person_add(
                    organisation=organisation, by=_me(request), **person_form.cleaned_data
                ),
            ):
                messages.success(request, _("Ответственное лицо добавлено."))
                return redirect("providers:organisation", pk=pk)
        elif action == "invite":
            invite_form = forms.InviteForm(request.POST, prefix="invite")
            if invite_form.is_valid():
                result = _run(
                    invite_form,
                    lambda: services.staff_invite(
                        organisation=organisation, by=_me(request), **invite_form.cleaned_data
                    ),
                )
                if result is not None:
                    if isinstance(result, services.Membership):
                        messages.success(request, _("Сотрудник добавлен."))
                    else:
                        messages.success(request, _("Приглашение отправлено по электронной почте."))
                    return redirect("providers:organisation", pk=pk)
        elif action == "submit":
            _flash_action(
                request,
                lambda: services.organisation_submit(organisation=organisation, by=_me(request)),
                _("Заявка отправлена на проверку методисту."),
            )
            return redirect("providers:organisation", pk=pk)
    context = {
        "organisation": organisation,
        "is_admin": is_admin,
        "editable": editable,
        "edit_form": edit_form,
        "person_form": person_form,
        "invite_form": invite_form,
        "persons": organisation.responsible_persons.all(),
        "members": organisation.memberships.select_related("user").order_by("created_at"),
        "invitations": organisation.invitations.filter(accepted_at__isnull=True),
        "history": organisation.transitions.select_related("actor"),
    }
    return render(request, "providers/organisation.html", context)


@login_required
@not_found_as_404
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        membership = services.invitation_accept(token=token, user=_me(request))
        messages.success(request, _("Вы стали сотрудником организации «%(name)s».") % {"name": membership.organisation})
        return redirect("providers:organisation", pk=membership.organisation_id)
    return render(request, "providers/invitation.html", {"token": token})


# --- the cabinet: programmes, events, modules ------------------------------------------------
ELEMENTS: dict[str, dict[str, Any]] = {
    "programs": {
        "model": Programme,
        "form": forms.ProgrammePassportForm,
        "get": lambda user, pk: selectors.staff_programme_get(user=user, programme_id=pk),
        "create": lambda org, by, data: services.programme_create(organisation=org, by=by, **data),
        "update": lambda obj, by, data: services.programme_update(programme=obj, by=by, **data),
        "m2m": "additional_specialties",
        "title": _("Программы ДПП ПК"),
        "new": _("Новая программа"),
    },
    "events": {
        "model": Event,
        "form": forms.EventForm,
        "get": lambda user, pk: selectors.staff_event_get(user=user, event_id=pk),
        "create": lambda org, by, data: services.event_create(organisation=org, by=by, **data),
        "update": lambda obj, by, data: services.event_update(event=obj, by=by, **data),
        "m2m": "specialties",
        "title": _("Образовательные мероприятия"),
        "new": _("Новое мероприятие"),
    },
    "modules": {
        "model": Module,
        "form": forms.ModuleForm,
        "get": lambda user, pk: selectors.staff_module_get(user=user, module_id=pk),
        "create": lambda org, by, data: services.module_create(organisation=org, by=by, **data),
        "update": lambda obj, by, data: services.module_update(module=obj, by=by, **data),
        "m2m": "specialties",
        "title": _("Интерактивные модули"),
        "new": _("Новый модуль"),
    },
}


def _element_list(request: HttpRequest, kind: str) -> HttpResponse:
    spec = ELEMENTS[kind]
    rows = selectors.staff_element_page_listing(user=_me(request), kind=kind)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"kind": kind, "title": spec["title"], "new_label": spec["new"], "page": page}
    return render_page(request, "providers/element_list.html", context)


def _element_form(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    spec = ELEMENTS[kind]
    instance = spec["get"](_me(request), pk) if pk else None
    if instance is not None and instance.status not in EDITABLE_STATUSES:
        messages.error(request, _("Изменить можно только черновик или возвращённое на исправление."))
        return redirect(f"providers:provider-{kind[:-1]}", pk=instance.pk)
    organisations = [
        o for o in selectors.staff_organisations(user=_me(request)) if o.status == OrganisationStatus.APPROVED
    ]
    form = spec["form"](request.POST or None, instance=instance)
    if instance is None and len(organisations) > 1:
        form.fields["organisation_choice"] = forms.forms.ModelChoiceField(
            label=_("Организация"), queryset=selectors.staff_organisations(user=_me(request)).filter(status="approved")
        )
    if instance is None and not organisations:
        messages.error(request, _("Создавать программы, мероприятия и модули может только одобренная организация."))
        return redirect("providers:cabinet")
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        data[spec["m2m"]] = list(data[spec["m2m"]])
        if instance is None:
            organisation = form.cleaned_data.get("organisation_choice") or organisations[0]
            saved = _run(form, lambda: spec["create"](organisation, _me(request), data))
        else:
            saved = _run(form, lambda: spec["update"](instance, _me(request), data))
        if saved:
            messages.success(request, _("Сохранено."))
            return redirect(f"providers:provider-{kind[:-1]}", pk=saved.pk)
    return render(
        request, "providers/element_form.html", {"kind": kind, "spec": spec, "form": form, "instance": instance}
    )


TRANSITIONS: dict[str, dict[str, tuple[Callable[..., Any], str]]] = {
    "programs": {
        "submit": (lambda obj, by: services.programme_submit(programme=obj, by=by), _("Отправлено на проверку.")),
        "archive": (lambda obj, by: services.programme_archive(programme=obj, by=by), _("Перенесено в архив.")),
    },
    "events": {
        "submit": (lambda obj, by: services.event_submit(event=obj, by=by), _("Отправлено на проверку.")),
        "archive": (lambda obj, by: services.event_archive(event=obj, by=by), _("Перенесено в архив.")),
    },
    "modules": {
        "submit": (lambda obj, by: services.module_submit(module=obj, by=by), _("Отправлено на проверку.")),
        "archive": (lambda obj, by: services.module_archive(module=obj, by=by), _("Перенесено в архив.")),
    },
}


def _element_transition(request: HttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
    obj = ELEMENTS[kind]["get"](_me(request), pk)
    if action not in TRANSITIONS[kind]:
        raise Http404
    move, success = TRANSITIONS[kind][action]
    _flash_action(request, lambda: move(obj, _me(request)), success)
    return redirect(f"providers:provider-{kind[:-1]}", pk=obj.pk)


def _element_common_context(obj: Any) -> dict[str, Any]:
    return {
        "obj": obj,
        "editable": obj.status in EDITABLE_STATUSES,
        "can_submit": obj.status in (ElementStatus.DRAFT, ElementStatus.NEEDS_CHANGES),
        "can_archive": obj.status in (ElementStatus.DRAFT, ElementStatus.PUBLISHED),
        "history": obj.transitions.select_related("actor"),
    }


@staff_required
@require_http_methods(["GET", "POST"])
def provider_programme(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.staff_programme_get(user=_me(request), programme_id=pk)
    cycle_form = forms.CycleForm(request.POST or None, prefix="cycle")
    if (
        request.method == "POST"
        and cycle_form.is_valid()
        and _run(
            cycle_form, lambda: services.cycle_create(programme=programme, by=_me(request), **cycle_form.cleaned_data)
        )
    ):
        messages.success(request, _("Цикл добавлен."))
        return redirect("providers:provider-program", pk=pk)
    context = _element_common_context(programme)
    context.update(
        {
            "kind": "programs",
            "cycles": selectors.staff_cycles(user=_me(request), programme=programme),
            "cycle_form": cycle_form,
            "can_add_cycles": programme.status != ElementStatus.ARCHIVED,
        }
    )
    return render(request, "providers/programme_detail.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def provider_cycle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.staff_cycle_get(user=_me(request), cycle_id=pk)
    form = forms.CycleForm(request.POST or None, instance=cycle)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if _run(form, lambda: services.cycle_update(cycle=cycle, by=_me(request), **data)):
            messages.success(request, _("Цикл сохранён."))
            return redirect("providers:provider-program", pk=cycle.programme_id)
    return render(request, "providers/cycle_form.html", {"form": form, "cycle": cycle})


@staff_required
@require_http_methods(["GET", "POST"])
def provider_event(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.staff_event_get(user=_me(request), event_id=pk)
    codes_form = forms.CodesForm(request.POST or None)
    codes: list[str] | None = None
    if request.method == "GET":  # plain codes live in the session only until the next visit
        request.session.pop(CODES_SESSION_KEY, None)
    if request.method == "POST" and codes_form.is_valid():
        codes = _run(
            codes_form,
            lambda: services.confirmation_codes_generate(
                event=event, by=_me(request), count=codes_form.cleaned_data["count"]
            ),
        )
        if codes:
            # Kept for one CSV download only, then dropped from the session.
            request.session[CODES_SESSION_KEY] = {"event": event.pk, "codes": codes}
    context = _element_common_context(event)
    context.update(
        {
            "kind": "events",
            "codes_form": codes_form,
            "codes": codes,
            "issued": event.codes.count(),
            "used": event.codes.filter(used_at__isnull=False).count(),
            "can_issue": event.status == ElementStatus.PUBLISHED,
        }
    )
    response = render(request, "providers/event_detail.html", context)
    response["Cache-Control"] = "no-store"
    return response


@staff_required
@require_GET
def provider_event_codes_csv(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.staff_event_get(user=_me(request), event_id=pk)
    stored = request.session.get(CODES_SESSION_KEY)
    if not stored or stored.get("event") != event.pk:
        messages.error(request, _("Коды показываются один раз: выпустите новые, чтобы скачать файл."))
        return redirect("providers:provider-event", pk=pk)
    del request.session[CODES_SESSION_KEY]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["code", "event_id", "event_title"])
    for code in stored["codes"]:
        writer.writerow([code, event.pk, event.title])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="codes-event-{event.pk}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@staff_required
@require_GET
def provider_module(request: HttpRequest, pk: int) -> HttpResponse:
    module = selectors.staff_module_get(user=_me(request), module_id=pk)
    context = _element_common_context(module)
    context.update({"kind": "modules", "completions": module.completions.count()})
    return render(request, "providers/module_detail.html", context)


def _element_views(kind: str) -> tuple[View, View, View, View]:
    @staff_required
    @require_GET
    def listing(request: HttpRequest) -> HttpResponse:
        return _element_list(request, kind)

    @staff_required
    @require_http_methods(["GET", "POST"])
    def create(request: HttpRequest) -> HttpResponse:
        return _element_form(request, kind)

    @staff_required
    @require_http_methods(["GET", "POST"])
    def edit(request: HttpRequest, pk: int) -> HttpResponse:
        return _element_form(request, kind, pk)

    @staff_required
    @require_POST
    def transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
        return _element_transition(request, kind, pk, action)

    return listing, create, edit, transition


# --- the methodologist's review queue ---------------------------------------------------------
REVIEW_ACTIONS: dict[str, dict[str, Callable[..., Any]]] = {
    "organizations": {
        "approve": lambda obj, by, reason: services.organisation_approve(organisation=obj, by=by),
        "return": lambda obj, by, reason: services.organisation_return(organisation=obj, by=by, reason=reason),
        "reject": lambda obj, by, reason: services.organisation_reject(organisation=obj, by=by, reason=reason),
    },
    "programs": {
        "approve": lambda obj, by, reason: services.programme_approve(programme=obj, by=by),
        "reject": lambda obj, by, reason: services.programme_reject(programme=obj, by=by, reason=reason),
    },
    "events": {
        "approve": lambda obj, by, reason: services.event_approve(event=obj, by=by),
        "reject": lambda obj, by, reason: services.event_reject(event=obj, by=by, reason=reason),
    },
    "modules": {
        "approve": lambda obj, by, reason: services.module_approve(module=obj, by=by),
        "reject": lambda obj, by, reason: services.module_reject(module=obj, by=by, reason=reason),
    },
}


@methodologist_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    context = {
        "organisations": selectors.review_queue(user=_me(request), kind="organizations"),
        "programmes": selectors.review_queue(user=_me(request), kind="programs")
        .select_related("specialty")
        .prefetch_related("additional_specialties"),
        "events": selectors.review_queue(user=_me(request), kind="events").prefetch_related("specialties"),
        "modules": selectors.review_queue(user=_me(request), kind="modules").prefetch_related("specialties"),
        "reason_form": forms.ReasonForm(),
    }
    return render(request, "providers/review_queue.html", context)


@methodologist_required
@require_POST
def review_decide(request: HttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
    if kind not in REVIEW_ACTIONS or action not in REVIEW_ACTIONS[kind]:
        raise Http404
    subject = selectors.review_get(user=_me(request), kind=kind, object_id=pk)
    reason = (request.POST.get("reason") or "").strip()
    done = {"approve": _("Одобрено."), "reject": _("Возвращено с причиной."), "return": _("Возвращено на исправление.")}
    _flash_action(request, lambda: REVIEW_ACTIONS[kind][action](subject, _me(request), reason), done[action])
    return redirect("providers:review")


# --- the specialist's priority organisation ---------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def priority_organisation(request: HttpRequest) -> HttpResponse:
    current = getattr(request.user, "priority_org", None) if hasattr(request.user, "priority_org") else None
    form = forms.PriorityOrganisationForm(
        request.POST or None,
        queryset=selectors.catalogue_organisations(),
        initial={"organisation": current.organisation_id if current else None},
    )
    if request.method == "POST" and form.is_valid():
        chosen: Organisation | None = form.cleaned_data["organisation"]
        if _run(form, lambda: services.priority_organisation_set(user=_me(request), organisation=chosen) or True):
            messages.success(request, _("Приоритетная организация сохранена."))
            return HttpResponseRedirect(reverse("providers:priority-organisation"))
    return render(request, "providers/priority_organisation.html", {"form": form, "current": current})


_programs = _element_views("programs")
_events = _element_views("events")
_modules = _element_views("modules")

urlpatterns = [
    path("catalog/", catalogue_home, name="catalog"),
    path("catalog/programs/", catalogue_programmes, name="catalog-programs"),
    path("catalog/programs/<int:pk>/", catalogue_programme, name="catalog-program"),
    path("catalog/events/", catalogue_events, name="catalog-events"),
    path("catalog/events/<int:pk>/", catalogue_event, name="catalog-event"),
    path("catalog/modules/", catalogue_modules, name="catalog-modules"),
    path("catalog/modules/<int:pk>/", catalogue_module, name="catalog-module"),
    path("provider/", cabinet, name="cabinet"),
    path("provider/onboarding/", onboarding, name="onboarding"),
    path("provider/organizations/<int:pk>/", organisation_detail, name="organisation"),
    path("provider/invitations/<str:token>/", invitation_accept, name="invitation-accept"),
    path("provider/programs/", _programs[0], name="provider-programs"),
    path("provider/programs/new/", _programs[1], name="provider-program-new"),
    path("provider/programs/<int:pk>/", provider_programme, name="provider-program"),
    path("provider/programs/<int:pk>/edit/", _programs[2], name="provider-program-edit"),
    path("provider/programs/<int:pk>/<str:action>/", _programs[3], name="provider-program-move"),
    path("provider/cycles/<int:pk>/edit/", provider_cycle_edit, name="provider-cycle-edit"),
    path("provider/events/", _events[0], name="provider-events"),
    path("provider/events/new/", _events[1], name="provider-event-new"),
    path("provider/events/<int:pk>/", provider_event, name="provider-event"),
    path("provider/events/<int:pk>/edit/", _events[2], name="provider-event-edit"),
    path("provider/events/<int:pk>/codes.csv", provider_event_codes_csv, name="provider-event-codes-csv"),
    path("provider/events/<int:pk>/<str:action>/", _events[3], name="provider-event-move"),
    path("provider/modules/", _modules[0], name="provider-modules"),
    path("provider/modules/new/", _modules[1], name="provider-module-new"),
    path("provider/modules/<int:pk>/", provider_module, name="provider-module"),
    path("provider/modules/<int:pk>/edit/", _modules[2], name="provider-module-edit"),
    path("provider/modules/<int:pk>/<str:action>/", _modules[3], name="provider-module-move"),
    path("review/", review_queue, name="review"),
    path("review/<str:kind>/<int:pk>/<str:action>/", review_decide, name="review-decide"),
    path("profile/priority-organisation/", priority_organisation, name="priority-organisation"),
]
