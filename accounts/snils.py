"""SNILS, the 11-digit personal insurance number: parsing, the check number, display.

The check number rule (Pension Fund instruction) applies only to numbers greater than
001-001-998: multiply the 9 digits by the weights 9..1 and add them up to S; S < 100 gives S,
S of 100 or 101 gives 00, otherwise S mod 101 (a remainder of 100 again gives 00).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—]")
_CHECK_THRESHOLD = 1_001_998


def snils_check_number(first_nine: str) -> str:
    """The two check digits for the nine leading digits of a SNILS."""
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, range(9, 0, -1), strict=True))
    if total < 100:
        return f"{total:02d}"
    if total in (100, 101):
        return "00"
    remainder = total % 101
    return "00" if remainder == 100 else f"{remainder:02d}"


def snils_is_checked(first_nine: str) -> bool:
    """Numbers up to 001-001-998 were issued before the check rule and are not checked."""
    return int(first_nine) > _CHECK_THRESHOLD


def normalize_snils(raw: str) -> str:
    """Return the 11 digits of a SNILS written in any usual spelling, or raise ValidationError."""
    if not isinstance(raw, str):
        raise ValidationError(_("Введите СНИЛС: 11 цифр."), code="invalid")
    digits = _SEPARATORS.sub("", raw.strip())
    if not digits:
        raise ValidationError(_("Введите СНИЛС: 11 цифр."), code="required")
    if not (digits.isascii() and digits.isdigit()) or len(digits) != 11:
        raise ValidationError(_("СНИЛС состоит из 11 цифр, например 112-233-445 95."), code="invalid_format")
    first_nine, check = digits[:9], digits[9:]
    if snils_is_checked(first_nine) and snils_check_number(first_nine) != check:
        raise ValidationError(
            _("Неверное контрольное число СНИЛС: проверьте последние две цифры."),
            code="invalid_check_number",
        )
    return digits


def validate_snils(value: str) -> None:
    """Model-field validator: the stored value is 11 digits with a correct check number."""
    if normalize_snils(value) != value:
        raise ValidationError(_("СНИЛС хранится как 11 цифр без разделителей."), code="not_normalized")


def format_snils(digits: str) -> str:
    """``11223344595`` -> ``112-233-445 95``."""
    if len(digits) != 11:
        return digits
    return f"{digits[0:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:11]}"


def mask_snils(digits: str) -> str:
    """``11223344595`` -> ``112-***-*** 95``: enough to tell people apart in staff lists."""
    if len(digits) != 11:
        return "***"
    return f"{digits[0:3]}-***-*** {digits[9:11]}"


def snils_search_digits(raw: str) -> str:
    """The digits of a search box that holds a SNILS or its beginning in any usual spelling
    (``112-233-445 95``, ``112 233 445``, ``11223344595``), or "" when it holds anything else."""
    stripped = _SEPARATORS.sub("", (raw or "").strip())
    return stripped if stripped.isascii() and stripped.isdigit() else ""


def looks_like_snils(login: str) -> bool:
    """True when a login field holds digits and separators only (so it is not an e-mail)."""
    stripped = _SEPARATORS.sub("", login.strip())
    return bool(stripped) and stripped.isdigit()
