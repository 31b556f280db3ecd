"""REST API of the catalogue, the provider staff and the methodologist's review (api.md: paths,
fields, states and status codes are a contract). One view per operation; views validate input,
fetch through selectors (another organisation's id: 404), call one service, and answer."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from accounts.models import User
from accounts.roles import is_methodologist, is_provider_staff
from nmo_portal.lib.api import Pagination
from nmo_portal.lib.exceptions import ApplicationError
from nmo_portal.lib.fragments import serialized
from nmo_portal.lib.prepared import Listing
from nmo_portal.lib.rendered import RawJSON
from providers import selectors, services
from providers.facets import catalogue_search_cached, x2_scope
from providers.models import (
    Basis,
    Event,
    EventFormat,
    Module,
    ModuleType,
    Organisation,
    Programme,
    ProgrammeCycle,
    ProgrammeForm,
)
from reference.models import Region, Specialty


def _me(request: Any) -> User:
    """The signed-in user (views and API views below require authentication)."""
    return cast(User, request.user)


# The id in a path: routed as a string (so that a non-number gets the API's JSON 404, not an HTML
# page) but documented as the integer it is.
PK = OpenApiParameter("pk", int, OpenApiParameter.PATH, description="the object's id")
# A new programme, event or module goes to the named organisation, or to the caller's only approved
# one: a 404 when the named one is not theirs or they have none approved.
NO_SUCH_ORGANISATION = OpenApiResponse(
    response=inline_serializer("OrganisationNotFound", {"detail": serializers.CharField()}),
    description="The named organisation is not yours, or you have no approved organisation.",
)


# --- permissions ------------------------------------------------------------------------------


class IsProviderStaff(BasePermission):
    message = _("Раздел доступен сотрудникам образовательных организаций.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and is_provider_staff(request.user))


class IsMethodologist(BasePermission):
    message = _("Раздел доступен методистам.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and is_methodologist(request.user))


# --- shared fields ----------------------------------------------------------------------------


class SpecialtyCodeField(serializers.SlugRelatedField):
    """A specialty named by its nomenclature code (as in /api/v1/reference/specialties/)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Specialty.objects.all())
        super().__init__(slug_field="code", **kwargs)


class RegionCodeField(serializers.SlugRelatedField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Region.objects.all())
        super().__init__(slug_field="code", **kwargs)


