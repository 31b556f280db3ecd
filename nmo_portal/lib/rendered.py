"""API answers kept as the JSON they render to.

A memoized answer (``fragments.serialized``) was kept as data: each request served from the memo
unpickled its rows into dicts (strings decoded one by one) and encoded them to JSON again, 50 to
130 us on the API pages of the load test. ``RawJSON`` is a JSON value rendered once; the
project's ``JSONRenderer`` (``REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"]``) writes it as it is,
whether it is the whole answer or a value of the answer's object (the ``results`` of a page,
whose count and links are rendered per request):

    return paginator.get_paginated_response(serialized(Output, page, many=True))  # a RawJSON

It is rendered as DRF renders any answer without an ``indent`` (compact, ``UNICODE_JSON``); a
client that asks for indentation gets the kept value compact inside the indented rest, which is
the same JSON. ``data`` reads it back.
"""

from __future__ import annotations

import json
from typing import Any

from rest_framework import renderers


class RawJSON:
    __slots__ = ("content",)

    def __init__(self, content: bytes) -> None:
        self.content = content

    @classmethod
    def of(cls, data: Any) -> RawJSON:
        return cls(JSONRenderer().render(data))

    @property
    def data(self) -> Any:
        return json.loads(self.content)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RawJSON) and other.content == self.content

    def __hash__(self) -> int:
        return hash(self.content)

    def __repr__(self) -> str:
        return f"RawJSON({self.content[:60]!r}{'...' if len(self.content) > 60 else ''})"


# Stands in for a kept value while the rest of the answer is encoded: private-use characters, which
# no URL, count or text of ours carries, around the value's number.
_STAND_IN = "\ue000raw-{}\ue001"


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON renderer, writing a ``RawJSON`` as it is: the answer itself, or a value of the
    answer's object."""

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if isinstance(data, RawJSON):
            return data.content
        if not isinstance(data, dict) or not any(isinstance(value, RawJSON) for value in data.values()):
            rendered: bytes = super().render(data, accepted_media_type, renderer_context)
            return rendered
        kept: list[bytes] = []
        stand_ins: dict[str, Any] = {}
        for key, value in data.items():
            if isinstance(value, RawJSON):
                stand_ins[key] = _STAND_IN.format(len(kept))
                kept.append(value.content)
            else:
                stand_ins[key] = value
        rendered = super().render(stand_ins, accepted_media_type, renderer_context)
        for number, content in enumerate(kept):
            quoted = json.dumps(_STAND_IN.format(number), ensure_ascii=self.ensure_ascii).encode()
            rendered = rendered.replace(quoted, content, 1)
        return rendered
