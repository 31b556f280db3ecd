"""factory_boy factories. Each app's factories live in ``tests/<app>/factories.py`` and are
re-exported here so tests import them from one place."""

from __future__ import annotations

import datetime
from typing import Any

import factory

from accounts.models import Sex, User
from accounts.services import role_grant
from accounts.snils import snils_check_number


def _region(code: str) -> Any:
    from reference.models import Region

    return Region.objects.get(code=code)


def valid_snils(n: int) -> str:
    first_nine = f"{200_000_000 + n:09d}"
    return first_nine + snils_check_number(first_nine)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    snils = factory.Sequence(valid_snils)
    email = factory.Sequence(lambda n: f"user{n}@example.org")
    last_name = "Сидоров"
    first_name = "Иван"
    middle_name = "Петрович"
    password = factory.django.Password("pass-Word-123")
    sex = Sex.MALE
    birth_date = datetime.date(1985, 6, 15)
    phone = factory.Sequence(lambda n: f"+79{n:09d}")
    education_level = "higher"

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> User:
        # Moscow unless told otherwise; looked up only on create, so build() needs no database.
        if "region" not in kwargs and "region_id" not in kwargs:
            kwargs["region"] = _region("77")
        return super()._create(model_class, *args, **kwargs)  # type: ignore[no-any-return]

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        for role in extracted or []:
            role_grant(user=self, role=role)


from tests.app_factories import *  # noqa: E402, F403