class CatalogueSpecialtyOutput(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()


class OrganisationShortOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    short_name = serializers.CharField()
    region = serializers.CharField(source="region.code")


class SeatsSerializer(serializers.Serializer[Any]):
    budget = serializers.IntegerField(min_value=0, default=0)
    contract = serializers.IntegerField(min_value=0, default=0)
    ffoms = serializers.IntegerField(min_value=0, default=0)


class CycleOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    seats = SeatsSerializer()
    price = serializers.DecimalField(max_digits=10, decimal_places=2)
    region = serializers.CharField(source="region.code", allow_null=True, default=None)
    place = serializers.CharField()


def _x2(serializer: serializers.Serializer[Any], element: Any) -> bool:
    viewer = serializer.context.get("viewer_specialty_ids") or set()
    return selectors.element_is_x2(element, viewer)


class ProgrammeOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    hours = serializers.IntegerField()
    zet = serializers.IntegerField(source="hours")
    form = serializers.ChoiceField(choices=ProgrammeForm.choices)
    bases = serializers.ListField(child=serializers.CharField())
    specialty = CatalogueSpecialtyOutput()
    additional_specialties = CatalogueSpecialtyOutput(many=True)
    organization = OrganisationShortOutput(source="organisation")
    annotation = serializers.CharField()
    has_simulation = serializers.BooleanField()
    has_internship = serializers.BooleanField()
    has_distance_technologies = serializers.BooleanField()
    is_new_competency = serializers.BooleanField()
    x2 = serializers.SerializerMethodField()
    cycles = CycleOutput(many=True, source="open_cycles")

    def get_x2(self, obj: Programme) -> bool:
        return _x2(self, obj)


class EventOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    organiser_name = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    zet = serializers.DecimalField(max_digits=5, decimal_places=2)
    format = serializers.ChoiceField(choices=EventFormat.choices)
    specialties = CatalogueSpecialtyOutput(many=True)
    region = serializers.CharField(source="region.code", allow_null=True, default=None)
    organization = OrganisationShortOutput(source="organisation")
    annotation = serializers.CharField()
    is_free = serializers.BooleanField()
    price = serializers.DecimalField(max_digits=10, decimal_places=2)
    seats = serializers.IntegerField(allow_null=True)
    attendance_control = serializers.CharField()
    x2 = serializers.SerializerMethodField()

    def get_x2(self, obj: Event) -> bool:
        return _x2(self, obj)


class ModuleOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    module_type = serializers.ChoiceField(choices=ModuleType.choices)
    zet = serializers.DecimalField(max_digits=5, decimal_places=2)
    specialties = CatalogueSpecialtyOutput(many=True)
    url = serializers.URLField()
    organization = OrganisationShortOutput(source="organisation")
    annotation = serializers.CharField()
    likes = serializers.IntegerField(source="like_count", default=0)
    comments = serializers.IntegerField(source="comment_count", default=0)
    rating = serializers.DecimalField(
        source="rating_avg", max_digits=4, decimal_places=1, allow_null=True, default=None
    )
    x2 = serializers.SerializerMethodField()

    def get_x2(self, obj: Module) -> bool:
        return _x2(self, obj)


# --- the public catalogue ---------------------------------------------------------------------


class CatalogueFilterInput(serializers.Serializer[Any]):
    specialty = serializers.CharField(required=False, help_text="specialty code: the main or an additional one")
    region = serializers.CharField(required=False, help_text="region code")
    organization = serializers.IntegerField(required=False, min_value=1, max_value=selectors.MAX_ID)
    zet_min = serializers.DecimalField(max_digits=7, decimal_places=2, required=False, min_value=0)
    zet_max = serializers.DecimalField(max_digits=7, decimal_places=2, required=False, min_value=0)
    starts_after = serializers.DateField(required=False)
    starts_before = serializers.DateField(required=False)
    q = serializers.CharField(required=False, max_length=200)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low, high = attrs.get("zet_min"), attrs.get("zet_max")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError({"zet_max": _("Верхняя граница ЗЕТ меньше нижней.")})
        after, before = attrs.get("starts_after"), attrs.get("starts_before")
        if after and before and after > before:
            raise serializers.ValidationError({"starts_before": _("Конец периода раньше его начала.")})
        return attrs


class ProgrammeFilterInput(CatalogueFilterInput):
    form = serializers.ChoiceField(choices=ProgrammeForm.choices, required=False)
    basis = serializers.ChoiceField(choices=Basis.choices, required=False)
    ordering = serializers.ChoiceField(choices=list(selectors.PROGRAMME_ORDERINGS), required=False)


class EventFilterInput(CatalogueFilterInput):
    format = serializers.ChoiceField(choices=EventFormat.choices, required=False)
    is_free = serializers.BooleanField(required=False, allow_null=True, default=None)
    ordering = serializers.ChoiceField(choices=list(selectors.EVENT_ORDERINGS), required=False)


class ModuleFilterInput(CatalogueFilterInput):
    module_type = serializers.ChoiceField(choices=ModuleType.choices, required=False)
    ordering = serializers.ChoiceField(choices=list(selectors.MODULE_ORDERINGS), required=False)


def parse_filters(serializer_class: type[CatalogueFilterInput], data: Any) -> selectors.CatalogueFilters:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return selectors.CatalogueFilters(**serializer.validated_data)


class _FormatIsAFilter:
    """Settings view for content negotiation without ``?format=``: in the event catalogue
    ``format`` is a filter (online/offline), as api.md names it."""

    URL_FORMAT_OVERRIDE = None

    def __getattr__(self, name: str) -> Any:
        return getattr(api_settings, name)


class CatalogueNegotiation(DefaultContentNegotiation):
    settings = _FormatIsAFilter()  # type: ignore[assignment]


class _CatalogueList(APIView):
    permission_classes = [AllowAny]
    pagination_class = Pagination  # so that the schema describes the paginated envelope and parameters
    content_negotiation_class = CatalogueNegotiation
    filter_input: type[CatalogueFilterInput] = CatalogueFilterInput
    output: type[serializers.Serializer[Any]] = ProgrammeOutput

    def rows(self, filters: selectors.CatalogueFilters) -> QuerySet[Any]:
        raise NotImplementedError

    def get(self, request: Request) -> Response:
        viewer = selectors.viewer_specialty_ids(request.user)

        def answer() -> Any:
            # validated here: a query string found in the cache was valid when its answer was made
            # (a 400 is raised, never stored), and validating is a pure function of it
            filters = parse_filters(self.filter_input, request.query_params)
            paginator = Pagination()
            page = paginator.paginate_queryset(self.rows(filters), request, view=self)
            context = {"viewer_specialty_ids": viewer}
            # kept as the JSON it renders to: served again, it is neither unpickled into dicts nor encoded
            return RawJSON.of(paginator.get_paginated_response(self.output(page, many=True, context=context).data).data)

        # the same page for every viewer who reads it alike: computed once (see catalogue_search_cached)
        scope = f"api:{type(self).__name__}:{x2_scope(viewer)}"
        # the answer's links name the host and the path: both are in the key, with the query as sent
        # (not quoted again: see the catalogue page)
        query = request.META.get("QUERY_STRING", "")
        address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
        return Response(catalogue_search_cached(scope, address, answer))


@extend_schema(parameters=[ProgrammeFilterInput], responses=ProgrammeOutput(many=True), tags=["catalog"])
class CatalogueProgrammeListApi(_CatalogueList):
    """Published programmes; each lists its open cycles (not finished yet: ``ends_on >= today``)."""

    filter_input = ProgrammeFilterInput
    output = ProgrammeOutput

    def rows(self, filters: selectors.CatalogueFilters) -> QuerySet[Any]:
        return selectors.catalogue_programmes(filters=filters)

    @extend_schema(parameters=[ProgrammeFilterInput], responses=ProgrammeOutput(many=True))
    def get(self, request: Request) -> Response:
        return super().get(request)


class CatalogueEventListApi(_CatalogueList):
    filter_input = EventFilterInput
    output = EventOutput

    def rows(self, filters: selectors.CatalogueFilters) -> QuerySet[Any]:
        return selectors.catalogue_events(filters=filters)

    @extend_schema(parameters=[EventFilterInput], responses=EventOutput(many=True), tags=["catalog"])
    def get(self, request: Request) -> Response:
        return super().get(request)


class CatalogueModuleListApi(_CatalogueList):
    filter_input = ModuleFilterInput
    output = ModuleOutput

    def rows(self, filters: selectors.CatalogueFilters) -> QuerySet[Any]:
        return selectors.catalogue_modules(filters=filters)

    @extend_schema(parameters=[ModuleFilterInput], responses=ModuleOutput(many=True), tags=["catalog"])
    def get(self, request: Request) -> Response:
        return super().get(request)


def _viewer_context(request: Request) -> dict[str, Any]:
    return {"viewer_specialty_ids": selectors.viewer_specialty_ids(request.user)}


class CatalogueProgrammeDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=ProgrammeOutput, tags=["catalog"], parameters=[PK])
    def get(self, request: Request, pk: int) -> Response:
        programme = selectors.catalogue_programme_get(programme_id=pk)
        return Response(ProgrammeOutput(programme, context=_viewer_context(request)).data)


class CatalogueEventDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=EventOutput, tags=["catalog"], parameters=[PK])
    def get(self, request: Request, pk: int) -> Response:
        event = selectors.catalogue_event_get(event_id=pk)
        return Response(EventOutput(event, context=_viewer_context(request)).data)


class CatalogueModuleDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=ModuleOutput, tags=["catalog"], parameters=[PK])
    def get(self, request: Request, pk: int) -> Response:
        module = selectors.catalogue_module_get(module_id=pk)
        return Response(ModuleOutput(module, context=_viewer_context(request)).data)


class ModuleReactionApi(APIView):
    permission_classes = [IsAuthenticated]

    class ReactionInput(serializers.Serializer[Any]):
        liked = serializers.BooleanField(default=False)
        rating = serializers.IntegerField(min_value=1, max_value=10, required=False, allow_null=True)
        comment = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")

    @extend_schema(
        request=ReactionInput,
        responses={
            201: inline_serializer(
                "ModuleReactionOutput",
                {
                    "liked": serializers.BooleanField(),
                    "rating": serializers.IntegerField(allow_null=True),
                    "comment": serializers.CharField(allow_blank=True),
                },
            )
        },
        parameters=[PK],
        tags=["catalog"],
    )
    def post(self, request: Request, pk: int) -> Response:
        module = selectors.catalogue_module_get(module_id=pk)
        data = self.ReactionInput(data=request.data)
        data.is_valid(raise_exception=True)
        reaction = services.module_reaction_save(module=module, user=_me(request), **data.validated_data)
        return Response(
            {"liked": reaction.liked, "rating": reaction.rating, "comment": reaction.comment},
            status=status.HTTP_201_CREATED,
        )


