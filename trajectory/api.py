"""The plan of a cycle in the REST API (api.md: "Specialist: documents, cycles, plan").

The cycles themselves (``/me/cycles/``) are served by ``portfolio.api``: their ``progress`` is read
from the ledger, and a lower app never imports a higher one.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nmo_portal.lib.api import Pagination
from nmo_portal.lib.fragments import serialized
from trajectory.elements import element_zet
from trajectory.models import ElementType, PlanItemStatus
from trajectory.permissions import IsSpecialist
from trajectory.selectors import PlanRow, cycle_get, plan_item_get, plan_of
from trajectory.services import plan_item_add, plan_item_remove

CYCLE_ID = OpenApiParameter("cycle_id", int, OpenApiParameter.PATH, description="the cycle's id")
ITEM_ID = OpenApiParameter("item_id", int, OpenApiParameter.PATH, description="the plan item's id")


class PlanCountsForOutput(serializers.Serializer):
    cycle = serializers.IntegerField(source="pk")
    specialty = serializers.CharField(source="specialty.code")
    specialty_name = serializers.CharField(source="specialty.name")


class PlanItemOutput(serializers.Serializer):
    id = serializers.IntegerField(source="item.pk")
    element_type = serializers.ChoiceField(source="item.element_type", choices=ElementType.choices)
    element_id = serializers.IntegerField(source="item.element_id")
    title = serializers.SerializerMethodField()
    zet = serializers.SerializerMethodField()
    status = serializers.ChoiceField(source="item.status", choices=PlanItemStatus.choices)
    x2 = serializers.BooleanField(source="is_x2")
    counts_for = PlanCountsForOutput(many=True)

    def get_title(self, row: PlanRow) -> str:
        return str(row.item.element.title)  # type: ignore[attr-defined]

    def get_zet(self, row: PlanRow) -> float:
        return float(element_zet(row.item.element))


class PlanItemInput(serializers.Serializer):
    element_type = serializers.ChoiceField(choices=ElementType.choices)
    element_id = serializers.IntegerField(min_value=1)


class PlanApi(APIView):
    permission_classes = [IsAuthenticated, IsSpecialist]
    pagination_class = Pagination  # lists are paginated; the schema says so too

    @extend_schema(parameters=[CYCLE_ID], responses=PlanItemOutput(many=True), summary="Мой план: элементы плана цикла")
    def get(self, request: Request, cycle_id: str) -> Response:
        cycle = cycle_get(user=request.user, cycle_id=cycle_id)
        paginator = Pagination()
        page: Any = paginator.paginate_queryset(plan_of(cycle=cycle), request, view=self)
        return paginator.get_paginated_response(serialized(PlanItemOutput, page, many=True))

    @extend_schema(
        parameters=[CYCLE_ID], request=PlanItemInput, responses={201: PlanItemOutput}, summary="Добавить элемент в план"
    )
    def post(self, request: Request, cycle_id: str) -> Response:
        cycle = cycle_get(user=request.user, cycle_id=cycle_id)
        data = PlanItemInput(data=request.data)
        data.is_valid(raise_exception=True)
        item = plan_item_add(cycle=cycle, by=request.user, **data.validated_data)
        row = next(r for r in plan_of(cycle=cycle) if r.item.pk == item.pk)
        return Response(PlanItemOutput(row).data, status=status.HTTP_201_CREATED)


class PlanItemApi(APIView):
    permission_classes = [IsAuthenticated, IsSpecialist]

    @extend_schema(parameters=[CYCLE_ID, ITEM_ID], responses=PlanItemOutput, summary="Элемент плана")
    def get(self, request: Request, cycle_id: str, item_id: str) -> Response:
        cycle = cycle_get(user=request.user, cycle_id=cycle_id)
        item = plan_item_get(user=request.user, item_id=item_id, cycle=cycle)
        row = next(r for r in plan_of(cycle=cycle) if r.item.pk == item.pk)
        return Response(PlanItemOutput(row).data)

    @extend_schema(
        parameters=[CYCLE_ID, ITEM_ID],
        responses={204: None},
        summary="Убрать элемент из плана (пока он в состоянии included)",
    )
    def delete(self, request: Request, cycle_id: str, item_id: str) -> Response:
        cycle = cycle_get(user=request.user, cycle_id=cycle_id)
        item = plan_item_get(user=request.user, item_id=item_id, cycle=cycle)
        plan_item_remove(item=item, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
