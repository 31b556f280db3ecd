"""The applicant's name kept on each application for the staff lists' order (``Application.applicant_name``).

One spelling everywhere: "surname first-name patronymic", as stored, in the same form whether
Python builds it (a new application) or SQL does (rows written in bulk, a rename, the migration)."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Concat


def applicant_name_of(user: Any) -> str:
    return f"{user.last_name} {user.first_name} {user.middle_name}"


def applicant_name_sql() -> Subquery:
    """``applicant_name_of`` of the row's applicant, as an expression for an UPDATE."""
    from accounts.models import User

    full = Concat("last_name", Value(" "), "first_name", Value(" "), "middle_name", output_field=CharField())
    return Subquery(User.objects.filter(pk=OuterRef("applicant_id")).annotate(full=full).values("full")[:1])


def applicant_names_fill(applications: QuerySet[Any] | None = None) -> int:
    """Fill the name of applications written without it (bulk inserts); returns how many."""
    from enrolment.models import Application

    queryset = applications if applications is not None else Application.objects.all()
    return queryset.filter(applicant_name="").update(applicant_name=applicant_name_sql())
