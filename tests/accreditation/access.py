"""Access rows for periodic accreditation (see tests/access.py).

The world: ``commission_own`` handles six specialties of the specialist, with the ``secretary_own``
persona as its secretary and the ``commission_own`` persona as a member; ``commission_other`` (a
different specialty) has ``secretary_other`` and ``commission_other``. The specialist has one
application in each state (each on a cycle of its own specialty)."""

from __future__ import annotations

from typing import Any

from django.test.client import MULTIPART_CONTENT

from tests.access import Row, World, statuses, world_builder


@world_builder
def accreditation(world: World) -> None:
    from accreditation import services
    from tests.accreditation.factories import (
        accr_application,
        accr_commission,
        accr_cycle,
        accr_member,
        accr_specialty,
    )

    users = world.users
    # Specialties 20-25 and 30: the other apps' builders open the specialist's cycles in the first
    # few, and a cycle opened here in the same specialty would close theirs.
    own = accr_commission(specialties=[accr_specialty(20 + i) for i in range(6)], name="Своя подкомиссия")
    other = accr_commission(specialties=[accr_specialty(30)], name="Чужая подкомиссия")
    accr_member(own, users["secretary_own"], "secretary")
    accr_member(own, users["commission_own"], "member")
    accr_member(other, users["secretary_other"], "secretary")
    accr_member(other, users["commission_other"], "member")
    world.commission_own, world.commission_other = own, other
    specialist, secretary, member = users["specialist"], users["secretary_own"], users["commission_own"]

    def application(index: int) -> Any:
        cycle = accr_cycle(specialist, specialty=accr_specialty(20 + index))
        return accr_application(specialist, cycle=cycle)

    def submitted(index: int) -> Any:
        return services.application_submit(application=application(index), by=specialist)

    world.accr_draft = application(0)
    world.accr_submitted = submitted(1)
    world.accr_registered = services.application_register(application=submitted(2), by=secretary)
    under_review = services.application_register(application=submitted(3), by=secretary)
    world.accr_under_review = services.application_to_commission(application=under_review, by=secretary)
    published = services.application_register(application=submitted(5), by=secretary)
    services.application_to_commission(application=published, by=secretary)
    services.application_decide(application=published, by=member, result="passed", comment="")
    world.accr_published = services.application_publish(application=published, by=secretary)
    assert published.protocol is not None
    services.protocol_pdf_store(protocol=published.protocol, data=b"%PDF-1.4\n%%EOF\n")
    world.accr_protocol = published.protocol
    decided = services.application_register(application=submitted(4), by=secretary)
    services.application_to_commission(application=decided, by=secretary)
    world.accr_decided = services.application_decide(application=decided, by=member, result="passed", comment="")
    world.accr_report = world.accr_submitted.files.get(kind="report")


def _page(name: str) -> Any:
    return lambda w: f"/accreditation/applications/{getattr(w, name).pk}/"


def _queue(name: str, action: str = "") -> Any:
    return lambda w: f"/accreditation/queue/{getattr(w, name).pk}/" + (f"{action}/" if action else "")


def _me(name: str, action: str = "") -> Any:
    return lambda w: f"/api/v1/me/accreditation-applications/{getattr(w, name).pk}/" + (f"{action}/" if action else "")


def _staff(name: str, action: str = "") -> Any:
    return lambda w: f"/api/v1/accreditation/applications/{getattr(w, name).pk}/" + (f"{action}/" if action else "")


STAFF_PERSONAS = {"secretary_own": 200, "secretary_other": 200, "commission_own": 200, "commission_other": 200}
OWNER_ONLY_PAGE = statuses(404, anonymous=302, specialist=200)