# --- provider staff ---------------------------------------------------------------------------


class StatusOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    status = serializers.CharField()


class _ProviderApi(APIView):
    permission_classes = [IsAuthenticated, IsProviderStaff]
    pagination_class = Pagination  # lists: the schema describes the paginated envelope and parameters

    @staticmethod
    def paginated(
        request: Request, view: APIView, rows: Any, serializer: type[serializers.Serializer[Any]]
    ) -> Response:
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=view)
        return paginator.get_paginated_response(serialized(serializer, page, many=True))


class OrganisationOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    short_name = serializers.CharField()
    ogrn = serializers.CharField()
    inn = serializers.CharField()
    kpp = serializers.CharField()
    region = serializers.CharField(source="region.code")
    status = serializers.CharField(help_text="draft, submitted, in_review, needs_changes, rejected, approved")


class ProviderOrganisationListApi(_ProviderApi):
    @extend_schema(responses=OrganisationOutput(many=True), tags=["provider"])
    def get(self, request: Request) -> Response:
        return self.paginated(request, self, selectors.staff_organisations(user=_me(request)), OrganisationOutput)


def _codes(specialties: Any) -> list[str]:
    return [s.code for s in specialties.all()]


class StaffProgrammeOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    status = serializers.CharField(help_text="draft, on_review, published, needs_changes, archived")
    title = serializers.CharField()
    hours = serializers.IntegerField()
    form = serializers.CharField()
    bases = serializers.ListField(child=serializers.CharField())
    specialty = serializers.CharField(source="specialty.code")
    additional_specialties = serializers.SerializerMethodField()
    organization = serializers.IntegerField(source="organisation_id")
    annotation = serializers.CharField()
    has_simulation = serializers.BooleanField()
    has_internship = serializers.BooleanField()
    has_distance_technologies = serializers.BooleanField()
    is_new_competency = serializers.BooleanField()

    def get_additional_specialties(self, obj: Programme) -> list[str]:
        codes = getattr(obj, "additional_codes", None)  # the list's rows carry them (PostgreSQL)
        return list(codes) if codes is not None else _codes(obj.additional_specialties)


class ProgrammeInput(serializers.Serializer[Any]):
    organization = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=selectors.MAX_ID,
        help_text="needed only for staff of several organisations",
    )
    title = serializers.CharField(max_length=500)
    hours = serializers.IntegerField(min_value=1, max_value=2000)
    form = serializers.ChoiceField(choices=ProgrammeForm.choices)
    specialty = SpecialtyCodeField()
    additional_specialties = SpecialtyCodeField(many=True, required=False)
    bases = serializers.ListField(child=serializers.ChoiceField(choices=Basis.choices), required=False)
    annotation = serializers.CharField(required=False, allow_blank=True)
    has_simulation = serializers.BooleanField(required=False)
    has_internship = serializers.BooleanField(required=False)
    has_distance_technologies = serializers.BooleanField(required=False)
    is_new_competency = serializers.BooleanField(required=False)


def _staff_programme_rows(request: Request) -> Listing[Programme] | QuerySet[Programme]:
    return selectors.staff_programme_listing(user=_me(request))


class ProviderProgrammeListApi(_ProviderApi):
    @extend_schema(responses=StaffProgrammeOutput(many=True), tags=["provider"])
    def get(self, request: Request) -> Response:
        return self.paginated(request, self, _staff_programme_rows(request), StaffProgrammeOutput)

    @extend_schema(
        request=ProgrammeInput, responses={201: StaffProgrammeOutput, 404: NO_SUCH_ORGANISATION}, tags=["provider"]
    )
    def post(self, request: Request) -> Response:
        data = ProgrammeInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        organisation = selectors.staff_organisation_for_new(
            user=_me(request), organisation_id=values.pop("organization", None)
        )
        programme = services.programme_create(organisation=organisation, by=_me(request), **values)
        return Response(StaffProgrammeOutput(programme).data, status=status.HTTP_201_CREATED)


