from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nmo_portal.lib.api import Pagination, query_filters
from nmo_portal.lib.rendered import RawJSON
from reference.models import EducationLevel
from reference.selectors import REFERENCE_CACHE, region_list, specialty_list


class SpecialtyOutput(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    education_level = serializers.ChoiceField(choices=EducationLevel.choices)
    legal_act = serializers.CharField(source="source", help_text="the order the nomenclature comes from")
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True)


class RegionOutput(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    iso_3166_2 = serializers.CharField()


class _CachedListView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    pagination_class = Pagination

    def paginated(
        self, request: Request, rows: Callable[[], list[Any]], serializer: type[serializers.Serializer[Any]]
    ) -> Response:
        """The page as data, cached with the lists themselves (stale when they are loaded again):
        the same for everyone who asks the same URL, and 200 rows are not serialized per request."""

        def answer() -> Any:
            paginator = self.pagination_class()
            page = paginator.paginate_queryset(rows(), request, view=self)
            assert page is not None
            # kept as the JSON it renders to: served again, it is neither unpickled into dicts nor encoded
            return RawJSON.of(paginator.get_paginated_response(serializer(page, many=True).data).data)

        url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]
        return Response(REFERENCE_CACHE.get_or_compute(f"api:{url}", answer, timeout=3600))


class SpecialtyListApi(_CachedListView):
    class Filter(serializers.Serializer[Any]):
        education_level = serializers.ChoiceField(choices=EducationLevel.choices, required=False)

    @extend_schema(
        parameters=[OpenApiParameter("education_level", enum=EducationLevel.values, required=False)],
        responses=SpecialtyOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        def rows() -> list[Any]:
            # validated when the answer is made: an address found in the cache was valid then (a 400
            # is raised, never stored), and validating is a function of the query alone
            level = query_filters(self.Filter, request.query_params).get("education_level")
            return specialty_list(education_level=level)

        return self.paginated(request, rows, SpecialtyOutput)


class RegionListApi(_CachedListView):
    @extend_schema(responses=RegionOutput(many=True))
    def get(self, request: Request) -> Response:
        return self.paginated(request, region_list, RegionOutput)