ROWS: list[Row] = [
    # --- pages of the specialist ---
    Row("accreditation:home", statuses(200, anonymous=302)),
    Row("accreditation:application-create", statuses(302), method="POST", data={}, note="invalid form: back"),
    Row("accreditation:application-detail", OWNER_ONLY_PAGE, url=_page("accr_draft")),
    Row(
        "accreditation:application-action",
        statuses(404, anonymous=302, specialist=302),
        method="POST",
        url=lambda w: f"/accreditation/applications/{w.accr_draft.pk}/submit/",
    ),
    Row(
        "accreditation:application-file",
        statuses(404, anonymous=302, specialist=200, secretary_own=200),
        url=lambda w: f"/accreditation/applications/{w.accr_submitted.pk}/files/{w.accr_report.pk}/",
        note="submitted: not yet the commission's",
    ),
    Row(
        "accreditation:application-file",
        statuses(404, anonymous=302, specialist=200, secretary_own=200, commission_own=200),
        url=lambda w: (
            f"/accreditation/applications/{w.accr_under_review.pk}/files/"
            f"{w.accr_under_review.files.get(kind='report').pk}/"
        ),
        note="under review",
    ),
    # --- pages of the secretary and the commission ---
    Row("accreditation:queue", statuses(404, anonymous=302, **STAFF_PERSONAS)),
    Row("accreditation:commission", statuses(404, anonymous=302, **STAFF_PERSONAS)),
    Row(
        "accreditation:queue-detail",
        statuses(404, anonymous=302, secretary_own=200),
        url=_queue("accr_submitted"),
        note="submitted",
    ),
    Row(
        "accreditation:queue-detail",
        statuses(404, anonymous=302, secretary_own=200, commission_own=200),
        url=_queue("accr_under_review"),
        note="under review",
    ),
    Row(
        "accreditation:queue-action",
        statuses(404, anonymous=302, secretary_own=302),
        method="POST",
        url=_queue("accr_submitted", "register"),
    ),
    Row(
        "accreditation:queue-action",
        statuses(404, anonymous=302, secretary_own=403, commission_own=302),
        method="POST",
        url=_queue("accr_under_review", "decide"),
        data={"result": "passed", "comment": "ок"},
        note="decide",
    ),
    # --- public ---
    Row(
        "accreditation:protocol-public",
        statuses(200),
        url=lambda w: f"/accreditation/protocols/{w.accr_protocol.public_id}/",
    ),
    Row(
        "accreditation:protocol-pdf",
        statuses(200),
        url=lambda w: f"/accreditation/protocols/{w.accr_protocol.public_id}/pdf/",
    ),
    # --- the specialist's API ---
    Row("api-my-accreditation-applications", statuses(200, anonymous=401)),
    Row("api-my-accreditation-applications", statuses(400, anonymous=401), method="POST", data={}),
    Row("api-my-accreditation-application", statuses(404, anonymous=401, specialist=200), url=_me("accr_draft")),
    Row(
        "api-my-accreditation-report",
        statuses(404, anonymous=401, specialist=400),
        method="POST",
        url=_me("accr_draft", "report"),
        data={},
        content_type=MULTIPART_CONTENT,
        note="no file",
    ),
    Row(
        "api-my-accreditation-files",
        statuses(404, anonymous=401, specialist=400),
        method="POST",
        url=_me("accr_draft", "files"),
        data={},
        content_type=MULTIPART_CONTENT,
        note="no file",
    ),
    Row(
        "api-my-accreditation-submit",
        statuses(404, anonymous=401, specialist=200),
        method="POST",
        url=_me("accr_draft", "submit"),
    ),
    # --- the staff API ---
    Row("api-accreditation-applications", statuses(403, anonymous=401, **STAFF_PERSONAS)),
    Row(
        "api-accreditation-application",
        statuses(404, anonymous=401, secretary_own=200),
        url=_staff("accr_submitted"),
    ),
    Row(
        "api-accreditation-application",
        statuses(404, anonymous=401, secretary_own=200, commission_own=200),
        url=_staff("accr_under_review"),
        note="under review",
    ),
    Row(
        "api-accreditation-register",
        statuses(404, anonymous=401, secretary_own=200),
        method="POST",
        url=_staff("accr_submitted", "register"),
    ),
    Row(
        "api-accreditation-return",
        statuses(404, anonymous=401, secretary_own=200),
        method="POST",
        url=_staff("accr_submitted", "return"),
        data={"reason": "Нет подписи"},
    ),
    Row(
        "api-accreditation-to-commission",
        statuses(404, anonymous=401, secretary_own=200),
        method="POST",
        url=_staff("accr_registered", "to-commission"),
    ),
    Row(
        "api-accreditation-decide",
        statuses(404, anonymous=401, secretary_own=403, commission_own=200),
        method="POST",
        url=_staff("accr_under_review", "decide"),
        data={"result": "failed", "comment": "Мало часов"},
    ),
    Row(
        "api-accreditation-publish",
        statuses(404, anonymous=401, secretary_own=200, commission_own=403),
        method="POST",
        url=_staff("accr_decided", "publish"),
    ),
]
