from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_switches_to_the_visually_impaired_version_and_back(live_server: Any, page: Any) -> None:
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", name="Непрерывное медицинское образование").is_visible()
    page.get_by_test_id("a11y-toggle").click()
    page.wait_for_load_state()
    assert "a11y" in (page.locator("body").get_attribute("class") or "")
    page.goto(live_server.url + "/")  # remembered across pages
    assert "a11y" in (page.locator("body").get_attribute("class") or "")
    page.get_by_test_id("a11y-toggle").click()
    page.wait_for_load_state()
    assert "a11y" not in (page.locator("body").get_attribute("class") or "")


def test_the_api_docs_render_from_our_own_static_files(live_server: Any, page: Any) -> None:
    external: list[str] = []
    page.on(
        "request", lambda request: None if request.url.startswith(live_server.url) else external.append(request.url)
    )
    page.goto(live_server.url + "/api/docs/")
    page.get_by_text("/api/v1/reference/specialties/").first.wait_for()
    assert external == []
