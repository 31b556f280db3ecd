"""The provider's applications and results pages of a cycle show 50 rows a page, keep their
filters in the page links, find a learner by SNILS (any spelling) or surname, and the results grid
saves the rows of the page it shows and shows that page again."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from accounts.snils import format_snils
from enrolment.models import Application, ApplicationStatus, ProgrammeResult
from enrolment.results_parsing import ResultRow
from enrolment.services import results_record
from tests.enrolment.conftest import end_cycle
from tests.enrolment.factories import enrolment_cycle, enrolment_learner

pytestmark = pytest.mark.django_db

LEARNERS = 60


def _enrol(cycle: Any, learner: Any, *, status: str = "enrolled") -> Application:
    return Application.objects.create(
        applicant=learner,
        programme_cycle=cycle,
        specialty=cycle.programme.specialty,
        employment="state",
        basis="contract",
        source="provider",
        status=status,
        number=f"T-{learner.pk}",
    )


@pytest.fixture
def big_cycle(org_a: Any) -> Any:
    """An ended cycle of organisation A with 60 enrolled learners, «Слушатель00» to «Слушатель59»
    (so page 1 holds 00-49 and page 2 holds 50-59)."""
    cycle = enrolment_cycle(org_a, seats_contract=LEARNERS)
    cycle.learners = []
    for i in range(LEARNERS):
        learner = enrolment_learner(cycle.programme.specialty, last_name=f"Слушатель{i:02d}")
        _enrol(cycle, learner)
        cycle.learners.append(learner)
    return end_cycle(cycle)


@pytest.fixture
def staff_client(staff_a: Any) -> Client:
    client = Client()
    client.force_login(staff_a)
    return client


def _results_url(cycle: Any) -> str:
    return f"/provider/cycles/{cycle.pk}/results/"


def _applications_url(cycle: Any) -> str:
    return f"/provider/cycles/{cycle.pk}/applications/"


def _rows(html: str, testid: str) -> int:
    return html.count(f'data-testid="{testid}"')


def _names(html: str) -> list[str]:
    """The learners listed in the table (not the search box echoing a name)."""
    return re.findall(r"Слушатель\d\d", html[html.index("<tbody>") :])


def _record(cycle: Any, staff: Any, learners: list[Any]) -> None:
    results_record(
        cycle=cycle,
        rows=[
            ResultRow(row=i, snils=u.snils, outcome="completed", completed_on=cycle.ends_on, certificate_number="УД-1")
            for i, u in enumerate(learners, start=1)
        ],
        by=staff,
    )


# --- paging ---------------------------------------------------------------------------------------
def test_the_results_grid_shows_50_learners_and_the_rest_on_page_2(staff_client: Client, big_cycle: Any) -> None:
    first = staff_client.get(_results_url(big_cycle)).content.decode()
    assert _rows(first, "results-row") == 50
    assert _names(first)[0] == "Слушатель00" and "Слушатель49" in first and "Слушатель50" not in first
    assert "Страница 1 из 2" in first
    second = staff_client.get(_results_url(big_cycle) + "?page=2").content.decode()
    assert _rows(second, "results-row") == 10
    assert sorted(set(_names(second))) == [f"Слушатель{i}" for i in range(50, 60)]
    assert "Страница 2 из 2" in second


def test_a_page_number_out_of_range_shows_the_last_page(staff_client: Client, big_cycle: Any) -> None:
    html = staff_client.get(_results_url(big_cycle) + "?page=99").content.decode()
    assert _rows(html, "results-row") == 10
    assert staff_client.get(_results_url(big_cycle) + "?page=abc").status_code == 200


def test_the_applications_page_shows_50_applications_and_the_rest_on_page_2(
    staff_client: Client, big_cycle: Any
) -> None:
    first = staff_client.get(_applications_url(big_cycle)).content.decode()
    assert _rows(first, "application-row") == 50
    assert "Найдено заявок: 60" in first
    second = staff_client.get(_applications_url(big_cycle) + "?page=2").content.decode()
    assert _rows(second, "application-row") == 10
    assert "Слушатель59" in second and "Слушатель00" not in second


def test_the_filters_survive_in_the_page_links(staff_client: Client, big_cycle: Any) -> None:
    html = staff_client.get(_applications_url(big_cycle) + "?status=enrolled&basis=contract&q=Слушатель").content
    assert b'href="?status=enrolled&amp;basis=contract&amp;q=%D0%A1%D0%BB' in html  # «Слушатель», encoded
    assert b"page=2" in html
    html = staff_client.get(_results_url(big_cycle) + "?result=without&q=Слушатель&page=2").content.decode()
    query = "result=without&amp;q=%D0%A1%D0%BB%D1%83%D1%88%D0%B0%D1%82%D0%B5%D0%BB%D1%8C"
    assert f'href="?{query}&amp;page=1"' in html  # «Назад» keeps the filters
    assert f'hx-post="{_results_url(big_cycle)}?{query}&amp;page=2"' in html  # the grid posts back to its page
    assert "Страница 2 из 2" in html


def test_deciding_an_application_returns_to_its_page_and_filters(
    staff_client: Client, big_cycle: Any, staff_a: Any
) -> None:
    formed = _enrol(big_cycle, enrolment_learner(big_cycle.programme.specialty, last_name="Яковлева"), status="formed")
    page = staff_client.get(_applications_url(big_cycle) + "?basis=contract&page=2").content.decode()
    action = f"/provider/applications/{formed.pk}/decide/?basis=contract&amp;page=2"
    assert f'action="{action}"' in page
    response = staff_client.post(action.replace("&amp;", "&"), {"action": "reject", "reason": "Нет мест"})
    assert response.status_code == 302
    assert response["Location"] == _applications_url(big_cycle) + "?basis=contract&page=2"


# --- search and filters of the results grid -------------------------------------------------------
@pytest.mark.parametrize(
    "spelling",
    [
        lambda s: s,
        format_snils,  # 112-233-445 95
        lambda s: f"{s[:3]} {s[3:6]} {s[6:9]} {s[9:]}",
        lambda s: f" {s[:3]}–{s[3:6]}–{s[6:9]} {s[9:]} ",  # en dashes, as pasted from a document
        lambda s: f"{s[:3]}-{s[3:6]}-{s[6:9]}",  # the beginning only
    ],
    ids=["digits", "display", "spaces", "en-dashes", "beginning"],
)
def test_the_results_search_finds_a_learner_by_snils_in_any_spelling(
    staff_client: Client, big_cycle: Any, spelling: Any
) -> None:
    wanted = big_cycle.learners[57]
    html = staff_client.get(_results_url(big_cycle), {"q": spelling(wanted.snils)}).content.decode()
    assert _names(html) == ["Слушатель57"]
    html = staff_client.get(_applications_url(big_cycle), {"q": spelling(wanted.snils)}).content.decode()
    assert _names(html) == ["Слушатель57"]


def test_the_results_search_finds_a_learner_by_surname(staff_client: Client, big_cycle: Any) -> None:
    html = staff_client.get(_results_url(big_cycle), {"q": "Слушатель42"}).content.decode()
    assert _names(html) == ["Слушатель42"]
    assert "Найдено: 1." in html


@pytest.mark.postgres  # SQLite's LIKE folds the case of Latin letters only
def test_the_results_search_ignores_the_case_of_a_surname(staff_client: Client, big_cycle: Any) -> None:
    html = staff_client.get(_results_url(big_cycle), {"q": "слушатель42 ИВАН"}).content.decode()
    assert _names(html) == ["Слушатель42"]


def test_a_search_that_finds_nobody_says_so(staff_client: Client, big_cycle: Any) -> None:
    html = staff_client.get(_results_url(big_cycle), {"q": "Несуществующая"}).content.decode()
    assert 'data-testid="results-empty"' in html and "Никого не найдено" in html
    html = staff_client.get(_applications_url(big_cycle), {"q": "Несуществующая"}).content.decode()
    assert 'data-testid="applications-empty"' in html and "Никого не найдено" in html


def test_the_result_filter_and_the_totals(staff_client: Client, big_cycle: Any, staff_a: Any) -> None:
    _record(big_cycle, staff_a, big_cycle.learners[:3])
    html = staff_client.get(_results_url(big_cycle), {"result": "with"}).content.decode()
    assert "Зачислено: 60; с результатом: 3; без результата: 57." in html
    assert _names(html) == ["Слушатель00", "Слушатель01", "Слушатель02"]
    html = staff_client.get(_results_url(big_cycle), {"result": "without", "page": "2"}).content.decode()
    assert _rows(html, "results-row") == 7
    assert "Слушатель00" not in html


def test_an_empty_cycle_says_it_has_no_learners(staff_client: Client, org_a: Any) -> None:
    cycle = end_cycle(enrolment_cycle(org_a))
    html = staff_client.get(_results_url(cycle)).content.decode()
    assert "Зачисленных слушателей нет." in html
    assert "Зачислено: 0; с результатом: 0; без результата: 0." in html


# --- saving a page of the grid ---------------------------------------------------------------------
def _page_two_post(cycle: Any) -> dict[str, list[str]]:
    learners = cycle.learners[50:]
    return {
        "snils": [u.snils for u in learners],
        "outcome": ["completed", "failed"] + [""] * (len(learners) - 2),
        "completed_on": [cycle.ends_on.isoformat()] * len(learners),
        "certificate_number": ["УД-51", ""] + [""] * (len(learners) - 2),
    }


def test_a_grid_post_on_page_2_records_the_results_and_shows_page_2_again(staff_client: Client, big_cycle: Any) -> None:
    response = staff_client.post(
        _results_url(big_cycle) + "?page=2", _page_two_post(big_cycle), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert response.templates[0].name == "enrolment/_results_grid.html" and "<html" not in html
    assert ProgrammeResult.objects.filter(cycle=big_cycle).count() == 2
    assert Application.objects.get(applicant=big_cycle.learners[50]).status == ApplicationStatus.COMPLETED
    assert Application.objects.get(applicant=big_cycle.learners[51]).status == ApplicationStatus.FAILED
    assert "Принято строк: 2" in html
    assert _rows(html, "results-row") == 10 and "Слушатель50" in html and "Слушатель00" not in html
    assert "Страница 2 из 2" in html  # the partial has the page, its links and the totals
    assert "Зачислено: 60; с результатом: 2; без результата: 58." in html
    assert f'hx-post="{_results_url(big_cycle)}?page=2"' in html


def test_a_plain_grid_post_on_page_2_with_a_search_shows_the_same_page(staff_client: Client, big_cycle: Any) -> None:
    wanted = big_cycle.learners[55]
    data = {
        "snils": [wanted.snils],
        "outcome": ["completed"],
        "completed_on": [big_cycle.ends_on.isoformat()],
        "certificate_number": ["УД-55"],
    }
    response = staff_client.post(_results_url(big_cycle) + f"?q={wanted.snils}", data)
    assert response.status_code == 200
    assert "enrolment/provider_results.html" in {template.name for template in response.templates}
    assert ProgrammeResult.objects.get(learner=wanted).certificate_number == "УД-55"
    assert _names(response.content.decode()) == ["Слушатель55"]


def test_the_lists_show_a_rename_and_a_result_after_they_were_served_from_the_cache(
    staff_client: Client, staff_a: Any, big_cycle: Any
) -> None:
    """The lists are memoized fragments (nmo_portal.lib.fragments): a change of anything they show
    draws them anew, whichever object it was made on."""
    for _ in range(2):
        assert _names(staff_client.get(_applications_url(big_cycle)).content.decode())[0] == "Слушатель00"
        grid = staff_client.get(_results_url(big_cycle)).content.decode()
        assert "с результатом: 0;" in grid
    first = big_cycle.learners[0]
    first.last_name = "Слушатель00-Иванова"
    first.save()
    assert "Слушатель00-Иванова" in staff_client.get(_applications_url(big_cycle)).content.decode()
    _record(big_cycle, staff_a, [first])
    grid = staff_client.get(_results_url(big_cycle)).content.decode()
    assert "с результатом: 1;" in grid and 'value="УД-1"' in grid
