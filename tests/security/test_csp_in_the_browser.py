"""The strict CSP holds in a real browser: pages (with htmx loaded) raise no violation."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.mark.parametrize("path", ["/", "/auth/login/", "/auth/password/reset/"])
def test_pages_raise_no_csp_violation(live_server: Any, page: Any, path: str) -> None:
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(WATCH)
    page.goto(live_server.url + path)
    page.wait_for_load_state("load")
    if path == "/":  # our base template (allauth's own pages do not load htmx yet)
        page.wait_for_function("() => typeof window.htmx !== 'undefined'")
        assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    violations = page.evaluate("window.__csp")
    assert violations == [], violations
    assert not [m for m in console if "Content Security Policy" in m], console


def test_the_watcher_sees_an_injected_inline_script_blocked(live_server: Any, page: Any) -> None:
    page.add_init_script(WATCH)
    page.goto(live_server.url + "/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_function("() => window.__csp.length > 0")
    assert page.evaluate("window.__ran") is None
    assert any(v.startswith("script-src") for v in page.evaluate("window.__csp"))
