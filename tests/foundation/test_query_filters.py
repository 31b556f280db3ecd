"""A list's filters from its query string (nmo_portal.lib.api.query_filters)."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import QueryDict
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from nmo_portal.lib.api import _validated, query_filters


class Filter(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=[("new", "Новая"), ("done", "Готова")], required=False)
    tags = serializers.ListField(child=serializers.CharField(), required=False)
    q = serializers.CharField(required=False, allow_blank=True)


def test_the_filters_are_what_the_serializer_validates() -> None:
    query = QueryDict("status=new&q=Иванов&page=2&tags=a&tags=b")
    assert query_filters(Filter, query) == {"status": "new", "q": "Иванов", "tags": ["a", "b"]}
    assert query_filters(Filter, QueryDict("")) == {}


def test_a_valid_query_is_validated_once_and_an_answer_cannot_be_edited_through_another() -> None:
    _validated.cache_clear()
    first = query_filters(Filter, QueryDict("q=x&status=done&tags=a"))
    first["status"] = "edited"
    first["tags"].append("b")
    again = query_filters(Filter, QueryDict("tags=a&status=done&q=x"))  # in any order
    assert again == {"status": "done", "q": "x", "tags": ["a"]}
    assert _validated.cache_info().hits == 1


def test_an_invalid_query_is_refused_every_time() -> None:
    _validated.cache_clear()
    for _ in range(2):
        with pytest.raises(ValidationError) as refused:
            query_filters(Filter, QueryDict("status=lost"))
        assert "status" in refused.value.detail
    assert _validated.cache_info().currsize == 0
