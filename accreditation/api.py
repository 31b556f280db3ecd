"""The periodic accreditation API (api.md, "Periodic accreditation"): one view per operation,
nested Input/Output serializers, selectors for reads (404 when not yours), services for writes."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accreditation import ledger, policy, selectors, services
from accreditation.models import (
    AccreditationApplication,
    ApplicationFile,
    ApplicationStatus,
    ApplicationTransition,
    DisagreementReason,
    Result,
)
from nmo_portal.lib.api import Pagination
from nmo_portal.lib.exceptions import ApplicationError
from nmo_portal.lib.fragments import serialized


class AccreditationTransitionOutput(serializers.ModelSerializer[ApplicationTransition]):
    class Meta:
        model = ApplicationTransition
        fields = ["from_status", "to_status", "reason", "created_at"]


class AccreditationFileOutput(serializers.ModelSerializer[ApplicationFile]):
    kind = serializers.CharField(help_text="report | other")  # a plain string: no enum named "Kind" to clash

    class Meta:
        model = ApplicationFile
        fields = ["id", "kind", "source", "title", "original_name", "size", "sha256"]


class PortfolioSnapshotOutput(serializers.Serializer[Any]):
    version = serializers.IntegerField()
    sha256 = serializers.CharField()
    created_at = serializers.DateTimeField()
    verified = serializers.SerializerMethodField()
    content = serializers.JSONField()

    def get_verified(self, obj: Any) -> bool:
        return bool(obj.verify())


class AccreditationApplicationOutput(serializers.ModelSerializer[AccreditationApplication]):
    journal_number = serializers.CharField(source="journal_label")
    specialty = serializers.CharField(source="specialty.code")
    specialty_name = serializers.CharField(source="specialty.name")
    commission = serializers.CharField(source="commission.name", default=None, allow_null=True)
    protocol = serializers.SerializerMethodField()

    class Meta:
        model = AccreditationApplication
        fields = [
            "id",
            "status",
            "cycle",
            "specialty",
            "specialty_name",
            "phone",
            "email",
            "education_level",
            "report_agreed_with_employer",
            "report_disagreement_reason",
            "commission",
            "journal_number",
            "submitted_at",
            "registration_due_on",
            "check_due_on",
            "commission_due_on",
            "due_on",
            "return_reason",
            "result",
            "decision_comment",
            "protocol",
            "published_at",
            "new_document",
        ]

    def get_protocol(self, obj: AccreditationApplication) -> dict[str, Any] | None:
        protocol = obj.protocol
        if protocol is None or protocol.published_at is None:
            return None
        return {
            "number": protocol.label,
            "date": protocol.protocol_date.isoformat(),
            "public_id": str(protocol.public_id),
            "publication_due_on": protocol.publication_due_on.isoformat() if protocol.publication_due_on else None,
        }


# The id in a path is matched as text (see urls.py) but documented as the integer it is.
ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Идентификатор заявления")
PAGE = OpenApiParameter("page", OpenApiTypes.INT, OpenApiParameter.QUERY, required=False, description="Страница")


def _paginated(name: str, item: type[serializers.Serializer[Any]]) -> Any:
    """The schema of a page of ``item`` as ``Pagination`` returns it."""
    return inline_serializer(
        name,
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item(many=True),
        },
    )


def _detail(application: AccreditationApplication, *, staff: bool) -> dict[str, Any]:
    data = dict(AccreditationApplicationOutput(application).data)
    if staff:
        # Staff see what was submitted, never the live portfolio.
        snapshot = selectors.latest_snapshot(application=application)
        data["snapshot"] = PortfolioSnapshotOutput(snapshot).data if snapshot else None
        data["files"] = snapshot.content.get("files", []) if snapshot else []
    else:
        data["files"] = AccreditationFileOutput(application.files.filter(is_current=True), many=True).data
        data["snapshots"] = [
            {"version": s.version, "sha256": s.sha256, "created_at": s.created_at}
            for s in selectors.snapshots_of(application=application)
        ]
        opens_on, closes_on = policy.filing_window(application.document)
        data["filing_window"] = {"opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat()}
        entries = ledger.ledger_entries(application.cycle)
        totals = ledger.ledger_totals(entries)
        data["readiness"] = policy.readiness_check(
            totals={"total": totals["total"], "program": totals["by_kind"]["program"]}
        ).as_dict()
    data["history"] = AccreditationTransitionOutput(application.transitions.all(), many=True).data
    return data


# --- the specialist ---------------------------------------------------------------------------------
class AccreditationApplicationInput(serializers.Serializer[Any]):
    cycle = serializers.IntegerField()
    phone = serializers.CharField(max_length=16)
    email = serializers.EmailField()
    report_agreed_with_employer = serializers.BooleanField()
    report_disagreement_reason = serializers.ChoiceField(
        choices=DisagreementReason.choices, required=False, allow_blank=True
    )


class MyApplicationsApi(APIView):
    Input = AccreditationApplicationInput

    @extend_schema(
        operation_id="me_accreditation_applications_list",
        parameters=[PAGE],
        responses=_paginated("PaginatedMyAccreditationApplications", AccreditationApplicationOutput),
        summary="Мои заявления на периодическую аккредитацию",
    )
    def get(self, request: Request) -> Response:
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.applications_of_applicant(user=request.user), request, view=self)
        return paginator.get_paginated_response(serialized(AccreditationApplicationOutput, page, many=True))

    @extend_schema(
        request=Input,
        responses={
            201: AccreditationApplicationOutput,
            404: OpenApiResponse(OpenApiTypes.OBJECT, description="Цикл не найден или не ваш: {cycle: [...]}"),
        },
        summary="Создать заявление (черновик)",
    )
    def post(self, request: Request) -> Response:
        from trajectory.models import Cycle

        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        cycle = Cycle.objects.filter(pk=data.validated_data["cycle"], owner_id=request.user.pk).first()
        application = services.application_create(
            applicant=request.user,
            cycle=cycle,
            phone=data.validated_data["phone"],
            email=data.validated_data["email"],
            report_agreed_with_employer=data.validated_data["report_agreed_with_employer"],
            report_disagreement_reason=data.validated_data.get("report_disagreement_reason", ""),
        )
        return Response(AccreditationApplicationOutput(application).data, status=status.HTTP_201_CREATED)


class MyApplicationDetailApi(APIView):
    @extend_schema(
        parameters=[ID], responses=AccreditationApplicationOutput, summary="Моё заявление: статус, история, готовность"
    )
    def get(self, request: Request, pk: str) -> Response:
        application = selectors.application_get_for_applicant(user=request.user, pk=pk)
        return Response(_detail(application, staff=False))


class MyApplicationReportApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        parameters=[ID],
        request={
            "multipart/form-data": inline_serializer("AccreditationReportUpload", {"file": serializers.FileField()})
        },
        responses={201: AccreditationFileOutput},
        summary="Загрузить отчёт о профессиональной деятельности (PDF, не более 10 МБ)",
    )
    def post(self, request: Request, pk: str) -> Response:
        application = selectors.application_get_for_applicant(user=request.user, pk=pk)
        stored = services.application_report_upload(
            application=application, by=request.user, file=request.FILES.get("file")
        )
        return Response(AccreditationFileOutput(stored).data, status=status.HTTP_201_CREATED)


class MyApplicationFilesApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        parameters=[ID],
        request={
            "multipart/form-data": inline_serializer(
                "AccreditationFileUpload",
                {"file": serializers.FileField(), "title": serializers.CharField(required=False)},
            )
        },
        responses={201: AccreditationFileOutput},
        summary="Приложить иной документ (PDF, не более 10 МБ)",
    )
    def post(self, request: Request, pk: str) -> Response:
        application = selectors.application_get_for_applicant(user=request.user, pk=pk)
        stored = services.application_file_add(
            application=application,
            by=request.user,
            file=request.FILES.get("file"),
            title=str(request.data.get("title", "")),
        )
        return Response(AccreditationFileOutput(stored).data, status=status.HTTP_201_CREATED)


class MyApplicationSubmitApi(APIView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        parameters=[ID],
        request=None,
        responses=AccreditationApplicationOutput,
        summary="Подать заявление (снимок портфолио)",
    )
    def post(self, request: Request, pk: str) -> Response:
        application = selectors.application_get_for_applicant(user=request.user, pk=pk)
        services.application_submit(application=application, by=request.user)
        return Response(AccreditationApplicationOutput(application).data)


# --- the secretary and the commission -------------------------------------------------------------------
def _staff_only(request: Request) -> None:
    if not selectors.is_accreditation_staff(user=request.user):
        raise PermissionDenied("Раздел для секретарей и членов аккредитационных комиссий.")


class StaffApplicationsApi(APIView):
    @extend_schema(
        operation_id="accreditation_applications_list",
        parameters=[
            PAGE,
            inline_serializer(
                "AccreditationStaffFilter",
                {"status": serializers.ChoiceField(choices=ApplicationStatus.choices, required=False)},
            ),
        ],
        responses=_paginated("PaginatedCommissionAccreditationApplications", AccreditationApplicationOutput),
        summary="Заявления комиссии (просроченные первыми)",
    )
    def get(self, request: Request) -> Response:
        _staff_only(request)
        wanted = request.query_params.get("status") or None
        if wanted and wanted not in ApplicationStatus.values:
            raise ApplicationError("Неизвестное состояние.", field="status")
        queryset = selectors.staff_queue_listing(user=request.user, status=wanted, today=timezone.localdate())
        paginator = Pagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(serialized(AccreditationApplicationOutput, page, many=True))


class StaffApplicationDetailApi(APIView):
    @extend_schema(
        parameters=[ID], responses=AccreditationApplicationOutput, summary="Заявление: снимок портфолио, файлы, история"
    )
    def get(self, request: Request, pk: str) -> Response:
        application = selectors.application_get_for_staff(user=request.user, pk=pk)
        services.application_view_record(application=application, by=request.user, request=request._request)
        return Response(_detail(application, staff=True))


class AccreditationNoInput(serializers.Serializer[Any]):
    pass


class _StaffActionApi(APIView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    Input: type[serializers.Serializer[Any]] = AccreditationNoInput

    def act(self, application: AccreditationApplication, by: Any, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def post(self, request: Request, pk: str) -> Response:
        application = selectors.application_get_for_staff(user=request.user, pk=pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        self.act(application, request.user, dict(data.validated_data))
        application.refresh_from_db()
        return Response(AccreditationApplicationOutput(application).data)


class RegisterApi(_StaffActionApi):
    @extend_schema(
        parameters=[ID],
        request=None,
        responses=AccreditationApplicationOutput,
        summary="Зарегистрировать (номер в журнале)",
    )
    def post(self, request: Request, pk: str) -> Response:
        return super().post(request, pk)

    def act(self, application: AccreditationApplication, by: Any, data: dict[str, Any]) -> None:
        services.application_register(application=application, by=by)


class AccreditationReturnInput(serializers.Serializer[Any]):
    reason = serializers.CharField(allow_blank=True, required=False, default="")


class ReturnApi(_StaffActionApi):
    Input = AccreditationReturnInput

    @extend_schema(
        parameters=[ID],
        request=Input,
        responses=AccreditationApplicationOutput,
        summary="Вернуть на доработку с причинами",
    )
    def post(self, request: Request, pk: str) -> Response:
        return super().post(request, pk)

    def act(self, application: AccreditationApplication, by: Any, data: dict[str, Any]) -> None:
        services.application_return(application=application, by=by, reason=data["reason"])


class ToCommissionApi(_StaffActionApi):
    @extend_schema(
        parameters=[ID], request=None, responses=AccreditationApplicationOutput, summary="Передать в комиссию"
    )
    def post(self, request: Request, pk: str) -> Response:
        return super().post(request, pk)

    def act(self, application: AccreditationApplication, by: Any, data: dict[str, Any]) -> None:
        services.application_to_commission(application=application, by=by)


class AccreditationDecideInput(serializers.Serializer[Any]):
    result = serializers.ChoiceField(choices=Result.choices)
    comment = serializers.CharField(allow_blank=True, required=False, default="")


class DecideApi(_StaffActionApi):
    Input = AccreditationDecideInput

    @extend_schema(
        parameters=[ID],
        request=Input,
        responses=AccreditationApplicationOutput,
        summary="Решение комиссии: сдано / не сдано",
    )
    def post(self, request: Request, pk: str) -> Response:
        return super().post(request, pk)

    def act(self, application: AccreditationApplication, by: Any, data: dict[str, Any]) -> None:
        services.application_decide(application=application, by=by, result=data["result"], comment=data["comment"])


class PublishApi(_StaffActionApi):
    @extend_schema(
        parameters=[ID],
        request=None,
        responses=AccreditationApplicationOutput,
        summary="Подписать и опубликовать протокол",
    )
    def post(self, request: Request, pk: str) -> Response:
        return super().post(request, pk)

    def act(self, application: AccreditationApplication, by: Any, data: dict[str, Any]) -> None:
        services.application_publish(application=application, by=by)
