"""Individual confirmation codes (ИКП): generation, normalisation and the keyed hash.

Alphabet: 31 characters without the look-alikes 0/O, 1/I/L; 12 characters give 31**12 ≈ 2**59.4
combinations (at least 50 bits). Codes are shown grouped ``XXXX-XXXX-XXXX``; input is upper-cased
and separators are dropped before hashing, so «abcd efgh-jkmn» finds the same code.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets

from django.conf import settings

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
GROUP = 4
MIN_ENTROPY_BITS = 50
_SEPARATORS = re.compile(r"[\s\-_–—.]+")

assert len(set(ALPHABET)) == len(ALPHABET) == 31
assert CODE_LENGTH * math.log2(len(ALPHABET)) >= MIN_ENTROPY_BITS


def entropy_bits() -> float:
    return CODE_LENGTH * math.log2(len(ALPHABET))


def confirmation_code_generate_raw() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def confirmation_code_normalize(raw: str) -> str:
    return _SEPARATORS.sub("", (raw or "").upper())


def confirmation_code_format(normalized: str) -> str:
    return "-".join(normalized[i : i + GROUP] for i in range(0, len(normalized), GROUP))


def confirmation_code_hash(raw: str) -> str:
    """HMAC-SHA256 (hex) of the normalised code under ``settings.CONFIRMATION_CODE_HMAC_KEY``."""
    key = str(settings.CONFIRMATION_CODE_HMAC_KEY).encode()
    return hmac.new(key, confirmation_code_normalize(raw).encode(), hashlib.sha256).hexdigest()
