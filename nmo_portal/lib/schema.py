"""The API's common error answers, documented once for every operation (a drf-spectacular
post-processing hook). api.md promises 400 with a body naming the fields, 401 without credentials,
403 when not allowed, 404 "not found or not yours", 409 on a state conflict and 429 with
``Retry-After``; views do not repeat that in every ``@extend_schema``. The fuzzing test
(tests/security/test_api_fuzz.py) holds every response to the schema, so an answer left out here
shows up there.
"""

from __future__ import annotations

from typing import Any

_ERROR = {
    "type": "object",
    "description": "`detail` (and `code`) for the whole request, or a list of messages per field.",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "additionalProperties": True,
}
_JSON = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
_DESCRIPTIONS = {
    "400": "Invalid input: the body names each offending field; nothing is saved.",
    "401": "No credentials (send `Authorization: Token <key>` or a session cookie).",
    "403": "Not allowed for this account.",
    "404": "Not found, or not yours (the two are never told apart); also a page past the last.",
    "409": "A state conflict: wrong state for the action, or a duplicate.",
    "429": "Throttled: retry after the number of seconds in `Retry-After`.",
}
_UNSAFE = {"post", "put", "patch", "delete"}


def _is_public(operation: dict[str, Any]) -> bool:
    return any(requirement == {} for requirement in operation.get("security", [{}]))


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = _ERROR
    for path, methods in result.get("paths", {}).items():
        for method, operation in methods.items():
            if method not in {"get", "put", "post", "patch", "delete", "head", "options"}:
                continue
            parameters = operation.get("parameters", [])
            codes = {"429"}
            if parameters or "requestBody" in operation or method in _UNSAFE:
                codes.add("400")
            if not _is_public(operation):
                codes |= {"401", "403"}
            # A path id, a page number, or an id named in a body (someone else's application,
            # cycle...) may each be "not found or not yours".
            if (
                "{" in path
                or method in _UNSAFE
                or any(p.get("in") == "query" and p.get("name") == "page" for p in parameters)
            ):
                codes.add("404")
            if method in _UNSAFE:
                codes.add("409")
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                if code not in responses:
                    response: dict[str, Any] = {"description": _DESCRIPTIONS[code], "content": _JSON}
                    if code == "429":
                        response["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}
                    responses[code] = response
    return result
