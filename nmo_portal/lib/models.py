"""The base of the portal's models.

``PortalModel`` answers ``get_<field>_display()`` from a table of labels built once per field and
language. Django's own builds that table on every call, translating every choice to find one
(a page of 50 rows with two such columns translated some 500 labels), and lists render it per row.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

_LABELS: dict[tuple[models.Field[Any, Any], str | None], dict[Any, str]] = {}


def choice_labels(field: models.Field[Any, Any]) -> dict[Any, str]:
    """{stored value: its label in the active language} of a field with choices."""
    key = (field, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = {make_hashable(value): force_str(label) for value, label in field.flatchoices}
        _LABELS[key] = labels
    return labels


class PortalModel(models.Model):
    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> Any:
        value = getattr(self, field.attname)
        return force_str(choice_labels(field).get(make_hashable(value), value), strings_only=True)
