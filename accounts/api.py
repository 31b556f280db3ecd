"""API of accounts: registration, token login, the profile with roles, the specialist's documents.
One view per operation, nested Input/Output serializers, the same services as the pages."""

from __future__ import annotations

from typing import Any

from allauth.account import app_settings as allauth_settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.lockout import lockout_state
from accounts.models import AccreditationType, Document, DocumentKind, FrmrStatus, Role, Sex, User
from accounts.selectors import document_get, document_list, user_role_list
from accounts.services import (
    document_create,
    document_delete,
    document_update,
    user_email_confirmation_send,
    user_email_is_confirmed,
    user_profile_update,
    user_register,
)
from nmo_portal.lib.api import Pagination
from reference.models import EducationLevel

# Token first, so that a request without credentials gets 401 with WWW-Authenticate (api.md), not 403.
AUTHENTICATION = [TokenAuthentication, SessionAuthentication]


def _me(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class RegisterApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "register"

    class RegisterInput(serializers.Serializer[Any]):
        # Lenient types: the service checks every field and reports all problems at once.
        snils = serializers.CharField(required=False, allow_blank=True, default="")
        email = serializers.CharField(required=False, allow_blank=True, default="")
        password = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)
        last_name = serializers.CharField(required=False, allow_blank=True, default="")
        first_name = serializers.CharField(required=False, allow_blank=True, default="")
        middle_name = serializers.CharField(required=False, allow_blank=True, default="")
        sex = serializers.CharField(required=False, allow_blank=True, default="")
        birth_date = serializers.DateField(required=False, allow_null=True, default=None)
        citizenship = serializers.CharField(required=False, allow_blank=True, default="RU")
        region = serializers.CharField(required=False, allow_blank=True, default="")
        phone = serializers.CharField(required=False, allow_blank=True, default="")
        education_level = serializers.CharField(required=False, allow_blank=True, default="")
        consent_personal_data = serializers.BooleanField(required=False, default=False)
        accept_terms = serializers.BooleanField(required=False, default=False)

    class RegisterOutput(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        snils = serializers.CharField()
        email = serializers.EmailField()

    class RegisterBody(serializers.Serializer[Any]):
        """The documented body (schema only). ``RegisterInput`` takes everything leniently so that the
        service can report every problem at once; the contract is this: these fields are required, a
        missing or blank one is a 400 naming it. Rules no schema can state are checked by the service
        and answered with a 400 too: the SNILS check number, an e-mail or SNILS already registered,
        an age under 16, an unknown region, a phone that is not Russian, unaccepted consents."""

        snils = serializers.CharField(help_text="11 digits, any spelling: 112-233-445 95, 11223344595")
        email = serializers.EmailField()
        password = serializers.CharField(trim_whitespace=False, help_text="Django's password rules")
        last_name = serializers.CharField()
        first_name = serializers.CharField()
        middle_name = serializers.CharField(required=False, allow_blank=True)
        sex = serializers.ChoiceField(choices=Sex.choices)
        birth_date = serializers.DateField(help_text="16 years ago or earlier")
        citizenship = serializers.CharField(required=False, help_text="ISO 3166-1 alpha-2; RU by default")
        region = serializers.CharField(help_text="the region's code, /api/v1/reference/regions/")
        phone = serializers.CharField(help_text="a Russian number: +7 912 345-67-89")
        education_level = serializers.ChoiceField(choices=EducationLevel.choices)
        consent_personal_data = serializers.BooleanField(help_text="must be true")
        accept_terms = serializers.BooleanField(help_text="must be true")

    @extend_schema(
        request=RegisterBody,
        responses={201: RegisterOutput},
        description="Register a specialist and mail the e-mail confirmation link. Takes no credentials.",
    )
    def post(self, request: Request) -> Response:
        data = self.RegisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = user_register(**data.validated_data)
        user_email_confirmation_send(request=request._request, user=user)
        return Response(self.RegisterOutput(user).data, status=status.HTTP_201_CREATED)


class TokenApi(APIView):
    """Log in by SNILS (any spelling) or e-mail. Counted by django-axes like the login page."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    class TokenInput(serializers.Serializer[Any]):
        login = serializers.CharField(max_length=254)
        password = serializers.CharField(trim_whitespace=False, max_length=4096)

    @extend_schema(
        request=TokenInput,
        responses={200: inline_serializer("TokenOutput", {"token": serializers.CharField()})},
        description=(
            "Log in by SNILS or e-mail. Wrong credentials are a 400 that never says which part was wrong; "
            "repeated failures lock the login out with a 429 and `Retry-After`."
        ),
    )
    def post(self, request: Request) -> Response:
        data = self.TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        django_request = request._request
        user = authenticate(
            request=django_request, login=data.validated_data["login"], password=data.validated_data["password"]
        )
        if getattr(django_request, "axes_locked_out", False):
            # AxesMiddleware answers the same way (AXES_LOCKOUT_CALLABLE); this keeps the view honest.
            message, retry_after, _ends = lockout_state(
                django_request, getattr(django_request, "axes_credentials", None)
            )
            return Response(
                {"detail": message, "retry_after": retry_after},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(retry_after)},
            )
        if not isinstance(user, User):
            return Response(
                {"non_field_errors": [_("Неверный СНИЛС (e-mail) или пароль.")]}, status=status.HTTP_400_BAD_REQUEST
            )
        mandatory = allauth_settings.EMAIL_VERIFICATION == allauth_settings.EmailVerificationMethod.MANDATORY
        if mandatory and not user_email_is_confirmed(user=user):
            return Response(
                {"non_field_errors": [_("Подтвердите адрес электронной почты по ссылке из письма, затем войдите.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]

    class MeOutput(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        snils = serializers.CharField()
        snils_display = serializers.CharField()
        email = serializers.EmailField()
        last_name = serializers.CharField()
        first_name = serializers.CharField()
        middle_name = serializers.CharField()
        sex = serializers.CharField()
        birth_date = serializers.DateField(allow_null=True)
        citizenship = serializers.CharField()
        region = serializers.CharField(source="region.code", allow_null=True, default=None)
        phone = serializers.CharField()
        education_level = serializers.CharField()
        email_confirmed = serializers.BooleanField()
        notify_credits = serializers.BooleanField()
        notify_codes = serializers.BooleanField()
        notify_new_modules = serializers.BooleanField()
        notify_deadlines = serializers.BooleanField()
        roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices))

    class MeInput(serializers.Serializer[Any]):
        phone = serializers.CharField(required=False, allow_blank=True)
        region = serializers.CharField(required=False, allow_blank=True)
        education_level = serializers.CharField(required=False, allow_blank=True)
        notify_credits = serializers.BooleanField(required=False)
        notify_codes = serializers.BooleanField(required=False)
        notify_new_modules = serializers.BooleanField(required=False)
        notify_deadlines = serializers.BooleanField(required=False)

    def _output(self, user: User) -> dict[str, Any]:
        user.email_confirmed = user_email_is_confirmed(user=user)  # type: ignore[attr-defined]
        user.roles = user_role_list(user=user)  # type: ignore[attr-defined]
        return dict(self.MeOutput(user).data)

    @extend_schema(responses=MeOutput)
    def get(self, request: Request) -> Response:
        return Response(self._output(_me(request)))

    @extend_schema(request=MeInput, responses=MeOutput)
    def patch(self, request: Request) -> Response:
        data = self.MeInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        user = user_profile_update(user=_me(request), by=_me(request), **data.validated_data)
        return Response(self._output(user))


class DocumentOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    accreditation_type = serializers.CharField()
    is_record = serializers.BooleanField()
    specialty = serializers.CharField(source="specialty.code")
    specialty_name = serializers.CharField(source="specialty.name")
    education_level = serializers.CharField(source="specialty.education_level")
    series = serializers.CharField()
    number = serializers.CharField()
    issued_on = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    frmr_status = serializers.ChoiceField(choices=FrmrStatus.choices)
    used_for_cycle = serializers.BooleanField()


class DocumentInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    specialty = serializers.CharField(help_text="the specialty's code within the user's education level")
    number = serializers.CharField(max_length=64)
    issued_on = serializers.DateField()
    series = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    accreditation_type = serializers.ChoiceField(
        choices=AccreditationType.choices, required=False, allow_blank=True, default=""
    )
    is_record = serializers.BooleanField(required=False, default=False)


DOCUMENT_ID = OpenApiParameter("document_id", int, OpenApiParameter.PATH, description="the document's id")


class DocumentListCreateApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination  # so that the schema describes the paginated envelope and parameters

    @extend_schema(responses=DocumentOutput(many=True))
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(document_list(user=_me(request)), request, view=self)
        return paginator.get_paginated_response(DocumentOutput(page, many=True).data)

    @extend_schema(request=DocumentInput, responses={201: DocumentOutput})
    def post(self, request: Request) -> Response:
        data = DocumentInput(data=request.data)
        data.is_valid(raise_exception=True)
        document = document_create(owner=_me(request), by=_me(request), **data.validated_data)
        return Response(DocumentOutput(document).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(parameters=[DOCUMENT_ID]),
    patch=extend_schema(parameters=[DOCUMENT_ID]),
    delete=extend_schema(parameters=[DOCUMENT_ID]),
)
class DocumentDetailApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=DocumentOutput)
    def get(self, request: Request, document_id: str) -> Response:
        return Response(DocumentOutput(document_get(user=_me(request), document_id=document_id)).data)

    @extend_schema(request=DocumentInput(partial=True), responses=DocumentOutput)
    def patch(self, request: Request, document_id: str) -> Response:
        document: Document = document_get(user=_me(request), document_id=document_id)
        data = DocumentInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = {key: value for key, value in data.validated_data.items() if key in request.data}
        document = document_update(document=document, by=_me(request), **changes)
        return Response(DocumentOutput(document).data)

    @extend_schema(
        responses={204: None},
        description="Delete the own document; a 409 if a five-year cycle was opened by it.",
    )
    def delete(self, request: Request, document_id: str) -> Response:
        document = document_get(user=_me(request), document_id=document_id)
        document_delete(document=document, by=_me(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