class ProviderProgrammeDetailApi(_ProviderApi):
    @extend_schema(responses=StaffProgrammeOutput, tags=["provider"], parameters=[PK])
    def get(self, request: Request, pk: int) -> Response:
        return Response(StaffProgrammeOutput(selectors.staff_programme_get(user=_me(request), programme_id=pk)).data)

    @extend_schema(request=ProgrammeInput, responses=StaffProgrammeOutput, tags=["provider"], parameters=[PK])
    def patch(self, request: Request, pk: int) -> Response:
        programme = selectors.staff_programme_get(user=_me(request), programme_id=pk)
        data = ProgrammeInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("organization", None)
        services.programme_update(programme=programme, by=_me(request), **values)
        return Response(StaffProgrammeOutput(programme).data)


class ReasonInput(serializers.Serializer[Any]):
    reason = serializers.CharField(allow_blank=True, required=False, default="", max_length=4000)


def _transition_view(
    getter: str, id_kw: str, action: Any, kwarg: str, *, reason: bool = False, review: bool = False
) -> type[APIView]:
    """One POST endpoint that moves an element along its review path."""

    class TransitionApi(APIView):
        permission_classes = [IsAuthenticated, IsMethodologist if review else IsProviderStaff]

        @extend_schema(
            request=ReasonInput if reason else None,
            responses=StatusOutput,
            tags=["review" if review else "provider"],
            parameters=[PK],
        )
        def post(self, request: Request, pk: int) -> Response:
            if review:
                subject = selectors.review_get(user=_me(request), kind=getter, object_id=pk)
            else:
                subject = getattr(selectors, getter)(user=_me(request), **{id_kw: pk})
            extra: dict[str, Any] = {}
            if reason:
                data = ReasonInput(data=request.data)
                data.is_valid(raise_exception=True)
                extra["reason"] = data.validated_data["reason"]
            action(**{kwarg: subject}, by=_me(request), **extra)
            return Response({"id": subject.pk, "status": subject.status})

    return TransitionApi


class CycleInput(serializers.Serializer[Any]):
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    seats = SeatsSerializer(required=False)
    price = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, required=False)
    region = RegionCodeField(required=False, allow_null=True)
    place = serializers.CharField(required=False, allow_blank=True, max_length=500)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("starts_on") and attrs.get("ends_on") and attrs["ends_on"] < attrs["starts_on"]:
            raise serializers.ValidationError({"ends_on": _("Дата окончания не может быть раньше даты начала.")})
        return attrs


def _cycle_values(validated: dict[str, Any]) -> dict[str, Any]:
    values = dict(validated)
    seats = values.pop("seats", None)
    if seats is not None:
        values.update({f"seats_{basis}": seats.get(basis, 0) for basis in ("budget", "contract", "ffoms")})
    return values


class StaffCycleOutput(CycleOutput):
    program = serializers.IntegerField(source="programme_id")


class ProviderCycleListApi(_ProviderApi):
    @extend_schema(responses=StaffCycleOutput(many=True), tags=["provider"], parameters=[PK])
    def get(self, request: Request, pk: int) -> Response:
        programme = selectors.staff_programme_get(user=_me(request), programme_id=pk)
        return self.paginated(
            request, self, selectors.staff_cycles(user=_me(request), programme=programme), StaffCycleOutput
        )

    @extend_schema(request=CycleInput, responses={201: StaffCycleOutput}, tags=["provider"], parameters=[PK])
    def post(self, request: Request, pk: int) -> Response:
        programme = selectors.staff_programme_get(user=_me(request), programme_id=pk)
        data = CycleInput(data=request.data)
        data.is_valid(raise_exception=True)
        cycle = services.cycle_create(programme=programme, by=_me(request), **_cycle_values(data.validated_data))
        return Response(StaffCycleOutput(cycle).data, status=status.HTTP_201_CREATED)


