"""Memoized fragments (nmo_portal.lib.fragments): served again only for the very same inputs, never
stale after a change, never from a render that read the database, and never a reason to fail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings
from django.test.signals import template_rendered
from django.utils import translation
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from accreditation.models import ApplicationStatus
from nmo_portal.lib import fragments
from nmo_portal.lib.fragments import (
    CSRF_PLACEHOLDER,
    Digested,
    FragmentReadTheDatabase,
    FragmentUndigestible,
    context_digest,
    render_fragment,
    serialized,
)
from portfolio.models import SourceKind
from portfolio.services import CreditItem, credit_record_many
from tests.trajectory.factories import catalogue_event, catalogue_module, cycle_for
from trajectory.models import Cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def rendered() -> Any:
    """The names of the templates rendered while the test runs."""
    names: list[str] = []

    def record(sender: Any, template: Any, **kwargs: Any) -> None:
        names.append(template.name)

    template_rendered.connect(record)
    yield names
    template_rendered.disconnect(record)


def _browser(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _credit(user: Any, zet: int, key: str) -> None:
    credit_record_many(
        items=[
            CreditItem(
                owner_id=user.pk,
                element=catalogue_module(zet=zet, title=f"Модуль {key}"),
                completed_on=date(2022, 4, 1),
                source_kind=SourceKind.MODULE_COMPLETION,
                source_key=key,
            )
        ]
    )


# --- the digest -------------------------------------------------------------------------------------
def test_the_digest_changes_with_any_loaded_field_and_related_object(specialist: Any) -> None:
    cycle = Cycle.objects.select_related("specialty", "document").get(pk=cycle_for(specialist).pk)
    before = context_digest("t.html", {"cycle": cycle})
    assert context_digest("t.html", {"cycle": cycle}) == before
    cycle.document.number = "0000 000000000"  # a related object's field, not the cycle's own
    assert context_digest("t.html", {"cycle": cycle}) != before
    assert context_digest("other.html", {"cycle": cycle}) != context_digest("t.html", {"cycle": cycle})


def test_the_digest_sees_a_row_of_plain_values_and_a_row_carrying_more(specialist: Any) -> None:
    cycle = Cycle.objects.get(pk=cycle_for(specialist).pk)
    plain = context_digest("t.html", {"cycle": cycle})
    cycle.status = "closed"  # an own field of a row whose values are all plain
    assert context_digest("t.html", {"cycle": cycle}) != plain
    cycle.labels = ["a"]  # an attribute that is not a plain value: digested item by item
    carrying = context_digest("t.html", {"cycle": cycle})
    cycle.labels = ["b"]
    assert context_digest("t.html", {"cycle": cycle}) != carrying


def test_data_digested_where_it_is_made_keys_pages_by_its_content() -> None:
    choices = Digested({"events": [{"pk": 1, "title": "Школа"}]})
    cache.set("test:digested", choices)
    same = cache.get("test:digested")  # as it comes back from the cache
    assert type(same) is Digested
    assert same == choices and context_digest("t.html", {"c": same}) == context_digest("t.html", {"c": choices})
    renamed = Digested({"events": [{"pk": 1, "title": "Школа 2"}]})
    assert context_digest("t.html", {"c": renamed}) != context_digest("t.html", {"c": choices})


def test_the_digest_reads_a_lazy_queryset_and_refuses_what_it_cannot_see_into(specialist: Any) -> None:
    cycle = cycle_for(specialist)
    rows = Cycle.objects.filter(pk=cycle.pk)
    before = context_digest("t.html", {"rows": rows})
    assert rows._result_cache == [cycle]  # read by the digest, so the template does not query
    Cycle.objects.filter(pk=cycle.pk).update(target_zet=cycle.target_zet + 1)
    assert context_digest("t.html", {"rows": Cycle.objects.filter(pk=cycle.pk)}) != before
    with pytest.raises(FragmentUndigestible):
        context_digest("t.html", {"thing": object()})

    @dataclass
    class Row:
        title: str
        cycles: list[Cycle]

    assert context_digest("t.html", {"rows": [Row("a", [])]}) != context_digest("t.html", {"rows": [Row("b", [])]})


def test_every_kind_of_plain_value_and_container_tells_its_content_apart() -> None:
    def digest(value: Any) -> str:
        return context_digest("t.html", {"v": value})

    distinct = [
        None, 1, "1", 1.0, True, Decimal("1"), date(2026, 1, 1), [1], (1,), {1}, {"a": 1}, {"a": "1"}, {"a": [1]},
        [{"a": 1}], [{"a": 2}], [(1, "a")], [(1, "b")], ApplicationStatus.REGISTERED, "registered", {"a": None},
    ]  # fmt: skip
    assert len({digest(value) for value in distinct}) == len(distinct)
    assert digest({"a": 1, "b": [2, {"c": 3}]}) == digest({"a": 1, "b": [2, {"c": 3}]})


def test_a_lazy_translation_is_digested_by_its_text_in_the_active_language() -> None:
    label = gettext_lazy("This field is required.")
    with translation.override("en"):
        english = context_digest("t.html", {"label": label})
        assert context_digest("t.html", {"label": label}) == english  # its text remembered
    with translation.override("ru"):
        russian = context_digest("t.html", {"label": label})
    assert russian != english
    assert context_digest("t.html", {"label": "Обязательное поле."}) != russian  # a lazy text is not a str


def test_remembered_lazy_texts_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fragments, "_LAZY_TEXTS", {})
    monkeypatch.setattr(fragments, "_LAZY_TEXTS_MAX", 3)
    labels = [gettext_lazy(f"label {number}") for number in range(7)]
    for label in labels:
        context_digest("t.html", {"label": label})
        assert len(fragments._LAZY_TEXTS) <= 3
    # an entry keeps its object alive, so its id names it alone
    assert all(entry[0] in labels for entry in fragments._LAZY_TEXTS.values())


# --- rendering ---------------------------------------------------------------------------------------
def test_a_repeated_page_is_not_rendered_again_until_its_data_changes(specialist: Any, rendered: list[str]) -> None:
    cycle = cycle_for(specialist, issued_on=date(2022, 3, 1))
    _credit(specialist, 3, "m:1")
    browser = _browser(specialist)
    first = browser.get(f"/cycles/{cycle.pk}/portfolio/").content.decode()
    assert "portfolio/_portfolio_body.html" in rendered and "Модуль m:1" in first
    rendered.clear()
    again = browser.get(f"/cycles/{cycle.pk}/portfolio/").content.decode()
    assert "portfolio/_portfolio_body.html" not in rendered
    assert _without_tokens(again) == _without_tokens(first)
    _credit(specialist, 5, "m:2")
    changed = browser.get(f"/cycles/{cycle.pk}/portfolio/").content.decode()
    assert "portfolio/_portfolio_body.html" in rendered and "Модуль m:2" in changed


def _without_tokens(html: str) -> str:
    import re

    return re.sub(r'value="[A-Za-z0-9]{64}"|"X-CSRFToken": "[A-Za-z0-9]{64}"', "", html)


def test_the_plan_page_shows_an_added_item_after_it_was_served_from_the_cache(specialist: Any) -> None:
    cycle = cycle_for(specialist)
    event = catalogue_event(title="Вебинар по кардиологии")
    browser = _browser(specialist)
    assert 'data-testid="plan-empty"' in browser.get(f"/cycles/{cycle.pk}/plan/").content.decode()
    assert 'data-testid="plan-empty"' in browser.get(f"/cycles/{cycle.pk}/plan/").content.decode()
    browser.post(f"/cycles/{cycle.pk}/plan/add/", {"element": f"event:{event.pk}"})
    page = browser.get(f"/cycles/{cycle.pk}/plan/").content.decode()
    assert 'data-testid="plan-empty"' not in page and 'data-testid="plan-item"' in page


def test_a_served_form_carries_the_csrf_token_of_the_session_that_asks(specialist: Any) -> None:
    cycle = cycle_for(specialist, issued_on=date(2022, 3, 1))
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(specialist)
    second.force_login(specialist)
    first.get(f"/cycles/{cycle.pk}/portfolio/")
    page = second.get(f"/cycles/{cycle.pk}/portfolio/").content.decode()  # from the cache
    assert CSRF_PLACEHOLDER not in page
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = second.post(f"/cycles/{cycle.pk}/portfolio/pdf/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302  # accepted: the PDF is being prepared


def test_a_fragment_that_reads_the_database_while_rendering_is_an_error_in_tests(specialist: Any) -> None:
    cycle = Cycle.objects.get(pk=cycle_for(specialist).pk)  # its specialty is not loaded
    request = RequestFactory().get("/")
    with pytest.raises(FragmentReadTheDatabase, match="select_related"):
        render_fragment(request, "tests/_cycle_specialty.html", {"cycle": cycle})


@override_settings(FRAGMENTS_STRICT=False)
def test_outside_tests_such_a_fragment_is_served_but_not_stored(specialist: Any, caplog: Any) -> None:
    cycle = Cycle.objects.get(pk=cycle_for(specialist).pk)
    request = RequestFactory().get("/")
    html = render_fragment(request, "tests/_cycle_specialty.html", {"cycle": cycle})
    assert str(cycle.specialty) in html
    assert "read the database" in caplog.text
    assert cache.get(f"fragment:{context_digest('tests/_cycle_specialty.html', {'cycle': cycle})}") is None


def test_a_dead_cache_renders_the_fragment(specialist: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    cycle = cycle_for(specialist, issued_on=date(2022, 3, 1))

    class DeadCache:
        def get(self, *args: Any, **kwargs: Any) -> Any:
            raise ConnectionError("redis is down")

        set = get

    monkeypatch.setattr(fragments, "cache", DeadCache())
    response = _browser(specialist).get(f"/cycles/{cycle.pk}/portfolio/")
    assert response.status_code == 200 and 'data-testid="year-bars"' in response.content.decode()


# --- whole pages -----------------------------------------------------------------------------------------
def test_a_page_asked_again_draws_neither_its_body_nor_its_layout(specialist: Any, rendered: list[str]) -> None:
    cycle = cycle_for(specialist, issued_on=date(2022, 3, 1))
    browser = _browser(specialist)
    first = browser.get(f"/cycles/{cycle.pk}/").content.decode()
    assert {"base.html", "portfolio/cycle.html", "portfolio/_cycle_body.html"} <= set(rendered)
    rendered.clear()
    again = browser.get(f"/cycles/{cycle.pk}/").content.decode()
    assert rendered == []
    assert _without_tokens(again) == _without_tokens(first)
    assert CSRF_PLACEHOLDER not in again


def test_the_layout_of_a_served_page_follows_who_asks_and_how(specialist: Any) -> None:
    from accounts.services import role_grant

    cycle = cycle_for(specialist, issued_on=date(2022, 3, 1))
    browser = _browser(specialist)
    url = f"/cycles/{cycle.pk}/"
    assert specialist.last_name in browser.get(url).content.decode()
    specialist.last_name = "Новикова"  # the name in the header
    specialist.save(update_fields=["last_name"])
    page = browser.get(url).content.decode()
    assert '<span class="user-name">Новикова' in page
    assert "Заявления</a>" not in page
    role_grant(user=specialist, role="secretary")  # the menu
    assert "Заявления</a>" in browser.get(url).content.decode()
    browser.cookies["nmo_a11y"] = "1"  # the version for the visually impaired
    assert '<body class="a11y"' in browser.get(url).content.decode()
    assert f'name="next" value="{url}?from=mail"' in browser.get(f"{url}?from=mail").content.decode()


def test_a_page_with_a_message_waiting_shows_it_once(specialist: Any) -> None:
    cycle = cycle_for(specialist)
    event = catalogue_event(title="Вебинар по кардиологии")
    browser = _browser(specialist)
    browser.get(f"/cycles/{cycle.pk}/plan/")
    added = browser.post(f"/cycles/{cycle.pk}/plan/add/", {"element": f"event:{event.pk}"}, follow=True)
    assert "Элемент добавлен в план." in added.content.decode()
    again = browser.get(f"/cycles/{cycle.pk}/plan/").content.decode()
    assert "Элемент добавлен в план." not in again and 'data-testid="plan-item"' in again


def test_the_anonymous_catalogue_page_is_served_whole_to_every_visitor(db: Any, rendered: list[str]) -> None:
    first = Client().get("/catalog/programs/?q=кардиология").content.decode()
    rendered.clear()
    again = Client().get("/catalog/programs/?q=кардиология").content.decode()
    assert rendered == []
    assert _without_tokens(again) == _without_tokens(first)
    assert 'name="next" value="/catalog/programs/?q=' in again


# --- API answers ---------------------------------------------------------------------------------------
class _CycleSpecialty(serializers.Serializer[Any]):
    specialty = serializers.CharField(source="specialty.name")


def test_an_api_answer_is_made_again_only_when_what_it_shows_changed(
    specialist: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    real = fragments._serialize_pure
    monkeypatch.setattr(fragments, "_serialize_pure", lambda name, make: made.append(name) or real(name, make))
    cycle = cycle_for(specialist, issued_on=date(2022, 3, 1))
    browser = _browser(specialist)
    url = f"/api/v1/me/cycles/{cycle.pk}/portfolio/"
    assert browser.get(url).json()["entries"] == [] and len(made) == 1
    assert browser.get(url).json()["entries"] == [] and len(made) == 1
    _credit(specialist, 3, "m:1")
    assert [entry["title"] for entry in browser.get(url).json()["entries"]] == ["Модуль m:1"] and len(made) == 2


def test_a_serializer_that_reads_the_database_is_an_error_in_tests(specialist: Any) -> None:
    cycle = Cycle.objects.get(pk=cycle_for(specialist).pk)
    with pytest.raises(FragmentReadTheDatabase):
        serialized(_CycleSpecialty, cycle)
    loaded = Cycle.objects.select_related("specialty").get(pk=cycle.pk)
    assert serialized(_CycleSpecialty, loaded).data == {"specialty": loaded.specialty.name}
    kept = cache.get(f"serialized:{context_digest(_name(_CycleSpecialty), _inputs(loaded))}")
    assert kept.data == {"specialty": loaded.specialty.name}


def _name(serializer: type) -> str:
    return f"{serializer.__module__}.{serializer.__qualname__}"


def _inputs(instance: Any) -> dict[str, Any]:
    return {"instance": instance, "many": False, "context": {}}


def test_a_served_cycle_page_follows_the_rules_in_force(specialist: Any) -> None:
    """The cycle page's body is computed from its inputs (the entries and the rules) only when it
    is drawn: a change of the rules, read through their own cache, still gives a new page."""
    from reference.models import RuleSet
    from reference.rules import rules_cache_clear, ruleset_in_force

    cycle = cycle_for(specialist, issued_on=date(2022, 3, 1))
    browser = _browser(specialist)
    url = f"/cycles/{cycle.pk}/"
    browser.get(url)
    ruleset = ruleset_in_force(cycle.starts_on)
    hours = ruleset.accreditation_min_hours
    assert f"из {int(hours)}" in browser.get(url).content.decode()
    RuleSet.objects.filter(pk=ruleset.pk).update(accreditation_min_hours=hours + 6)
    rules_cache_clear()  # what the methodologist's edit does (reference.signals)
    assert f"из {int(hours) + 6}" in browser.get(url).content.decode()
