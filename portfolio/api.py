"""The specialist's cycles with their progress, code activation and the portfolio in the REST API
(api.md: "Specialist: documents, cycles, plan", "Code activation and the portfolio")."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nmo_portal.lib.api import Pagination
from nmo_portal.lib.exceptions import NotFound
from nmo_portal.lib.fragments import serialized
from nmo_portal.lib.rendered import RawJSON
from nmo_portal.lib.throttling import scoped_throttle
from portfolio import selectors, services
from portfolio.models import ActivationStatus, CodeActivation, PdfStatus, PortfolioPdf, RejectionReason
from trajectory.models import Cycle, CycleStatus
from trajectory.permissions import IsSpecialist
from trajectory.selectors import cycle_get, cycles_of, document_for_cycle_get
from trajectory.services import cycle_open

CYCLE_ID = OpenApiParameter("cycle_id", int, OpenApiParameter.PATH, description="the cycle's id")
ITEM_ID = OpenApiParameter("item_id", int, OpenApiParameter.PATH, description="the plan item's id")
PDF_ID = OpenApiParameter("pdf_id", int, OpenApiParameter.PATH, description="the PDF's id")
ACTIVATION_ID = OpenApiParameter("activation_id", int, OpenApiParameter.PATH, description="the activation's id")


# --- Cycles --------------------------------------------------------------------------------------
class CycleYearOutput(serializers.Serializer):
    year = serializers.IntegerField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    zet = serializers.DecimalField(max_digits=8, decimal_places=2, coerce_to_string=False)
    target = serializers.DecimalField(max_digits=8, decimal_places=2, coerce_to_string=False)


class ZetByKindOutput(serializers.Serializer):
    program = serializers.DecimalField(max_digits=8, decimal_places=2, coerce_to_string=False)
    event = serializers.DecimalField(max_digits=8, decimal_places=2, coerce_to_string=False)
    module = serializers.DecimalField(max_digits=8, decimal_places=2, coerce_to_string=False)


class CycleProgressOutput(serializers.Serializer):
    total_zet = serializers.DecimalField(max_digits=8, decimal_places=2, coerce_to_string=False)
    by_year = CycleYearOutput(many=True)
    by_kind = ZetByKindOutput()


class FiveYearCycleOutput(serializers.Serializer):
    id = serializers.IntegerField()
    specialty = serializers.CharField(source="specialty.code", help_text="the specialty's nomenclature code")
    specialty_name = serializers.CharField(source="specialty.name")
    education_level = serializers.CharField(source="specialty.education_level")
    document = serializers.IntegerField(source="document_id")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    target_zet = serializers.DecimalField(max_digits=6, decimal_places=2, coerce_to_string=False)
    status = serializers.ChoiceField(choices=CycleStatus.choices)
    closed_at = serializers.DateTimeField(allow_null=True)
    progress = serializers.SerializerMethodField()

    @extend_schema_field(CycleProgressOutput)
    def get_progress(self, cycle: Cycle) -> dict[str, Any]:
        progress = self.context["progress"][cycle.pk]
        return CycleProgressOutput(progress).data


class FiveYearCycleInput(serializers.Serializer):
    document = serializers.IntegerField(min_value=1)


def _cycle_body(cycle: Cycle) -> RawJSON:
    progress = selectors.progress_of_cycles(cycles=[cycle])
    return serialized(FiveYearCycleOutput, cycle, context={"progress": progress})


class CyclesApi(APIView):
    permission_classes = [IsAuthenticated, IsSpecialist]
    pagination_class = Pagination  # lists are paginated; the schema says so too

    @extend_schema(responses=FiveYearCycleOutput(many=True), summary="Мои пятилетние циклы с прогрессом")
    def get(self, request: Request) -> Response:
        paginator = Pagination()
        page = paginator.paginate_queryset(cycles_of(user=request.user), request, view=self) or []
        progress = selectors.progress_of_cycles(cycles=list(page))
        return paginator.get_paginated_response(
            FiveYearCycleOutput(page, many=True, context={"progress": progress}).data
        )

    @extend_schema(
        request=FiveYearCycleInput,
        responses={
            201: FiveYearCycleOutput,
            404: OpenApiResponse(OpenApiTypes.OBJECT, description="Документа нет или он не ваш."),
        },
        summary="Открыть цикл по документу",
    )
    def post(self, request: Request) -> Response:
        data = FiveYearCycleInput(data=request.data)
        data.is_valid(raise_exception=True)
        # Someone else's document is 404, exactly like a missing one (api.md).
        document = document_for_cycle_get(user=request.user, document_id=data.validated_data["document"])
        cycle = cycle_open(document=document, by=request.user)
        # read back as every cycle is shown: with its specialty and document
        return Response(_cycle_body(cycle_get(user=request.user, cycle_id=cycle.pk)), status=status.HTTP_201_CREATED)


class CycleApi(APIView):
    permission_classes = [IsAuthenticated, IsSpecialist]

    @extend_schema(
        parameters=[CYCLE_ID], responses=FiveYearCycleOutput, summary="Цикл с прогрессом по годам и видам элементов"
    )
    def get(self, request: Request, cycle_id: str) -> Response:
        return Response(_cycle_body(cycle_get(user=request.user, cycle_id=cycle_id)))


# --- The portfolio -------------------------------------------------------------------------------
class CreditEntryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    element_type = serializers.CharField()
    element_id = serializers.SerializerMethodField()
    title = serializers.CharField()
    zet = serializers.DecimalField(max_digits=6, decimal_places=2, coerce_to_string=False)
    completed_on = serializers.DateField()
    cycle_year = serializers.IntegerField()
    source = serializers.CharField(source="source_kind")  # type: ignore[assignment]
    source_label = serializers.CharField(source="get_source_kind_display")
    credited_at = serializers.DateTimeField()
    reverses = serializers.IntegerField(source="reverses_id", allow_null=True)

    def get_element_id(self, entry: Any) -> int | None:
        return entry.programme_id or entry.event_id or entry.module_id


class PortfolioOutput(serializers.Serializer):
    total_zet = serializers.DecimalField(max_digits=8, decimal_places=2, coerce_to_string=False)
    target_zet = serializers.DecimalField(max_digits=8, decimal_places=2, coerce_to_string=False)
    by_year = serializers.SerializerMethodField()
    by_kind = serializers.SerializerMethodField()
    minimum = serializers.SerializerMethodField()
    entries = CreditEntryOutput(many=True)

    def get_by_year(self, portfolio: selectors.Portfolio) -> list[dict[str, Any]]:
        return [
            {
                "year": row.year,
                "starts_on": row.starts_on.isoformat(),
                "ends_on": row.ends_on.isoformat(),
                "zet": float(row.zet),
                "target": float(row.target),
                "program": float(row.program),
                "program_target": float(row.program_target),
                "other": float(row.other),
                "other_target": float(row.other_target),
            }
            for row in portfolio.by_year
        ]

    def get_by_kind(self, portfolio: selectors.Portfolio) -> dict[str, float]:
        return {kind: float(zet) for kind, zet in portfolio.by_kind.items()}

    def get_minimum(self, portfolio: selectors.Portfolio) -> dict[str, Any]:
        return {
            "hours": float(portfolio.hours_total),
            "required_hours": float(portfolio.min_hours),
            "program_hours": float(portfolio.hours_program),
            "required_program_hours": float(portfolio.min_program_hours),
            "met": portfolio.minimum_met,
            "forecast_reach_on": portfolio.forecast.reach_on.isoformat() if portfolio.forecast.reach_on else None,
        }


class PortfolioApi(APIView):
    permission_classes = [IsAuthenticated, IsSpecialist]

    @extend_schema(parameters=[CYCLE_ID], responses=PortfolioOutput, summary="Портфолио цикла: реестр зачтённых ЗЕТ")
    def get(self, request: Request, cycle_id: str) -> Response:
        cycle = cycle_get(user=request.user, cycle_id=cycle_id)
        inputs = selectors.portfolio_inputs(cycle=cycle)
        return Response(serialized(PortfolioOutput, inputs, build=selectors.portfolio_from))


# --- Code activation -----------------------------------------------------------------------------
class CodeActivationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ActivationStatus.choices)
    reason = serializers.SerializerMethodField()
    reason_text = serializers.SerializerMethodField()
    next_step = serializers.SerializerMethodField()
    code = serializers.CharField(source="code_masked")
    event = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)

    def get_reason(self, activation: CodeActivation) -> str | None:
        return activation.reason or None

    def get_reason_text(self, activation: CodeActivation) -> str | None:
        from portfolio.messages import reason_help

        found = reason_help(activation.reason)
        return f"{found.title}. {found.explanation}" if found else None

    def get_next_step(self, activation: CodeActivation) -> str | None:
        from portfolio.messages import reason_help

        found = reason_help(activation.reason)
        return str(found.next_step) if found else None

    def get_event(self, activation: CodeActivation) -> dict[str, Any] | None:
        if activation.status != ActivationStatus.ACCEPTED or activation.event is None:
            return None
        return {"id": activation.event.pk, "title": activation.event.title}


class CodeActivationInput(serializers.Serializer):
    code = serializers.CharField(max_length=64, trim_whitespace=True)


class CodeActivationsApi(APIView):
    permission_classes = [IsAuthenticated, IsSpecialist]
    pagination_class = Pagination  # lists are paginated; the schema says so too
    throttle_classes = [scoped_throttle("code_activation")]

    @extend_schema(
        request=CodeActivationInput,
        responses={
            202: CodeActivationOutput,
            # the input field is itself named "code": its 400 is {"code": ["..."]}, not the Error shape
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Код не введён или слишком длинный."),
        },
        summary="Активировать код подтверждения",
        description="Проверка идёт в фоне; причины отказа: " + ", ".join(RejectionReason.values),
    )
    def post(self, request: Request) -> Response:
        data = CodeActivationInput(data=request.data)
        data.is_valid(raise_exception=True)
        # Too many failures: TooManyAttempts -> 429 with Retry-After (the project's exception handler).
        activation = services.code_activation_submit(user=request.user, code=data.validated_data["code"])
        activation.refresh_from_db()  # with eager tasks the decision is already there
        return Response(CodeActivationOutput(activation).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses=CodeActivationOutput(many=True), summary="Мои активации кодов")
    def get(self, request: Request) -> Response:
        paginator = Pagination()
        queryset = selectors.activations_queryset(user=request.user)
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(CodeActivationOutput(page, many=True).data)


class CodeActivationApi(APIView):
    permission_classes = [IsAuthenticated, IsSpecialist]

    @extend_schema(parameters=[ACTIVATION_ID], responses=CodeActivationOutput, summary="Решение по коду")
    def get(self, request: Request, activation_id: str) -> Response:
        activation = selectors.activation_get(user=request.user, activation_id=activation_id)
        return Response(CodeActivationOutput(activation).data)


# --- Portfolio PDF -------------------------------------------------------------------------------
class PortfolioPdfOutput(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    verification_code = serializers.SerializerMethodField()
    content_sha256 = serializers.CharField()
    created_at = serializers.DateTimeField()
    rendered_at = serializers.DateTimeField(allow_null=True)

    def get_status(self, pdf: PortfolioPdf) -> str:
        # "rendering" is an internal step of "pending" (api.md knows pending | ready | failed).
        return PdfStatus.PENDING.value if pdf.status == PdfStatus.RENDERING else str(pdf.status)

    def get_url(self, pdf: PortfolioPdf) -> str | None:
        if pdf.status != PdfStatus.READY:
            return None
        request = self.context.get("request")
        path = reverse("api-portfolio-pdf-file", args=[pdf.pk])
        return request.build_absolute_uri(path) if request is not None else path

    def get_verification_code(self, pdf: PortfolioPdf) -> str | None:
        return pdf.verification_code if pdf.status == PdfStatus.READY else None


class PortfolioPdfRequestApi(APIView):
    permission_classes = [IsAuthenticated, IsSpecialist]

    @extend_schema(
        parameters=[CYCLE_ID], request=None, responses={202: PortfolioPdfOutput}, summary="Заказать портфолио в PDF"
    )
    def post(self, request: Request, cycle_id: str) -> Response:
        cycle = cycle_get(user=request.user, cycle_id=cycle_id)
        pdf = services.portfolio_pdf_request(cycle=cycle, by=request.user)
        pdf.refresh_from_db()
        body = PortfolioPdfOutput(pdf, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED)


class PortfolioPdfApi(APIView):
    permission_classes = [IsAuthenticated, IsSpecialist]

    @extend_schema(parameters=[PDF_ID], responses=PortfolioPdfOutput, summary="Состояние PDF портфолио")
    def get(self, request: Request, pdf_id: str) -> Response:
        pdf = selectors.portfolio_pdf_get(user=request.user, pdf_id=pdf_id)
        return Response(PortfolioPdfOutput(pdf, context={"request": request}).data)


class PortfolioPdfFileApi(APIView):
    permission_classes = [IsAuthenticated, IsSpecialist]

    @extend_schema(
        parameters=[PDF_ID], responses={(200, "application/pdf"): bytes}, summary="Файл PDF (только владельцу)"
    )
    def get(self, request: Request, pdf_id: str) -> FileResponse:
        pdf = selectors.portfolio_pdf_get(user=request.user, pdf_id=pdf_id)
        if pdf.status != PdfStatus.READY or not pdf.file:
            raise NotFound("Документ ещё готовится.")
        response = FileResponse(pdf.file.open("rb"), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="portfolio-{pdf.verification_code}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response