class ProviderAllCyclesApi(_ProviderApi):
    @extend_schema(responses=StaffCycleOutput(many=True), tags=["provider"])
    def get(self, request: Request) -> Response:
        return self.paginated(request, self, selectors.staff_cycles(user=_me(request)), StaffCycleOutput)


class ProviderCycleDetailApi(_ProviderApi):
    @extend_schema(responses=StaffCycleOutput, tags=["provider"], parameters=[PK])
    def get(self, request: Request, pk: int) -> Response:
        return Response(StaffCycleOutput(selectors.staff_cycle_get(user=_me(request), cycle_id=pk)).data)

    @extend_schema(request=CycleInput, responses=StaffCycleOutput, tags=["provider"], parameters=[PK])
    def patch(self, request: Request, pk: int) -> Response:
        cycle: ProgrammeCycle = selectors.staff_cycle_get(user=_me(request), cycle_id=pk)
        data = CycleInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.cycle_update(cycle=cycle, by=_me(request), **_cycle_values(data.validated_data))
        return Response(StaffCycleOutput(cycle).data)


class StaffEventOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    status = serializers.CharField(help_text="draft, on_review, published, needs_changes, archived")
    title = serializers.CharField()
    organiser_name = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    zet = serializers.DecimalField(max_digits=5, decimal_places=2)
    format = serializers.CharField()
    specialties = serializers.SerializerMethodField()
    region = serializers.CharField(source="region.code", allow_null=True, default=None)
    is_free = serializers.BooleanField()
    price = serializers.DecimalField(max_digits=10, decimal_places=2)
    seats = serializers.IntegerField(allow_null=True)
    attendance_control = serializers.CharField()
    organization = serializers.IntegerField(source="organisation_id")

    def get_specialties(self, obj: Event) -> list[str]:
        return _codes(obj.specialties)


class EventInput(serializers.Serializer[Any]):
    organization = serializers.IntegerField(required=False, min_value=1, max_value=selectors.MAX_ID)
    title = serializers.CharField(max_length=500)
    organiser_name = serializers.CharField(max_length=300, required=False, allow_blank=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    zet = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0.01"), help_text="more than zero; at most 12 a day"
    )
    specialties = SpecialtyCodeField(many=True, required=False)
    format = serializers.ChoiceField(choices=EventFormat.choices)
    region = RegionCodeField(required=False, allow_null=True)
    annotation = serializers.CharField(required=False, allow_blank=True)
    is_free = serializers.BooleanField(required=False)
    price = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, required=False)
    seats = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    attendance_control = serializers.CharField(required=False, allow_blank=True)


class ProviderEventListApi(_ProviderApi):
    @extend_schema(responses=StaffEventOutput(many=True), tags=["provider"])
    def get(self, request: Request) -> Response:
        return self.paginated(request, self, selectors.staff_events(user=_me(request)), StaffEventOutput)

    @extend_schema(request=EventInput, responses={201: StaffEventOutput, 404: NO_SUCH_ORGANISATION}, tags=["provider"])
    def post(self, request: Request) -> Response:
        data = EventInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        organisation = selectors.staff_organisation_for_new(
            user=_me(request), organisation_id=values.pop("organization", None)
        )
        event = services.event_create(organisation=organisation, by=_me(request), **values)
        return Response(StaffEventOutput(event).data, status=status.HTTP_201_CREATED)


class ProviderEventDetailApi(_ProviderApi):
    @extend_schema(responses=StaffEventOutput, tags=["provider"], parameters=[PK])
    def get(self, request: Request, pk: int) -> Response:
        return Response(StaffEventOutput(selectors.staff_event_get(user=_me(request), event_id=pk)).data)

    @extend_schema(request=EventInput, responses=StaffEventOutput, tags=["provider"], parameters=[PK])
    def patch(self, request: Request, pk: int) -> Response:
        event = selectors.staff_event_get(user=_me(request), event_id=pk)
        data = EventInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("organization", None)
        services.event_update(event=event, by=_me(request), **values)
        return Response(StaffEventOutput(event).data)


class CodesCSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        if isinstance(data, dict) and "codes" in data:
            writer.writerow(["code", "event_id", "event_title"])
            for code in data["codes"]:
                writer.writerow([code, data.get("event_id", ""), data.get("event_title", "")])
        else:  # an error body
            for key, value in (data or {}).items():
                writer.writerow([key, value])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")


class ProviderEventCodesApi(_ProviderApi):
    """Individual confirmation codes, shown in full only in this answer. ``?format=csv`` (or
    ``Accept: text/csv``) answers the same codes as a CSV file instead of JSON."""

    renderer_classes = [JSONRenderer, CodesCSVRenderer]

    def handle_exception(self, exc: Exception) -> Response:
        """Errors are JSON whatever was asked for: the CSV is the codes, never an error body."""
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response

    class CodesInput(serializers.Serializer[Any]):
        count = serializers.IntegerField(min_value=1, max_value=services.CODES_MAX_PER_REQUEST)

    @extend_schema(
        request=CodesInput,
        responses={
            201: inline_serializer(
                "ConfirmationCodesOutput",
                {
                    "codes": serializers.ListField(child=serializers.CharField()),
                    "count": serializers.IntegerField(),
                    "event_id": serializers.IntegerField(),
                    "event_title": serializers.CharField(),
                },
            )
        },
        parameters=[PK],
        tags=["provider"],
    )
    def post(self, request: Request, pk: int) -> Response:
        event = selectors.staff_event_get(user=_me(request), event_id=pk)
        data = self.CodesInput(data=request.data)
        data.is_valid(raise_exception=True)
        codes = services.confirmation_codes_generate(event=event, by=_me(request), count=data.validated_data["count"])
        response = Response(
            {"codes": codes, "count": len(codes), "event_id": event.pk, "event_title": event.title},
            status=status.HTTP_201_CREATED,
        )
        response["Cache-Control"] = "no-store"
        if request.accepted_renderer.format == "csv":
            response["Content-Disposition"] = f'attachment; filename="codes-event-{event.pk}.csv"'
        return response


class StaffModuleOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    status = serializers.CharField(help_text="draft, on_review, published, needs_changes, archived")
    title = serializers.CharField()
    module_type = serializers.CharField()
    zet = serializers.DecimalField(max_digits=5, decimal_places=2)
    specialties = serializers.SerializerMethodField()
    url = serializers.URLField()
    annotation = serializers.CharField()
    organization = serializers.IntegerField(source="organisation_id")

    def get_specialties(self, obj: Module) -> list[str]:
        return _codes(obj.specialties)


class ModuleInput(serializers.Serializer[Any]):
    organization = serializers.IntegerField(required=False, min_value=1, max_value=selectors.MAX_ID)
    title = serializers.CharField(max_length=500)
    module_type = serializers.ChoiceField(choices=ModuleType.choices)
    zet = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0)
    specialties = SpecialtyCodeField(many=True, required=False)
    url = serializers.URLField(max_length=500)
    annotation = serializers.CharField(required=False, allow_blank=True)


class ProviderModuleListApi(_ProviderApi):
    @extend_schema(responses=StaffModuleOutput(many=True), tags=["provider"])
    def get(self, request: Request) -> Response:
        return self.paginated(request, self, selectors.staff_modules(user=_me(request)), StaffModuleOutput)

    @extend_schema(
        request=ModuleInput, responses={201: StaffModuleOutput, 404: NO_SUCH_ORGANISATION}, tags=["provider"]
    )
    def post(self, request: Request) -> Response:
        data = ModuleInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        organisation = selectors.staff_organisation_for_new(
            user=_me(request), organisation_id=values.pop("organization", None)
        )
        module = services.module_create(organisation=organisation, by=_me(request), **values)
        return Response(StaffModuleOutput(module).data, status=status.HTTP_201_CREATED)


class ProviderModuleDetailApi(_ProviderApi):
    @extend_schema(responses=StaffModuleOutput, tags=["provider"], parameters=[PK])
    def get(self, request: Request, pk: int) -> Response:
        return Response(StaffModuleOutput(selectors.staff_module_get(user=_me(request), module_id=pk)).data)

    @extend_schema(request=ModuleInput, responses=StaffModuleOutput, tags=["provider"], parameters=[PK])
    def patch(self, request: Request, pk: int) -> Response:
        module = selectors.staff_module_get(user=_me(request), module_id=pk)
        data = ModuleInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("organization", None)
        services.module_update(module=module, by=_me(request), **values)
        return Response(StaffModuleOutput(module).data)


