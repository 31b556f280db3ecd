"""The reference data the migrations load must survive the flush that ends a transactional test
(the conftest reloads it): otherwise a test's outcome depends on which tests ran before it."""

from __future__ import annotations

import pytest

from reference.models import Region, RuleSet, Specialty


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_sees_the_reference_data() -> None:
    assert Specialty.objects.count() == 139
    assert Region.objects.count() == 89
    assert RuleSet.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_and_so_does_the_next_one_after_its_flush() -> None:
    assert Specialty.objects.count() == 139
    assert RuleSet.objects.exists()


@pytest.mark.django_db
def test_and_an_ordinary_test_after_them() -> None:
    assert Region.objects.count() == 89
