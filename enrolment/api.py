"""The REST API of applications, enrolment, results and disputes (api.md: "Applications to a
programme cycle" and "Provider staff"). One view per operation; each fetches through a selector
that applies permissions (someone else's object is 404) and calls one service."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse, HttpResponseBase
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import BaseParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.snils import normalize_snils
from enrolment import selectors, services
from enrolment.documents import application_pdf
from enrolment.exports import applications_export
from enrolment.models import AnswerKind, ApplicationStatus, Basis, Employment, Outcome
from enrolment.results_parsing import MAX_BYTES, parse_results_file, parse_results_json
from nmo_portal.lib.api import Pagination, query_filters
from nmo_portal.lib.audit import audit_record
from nmo_portal.lib.exceptions import ApplicationError
from nmo_portal.lib.fragments import serialized
from nmo_portal.lib.throttling import FailureThrottle, scoped_throttle
from providers.models import ProgrammeCycle
from reference.models import Specialty

# Enumerations as text in the schema: the same sets appear under other names in other apps
# (providers' ``bases``, every app's ``status``), which drf-spectacular reports as naming collisions.
STATUS_HELP = "formed | enrolled | rejected | cancelled | completed | failed"
BASIS_HELP = "budget | contract | ffoms"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _paginated(
    view: APIView,
    request: Request,
    queryset: Any,
    serializer: type[serializers.Serializer[Any]],
    *,
    memoized: bool = False,
) -> Response:
    """A page of ``queryset`` serialized; ``memoized`` (``fragments.serialized``) only for rows
    whose answer is made of the rows alone. Not the specialist's applications: their "waiting_for"
    reads the rule sets through their own cache while serializing, which a digest cannot see."""
    paginator = Pagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    data = serialized(serializer, page, many=True) if memoized else serializer(page, many=True).data
    return paginator.get_paginated_response(data)


# --- specialists ---------------------------------------------------------------------------------
class ApplicationOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField(help_text=STATUS_HELP)
    program_cycle = serializers.IntegerField(source="programme_cycle_id")
    program = serializers.IntegerField(source="programme_cycle.programme_id")
    program_title = serializers.CharField(source="programme_cycle.programme.title")
    organization = serializers.CharField(source="programme_cycle.programme.organisation.short_name")
    starts_on = serializers.DateField(source="programme_cycle.starts_on")
    ends_on = serializers.DateField(source="programme_cycle.ends_on")
    specialty = serializers.CharField(source="specialty.code")
    specialty_name = serializers.CharField(source="specialty.name")
    employment = serializers.ChoiceField(choices=Employment.choices)
    basis = serializers.CharField(help_text=BASIS_HELP)
    reject_reason = serializers.CharField()
    waiting_for = serializers.SerializerMethodField(help_text="what the application waits for, in Russian")
    created_at = serializers.DateTimeField()

    def get_waiting_for(self, application: Any) -> str:
        return selectors.waiting_for(application)


class MyApplicationsApi(APIView):
    pagination_class = Pagination  # its GET is a paginated list; the schema says so too

    class Input(serializers.Serializer[Any]):
        program_cycle = serializers.IntegerField()
        specialty = serializers.CharField(help_text="the specialty's code (or id)")
        employment = serializers.ChoiceField(choices=Employment.choices)
        basis = serializers.CharField(max_length=16, help_text=BASIS_HELP)
        consent = serializers.BooleanField()

    class Created(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        number = serializers.CharField()
        status = serializers.CharField()

    @extend_schema(responses=ApplicationOutput(many=True))
    def get(self, request: Request) -> Response:
        return _paginated(self, request, selectors.applications_of(user=request.user), ApplicationOutput)

    @extend_schema(request=Input, responses={201: Created, 400: OpenApiResponse(), 409: OpenApiResponse()})
    def post(self, request: Request) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        cycle = (
            ProgrammeCycle.objects.select_related("programme__organisation").filter(pk=values["program_cycle"]).first()
        )
        if cycle is None:
            raise ApplicationError(_("Такого цикла нет в каталоге."), field="program_cycle")
        specialty = _specialty(values["specialty"])
        application = services.application_create(
            applicant=request.user,  # type: ignore[arg-type]
            programme_cycle=cycle,
            specialty=specialty,
            employment=values["employment"],
            basis=values["basis"],
            consent=values["consent"],
        )
        return Response(self.Created(application).data, status=status.HTTP_201_CREATED)


def _specialty(value: str) -> Specialty:
    value = str(value).strip()
    found = Specialty.objects.filter(code=value).order_by("pk").first()
    if found is None and value.isdigit():
        found = Specialty.objects.filter(pk=int(value)).first()
    if found is None:
        raise ApplicationError(_("Такой специальности нет в справочнике."), field="specialty")
    return found


class MyApplicationDetailApi(APIView):
    @extend_schema(responses=ApplicationOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(ApplicationOutput(selectors.application_get(user=request.user, application_id=pk)).data)


class MyApplicationCancelApi(APIView):
    @extend_schema(request=None, responses=ApplicationOutput)
    def post(self, request: Request, pk: int) -> Response:
        application = selectors.application_get(user=request.user, application_id=pk)
        services.application_cancel(application=application, by=request.user)
        return Response(ApplicationOutput(application).data)


class MyApplicationPdfApi(APIView):
    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(response=OpenApiTypes.BINARY, description="the printable заявка")
        }
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        application = selectors.application_get(user=request.user, application_id=pk)
        response = HttpResponse(application_pdf(application=application), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="zayavka-{application.pk}.pdf"'
        return response


class DisputeOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
    status = serializers.CharField()
    message = serializers.CharField()
    opened_on = serializers.DateField()
    due_on = serializers.DateField()
    answer_kind = serializers.CharField()
    answer = serializers.CharField()
    resolution = serializers.CharField()


class MyDisputesApi(APIView):
    pagination_class = Pagination  # its GET is a paginated list; the schema says so too

    class Input(serializers.Serializer[Any]):
        application = serializers.IntegerField()
        message = serializers.CharField(max_length=4000)

    @extend_schema(responses=DisputeOutput(many=True))
    def get(self, request: Request) -> Response:
        return _paginated(
            self, request, selectors.disputes_of(user=request.user).order_by("-created_at"), DisputeOutput
        )

    @extend_schema(request=Input, responses={201: DisputeOutput})
    def post(self, request: Request) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        application = selectors.application_get(user=request.user, application_id=data.validated_data["application"])
        dispute = services.dispute_open(
            application=application,
            by=request.user,  # type: ignore[arg-type]
            message=data.validated_data["message"],
        )
        return Response(DisputeOutput(dispute).data, status=status.HTTP_201_CREATED)


class MyDisputeDetailApi(APIView):
    @extend_schema(responses=DisputeOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(DisputeOutput(selectors.dispute_get(user=request.user, dispute_id=pk)).data)


# --- provider staff --------------------------------------------------------------------------------
class StaffApplicationOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField(help_text=STATUS_HELP)
    last_name = serializers.CharField(source="applicant.last_name")
    first_name = serializers.CharField(source="applicant.first_name")
    middle_name = serializers.CharField(source="applicant.middle_name")
    snils = serializers.CharField(source="applicant.snils")
    birth_date = serializers.DateField(source="applicant.birth_date", allow_null=True)
    specialty = serializers.CharField(source="specialty.code")
    specialty_name = serializers.CharField(source="specialty.name")
    employment = serializers.ChoiceField(choices=Employment.choices)
    basis = serializers.CharField(help_text=BASIS_HELP)
    origin = serializers.CharField(source="source", help_text="specialist | provider (direct enrolment)")
    reject_reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class CycleApplicationsApi(APIView):
    pagination_class = Pagination  # its GET is a paginated list; the schema says so too

    class Filter(serializers.Serializer[Any]):
        status = serializers.ChoiceField(choices=ApplicationStatus.choices, required=False)
        basis = serializers.ChoiceField(choices=Basis.choices, required=False)
        q = serializers.CharField(required=False, allow_blank=True, help_text="surname, name, SNILS or number")

    @extend_schema(
        parameters=[
            OpenApiParameter("status", enum=ApplicationStatus.values, required=False),
            OpenApiParameter("basis", enum=Basis.values, required=False),
            OpenApiParameter("q", str, required=False),
        ],
        responses=StaffApplicationOutput(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        cycle = selectors.staff_cycle_get(user=request.user, cycle_id=pk)
        filters = query_filters(self.Filter, request.query_params)
        queryset = selectors.cycle_applications_listing(cycle=cycle, **filters)
        return _paginated(self, request, queryset, StaffApplicationOutput, memoized=True)


class CycleApplicationsExportApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("kind", enum=["csv", "xlsx"], required=False)],
        responses={(200, "text/csv"): OpenApiTypes.BINARY, (200, XLSX): OpenApiTypes.BINARY},
    )
    def get(self, request: Request, pk: int) -> HttpResponseBase:
        cycle = selectors.staff_cycle_get(user=request.user, cycle_id=pk)
        return export_response(
            request=request,
            cycle=cycle,
            kind=request.query_params.get("kind", "csv"),
            status=request.query_params.get("status", ""),
            basis=request.query_params.get("basis", ""),
            q=request.query_params.get("q", ""),
        )


def export_response(
    *, request: Any, cycle: ProgrammeCycle, kind: str, status: str = "", basis: str = "", q: str = ""
) -> HttpResponseBase:
    """The cycle's applications as CSV/XLSX: learners' personal data leaving the portal, so the
    export is written to the audit log (who, which cycle, which filters)."""
    status = status if status in ApplicationStatus.values else ""
    basis = basis if basis in Basis.values else ""
    audit_record(
        actor=request.user,
        action="applications.exported",
        target=cycle,
        details={"kind": kind, "status": status, "basis": basis, "q": q},
        request=getattr(request, "_request", request),
    )
    applications = selectors.cycle_applications(cycle=cycle, status=status, basis=basis, q=q)
    return applications_export(
        applications=applications.iterator(chunk_size=1000), kind=kind, name=f"applications-cycle-{cycle.pk}"
    )


class ApplicationEnrollApi(APIView):
    @extend_schema(request=None, responses=StaffApplicationOutput)
    def post(self, request: Request, pk: int) -> Response:
        application = selectors.staff_application_get(user=request.user, application_id=pk)
        services.application_enroll(application=application, by=request.user)
        return Response(StaffApplicationOutput(application).data)


class ApplicationRejectApi(APIView):
    class Input(serializers.Serializer[Any]):
        reason = serializers.CharField(max_length=2000, allow_blank=True)

    @extend_schema(request=Input, responses=StaffApplicationOutput)
    def post(self, request: Request, pk: int) -> Response:
        application = selectors.staff_application_get(user=request.user, application_id=pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        services.application_reject(application=application, by=request.user, reason=data.validated_data["reason"])
        return Response(StaffApplicationOutput(application).data)


# Looking people up by SNILS is rationed per user (every request) and per organisation (failed
# look-ups), so that SNILS cannot be enumerated, even spread over several staff accounts.
LearnerLookupThrottle = scoped_throttle("learner_validate")
LEARNER_FAILURES = FailureThrottle("learner_validate")


def _organisation_key(user: Any) -> str:
    ids = sorted(selectors.staff_organisations(user=user).values_list("pk", flat=True))
    if not ids:
        raise selectors.not_found()
    return "org:" + ",".join(str(i) for i in ids)


class CycleEnrollmentsApi(APIView):
    throttle_classes = [LearnerLookupThrottle]

    class Input(serializers.Serializer[Any]):
        snils = serializers.CharField(max_length=32)
        basis = serializers.CharField(max_length=16, required=False, help_text=BASIS_HELP)

    @extend_schema(request=Input, responses={201: StaffApplicationOutput})
    def post(self, request: Request, pk: int) -> Response:
        cycle = selectors.staff_cycle_get(user=request.user, cycle_id=pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.enrolment_by_snils(
            cycle=cycle, snils=data.validated_data["snils"], basis=data.validated_data.get("basis", ""), by=request.user
        )
        return Response(StaffApplicationOutput(application).data, status=status.HTTP_201_CREATED)


class LearnerValidateApi(APIView):
    """Pre-validation before reporting: ``{valid}`` and nothing else. Throttled per user, and failed
    look-ups per organisation (429 with Retry-After)."""

    throttle_classes = [LearnerLookupThrottle]

    class Input(serializers.Serializer[Any]):
        snils = serializers.CharField(max_length=32)
        last_name = serializers.CharField(max_length=150)
        birth_date = serializers.DateField()

    class Output(serializers.Serializer[Any]):
        valid = serializers.BooleanField()

    @extend_schema(request=Input, responses=Output)
    def post(self, request: Request) -> Response:
        key = _organisation_key(request.user)
        LEARNER_FAILURES.guard(key)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            snils = normalize_snils(data.validated_data["snils"])
        except DjangoValidationError:
            snils = ""
        valid = bool(snils) and selectors.learner_is_valid(
            snils=snils, last_name=data.validated_data["last_name"], birth_date=data.validated_data["birth_date"]
        )
        if not valid:
            LEARNER_FAILURES.record_failure(key)
        return Response({"valid": valid})


class RawBytesParser(BaseParser):
    media_type = "text/csv"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return stream.read(MAX_BYTES + 1) if stream is not None else b""


class XlsxBytesParser(RawBytesParser):
    media_type = XLSX


class ResultOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
    snils = serializers.CharField(source="learner.snils")
    last_name = serializers.CharField(source="learner.last_name")
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    completed_on = serializers.DateField()
    certificate_number = serializers.CharField()
    recorded_at = serializers.DateTimeField()
    on_time = serializers.BooleanField()
    credited = serializers.SerializerMethodField()

    def get_credited(self, result: Any) -> bool:
        return result.credited_at is not None


class ResultRowInput(serializers.Serializer[Any]):
    snils = serializers.CharField()
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    completed_on = serializers.DateField()
    certificate_number = serializers.CharField(allow_blank=True, required=False)


class CycleResultsApi(APIView):
    pagination_class = Pagination  # its GET is a paginated list; the schema says so too
    parser_classes = [JSONParser, RawBytesParser, XlsxBytesParser, MultiPartParser]

    class Summary(serializers.Serializer[Any]):
        accepted = serializers.IntegerField()
        already_recorded = serializers.IntegerField()
        corrected = serializers.IntegerField()

    @extend_schema(responses=ResultOutput(many=True))
    def get(self, request: Request, pk: int) -> Response:
        cycle = selectors.staff_cycle_get(user=request.user, cycle_id=pk)
        return _paginated(self, request, selectors.cycle_results_listing(cycle=cycle), ResultOutput, memoized=True)

    @extend_schema(
        request={"application/json": ResultRowInput(many=True), "text/csv": {"type": "string", "format": "binary"}},
        responses={200: Summary, 400: OpenApiResponse(description='{"errors": [{"row", "field", "message"}]}')},
        description="All rows or none: any bad row answers 400 with every error and applies nothing. "
        "Rows already recorded unchanged are counted in already_recorded. Row numbers: the position in "
        "the JSON list from 1, or the spreadsheet line in a file (the header is line 1).",
    )
    def post(self, request: Request, pk: int) -> Response:
        cycle = selectors.staff_cycle_get(user=request.user, cycle_id=pk)
        content_type = (request.content_type or "").split(";")[0].strip().lower()
        if content_type in {"text/csv", XLSX}:
            data = request.data if isinstance(request.data, bytes) else b""
            rows = parse_results_file(data, filename="upload.xlsx" if content_type == XLSX else "upload.csv")
        elif content_type.startswith("multipart/"):
            upload = request.data.get("file")
            if upload is None or not hasattr(upload, "read"):
                raise ApplicationError(_("Приложите файл с результатами (CSV или XLSX)."), field="file")
            rows = parse_results_file(upload.read(MAX_BYTES + 1), filename=getattr(upload, "name", "") or "")
        else:
            rows = parse_results_json(request.data)
        summary = services.results_record(cycle=cycle, rows=rows, by=request.user)
        return Response(
            {"accepted": summary.accepted, "already_recorded": summary.already_recorded, "corrected": summary.corrected}
        )


class StaffDisputesApi(APIView):
    pagination_class = Pagination  # its GET is a paginated list; the schema says so too

    @extend_schema(responses=DisputeOutput(many=True))
    def get(self, request: Request) -> Response:
        return _paginated(
            self, request, selectors.staff_disputes(user=request.user).order_by("due_on", "pk"), DisputeOutput
        )


class DisputeAnswerApi(APIView):
    class Input(serializers.Serializer[Any]):
        answer_kind = serializers.ChoiceField(choices=AnswerKind.choices)
        answer = serializers.CharField(max_length=4000, allow_blank=True, required=False)

    @extend_schema(request=Input, responses=DisputeOutput)
    def post(self, request: Request, pk: int) -> Response:
        dispute = selectors.staff_dispute_get(user=request.user, dispute_id=pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        services.dispute_answer(
            dispute=dispute,
            by=request.user,
            kind=data.validated_data["answer_kind"],
            answer=data.validated_data.get("answer", ""),
        )
        return Response(DisputeOutput(dispute).data)


# The OpenAPI components are named after the serializers: give the nested ones unique names.
for _view in (
    MyApplicationsApi,
    MyDisputesApi,
    ApplicationRejectApi,
    CycleEnrollmentsApi,
    LearnerValidateApi,
    DisputeAnswerApi,
    CycleResultsApi,
):
    for _nested in ("Input", "Output", "Created", "Summary"):
        _serializer = getattr(_view, _nested, None)
        if _serializer is not None:
            _serializer.__name__ = _view.__name__.removesuffix("Api") + _nested
