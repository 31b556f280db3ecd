"""One error shape for the whole portal.

Services raise ``ApplicationError`` (400), ``ConflictError`` (409), ``NotFound`` (404) or
``TooManyAttempts`` (429, with ``retry_after`` seconds sent as ``Retry-After``) with a
translated, user-facing message and, where it belongs to one input, the field's name. Pages turn
them into form errors; the API's exception handler turns them into its 400/404/409 bodies.
"""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    status_code = 400

    def __init__(
        self,
        message: Any,
        *,
        field: str | None = None,
        code: str | None = None,
        errors: list[dict[str, Any]] | dict[str, list[Any]] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code
        self.errors = errors

    def as_body(self) -> dict[str, Any]:
        if isinstance(self.errors, list):
            return {"detail": str(self.message), "errors": self.errors}
        if isinstance(self.errors, dict):
            return {key: [str(m) for m in messages] for key, messages in self.errors.items()}
        if self.field:
            return {self.field: [str(self.message)]}
        body: dict[str, Any] = {"detail": str(self.message)}
        if self.code:
            body["code"] = self.code
        return body


class ConflictError(ApplicationError):
    """The action does not fit the object's state, or would create a duplicate."""

    status_code = 409


class NotFound(ApplicationError):
    """Missing *or not yours*: the two are never told apart."""

    status_code = 404


class TooManyAttempts(ApplicationError):
    """Too many failed attempts: try again in ``retry_after`` seconds (see lib/throttling.py)."""

    status_code = 429

    def __init__(self, message: Any, *, retry_after: int, code: str = "throttled") -> None:
        super().__init__(message, code=code)
        self.retry_after = max(1, int(retry_after))

    def as_body(self) -> dict[str, Any]:
        return {"detail": str(self.message), "code": self.code, "retry_after": self.retry_after}
