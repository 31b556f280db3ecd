"""Shared pieces of the REST API: pagination and the one exception handler."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import InvalidPage
from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from nmo_portal.lib.exceptions import ApplicationError
from nmo_portal.lib.prepared import Rows


def query_filters(serializer_class: type[serializers.Serializer[Any]], query: QueryDict) -> dict[str, Any]:
    """A list's filters from its query string, validated by ``serializer_class``: raises the 400 of
    ``is_valid(raise_exception=True)``. A valid query is validated once per process: a DRF
    serializer deep-copies its fields on every use, some 500 calls for three filters. The
    serializer must be a function of the query alone (no context, no database)."""
    validated = _validated(serializer_class, tuple(sorted((key, tuple(values)) for key, values in query.lists())))
    # a copy, lists too: the remembered answer is not edited through the one given out
    return {key: list(value) if isinstance(value, list) else value for key, value in validated.items()}


@lru_cache(maxsize=1024)
def _validated(
    serializer_class: type[serializers.Serializer[Any]], query: tuple[tuple[str, tuple[str, ...]], ...]
) -> Mapping[str, Any]:
    data = QueryDict(mutable=True)
    for key, values in query:
        data.setlist(key, list(values))
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)  # an invalid query raises: not remembered
    return serializer.validated_data


class Pagination(PageNumberPagination):
    """``?page=N&page_size=M``. A ``page_size`` that is not a whole number from 1 to 200 is a 400
    (DRF would silently fall back to the default; the fuzzing test holds us to the schema)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request: Any) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if not 1 <= value <= self.max_page_size:
            message = _("Укажите целое число от 1 до %(max)s.") % {"max": self.max_page_size}
            raise DRFValidationError({self.page_size_query_param: [message]})
        return value

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        """DRF's, except that the page's rows are the lazy slice of a queryset (DRF makes a list of
        them): a memoized answer (``fragments.serialized``) digests them by their row-version stamp
        and loads them only when it is made. Iterating or serializing the slice loads it as before."""
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        page_number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage as exc:
            raise NotFound(self.invalid_page_message.format(page_number=page_number, message=str(exc))) from exc
        self.display_page_controls = paginator.num_pages > 1 and self.template is not None
        rows = self.page.object_list
        return rows if isinstance(rows, QuerySet | Rows) else list(rows)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        retry_after = getattr(exc, "retry_after", None)
        headers = {"Retry-After": str(retry_after)} if retry_after else None
        return Response(exc.as_body(), status=exc.status_code, headers=headers)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            body: Any = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
            body = {("non_field_errors" if k == "__all__" else k): v for k, v in body.items()}
        else:
            body = {"non_field_errors": [str(m) for m in exc.messages]}
        exc = DRFValidationError(body)
    if isinstance(exc, Http404):
        return Response({"detail": "Не найдено."}, status=status.HTTP_404_NOT_FOUND)
    return drf_exception_handler(exc, context)