class ProviderModuleCompletionApi(_ProviderApi):
    """The module host reports a completion by the learner's SNILS."""

    class CompletionInput(serializers.Serializer[Any]):
        snils = serializers.CharField()
        completed_on = serializers.DateField()

    @extend_schema(
        request=CompletionInput,
        responses={
            201: inline_serializer(
                "ModuleCompletionOutput", {"id": serializers.IntegerField(), "completed_on": serializers.DateField()}
            )
        },
        parameters=[PK],
        tags=["provider"],
    )
    def post(self, request: Request, pk: int) -> Response:
        from accounts.models import User
        from accounts.snils import normalize_snils

        module = selectors.staff_module_get(user=_me(request), module_id=pk)
        data = self.CompletionInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            snils = normalize_snils(data.validated_data["snils"])
        except DjangoValidationError as error:
            raise ApplicationError(error.messages[0], field="snils") from error
        user = User.objects.filter(snils=snils).first()
        if user is None:
            raise ApplicationError(_("Специалист с таким СНИЛС не зарегистрирован."), field="snils")
        completion = services.module_completion_record(
            module=module, user=user, completed_on=data.validated_data["completed_on"], by=_me(request)
        )
        return Response({"id": completion.pk, "completed_on": completion.completed_on}, status=status.HTTP_201_CREATED)


# --- the methodologist's review queue ---------------------------------------------------------


class ReviewRowOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    status = serializers.CharField()
    title = serializers.CharField(help_text="the element's title or the organisation's short name")
    organization = serializers.IntegerField(allow_null=True)


class ReviewQueueApi(APIView):
    permission_classes = [IsAuthenticated, IsMethodologist]
    pagination_class = Pagination  # so that the schema describes the paginated envelope and parameters
    kind = "programs"

    @extend_schema(responses=ReviewRowOutput(many=True), tags=["review"])
    def get(self, request: Request) -> Response:
        rows = selectors.review_queue(user=_me(request), kind=self.kind)
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        body = [
            {
                "id": row.pk,
                "status": row.status,
                "title": getattr(row, "title", None) or getattr(row, "short_name", ""),
                "organization": getattr(row, "organisation_id", None)
                or (row.pk if isinstance(row, Organisation) else None),
            }
            for row in (page or [])
        ]
        return paginator.get_paginated_response(body)


def review_queue_view(kind: str) -> Any:
    view: Any = type(f"ReviewQueue_{kind}", (ReviewQueueApi,), {"kind": kind})
    return view.as_view()


TRANSITION_VIEWS: dict[str, Any] = {
    "program-submit": _transition_view("staff_programme_get", "programme_id", services.programme_submit, "programme"),
    "program-archive": _transition_view("staff_programme_get", "programme_id", services.programme_archive, "programme"),
    "event-submit": _transition_view("staff_event_get", "event_id", services.event_submit, "event"),
    "event-archive": _transition_view("staff_event_get", "event_id", services.event_archive, "event"),
    "module-submit": _transition_view("staff_module_get", "module_id", services.module_submit, "module"),
    "module-archive": _transition_view("staff_module_get", "module_id", services.module_archive, "module"),
    "program-approve": _transition_view("programs", "", services.programme_approve, "programme", review=True),
    "program-reject": _transition_view(
        "programs", "", services.programme_reject, "programme", reason=True, review=True
    ),
    "event-approve": _transition_view("events", "", services.event_approve, "event", review=True),
    "event-reject": _transition_view("events", "", services.event_reject, "event", reason=True, review=True),
    "module-approve": _transition_view("modules", "", services.module_approve, "module", review=True),
    "module-reject": _transition_view("modules", "", services.module_reject, "module", reason=True, review=True),
    "organization-approve": _transition_view(
        "organizations", "", services.organisation_approve, "organisation", review=True
    ),
    "organization-reject": _transition_view(
        "organizations", "", services.organisation_reject, "organisation", reason=True, review=True
    ),
    "organization-return": _transition_view(
        "organizations", "", services.organisation_return, "organisation", reason=True, review=True
    ),
}
