"""The confirmation codes of providers, as the credit engine uses them: normalise, hash, format,
claim. One adapter so that the names providers chose are written in one place."""

from __future__ import annotations

from typing import Any


def code_normalize(raw: str) -> str:
    from providers.codes import confirmation_code_normalize

    return confirmation_code_normalize(raw)


def code_hash(raw: str) -> str:
    from providers.codes import confirmation_code_hash

    return confirmation_code_hash(raw)


def code_format(normalized: str) -> str:
    from providers.codes import confirmation_code_format

    return confirmation_code_format(normalized)


def code_claim(*, code: Any, user: Any) -> bool:
    """Single use: True for exactly one caller (a conditional UPDATE in providers)."""
    from providers.services import confirmation_code_claim

    return bool(confirmation_code_claim(code=code, user=user))
