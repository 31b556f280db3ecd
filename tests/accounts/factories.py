from __future__ import annotations

import datetime

import factory

from accounts.models import AccreditationType, Document, DocumentKind, FrmrStatus
from reference.models import Specialty

__all__ = ["DocumentFactory", "specialty_named"]


def specialty_named(name: str = "Терапия", level: str = "higher") -> Specialty:
    return Specialty.objects.get(education_level=level, name=name)


class DocumentFactory(factory.django.DjangoModelFactory[Document]):
    class Meta:
        model = Document

    owner = factory.SubFactory("tests.factories.UserFactory")
    kind = DocumentKind.ACCREDITATION
    accreditation_type = AccreditationType.PERIODIC
    specialty = factory.LazyFunction(specialty_named)
    number = factory.Sequence(lambda n: f"7722 {n:09d}")
    issued_on = datetime.date(2022, 3, 1)
    frmr_status = FrmrStatus.NOT_CONFIRMED
