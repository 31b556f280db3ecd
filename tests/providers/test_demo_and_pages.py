"""Demo data, the onboarding request, staff invitations, the review queue and the priority
organisation page."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from providers.models import (
    ElementStatus,
    Event,
    Invitation,
    Membership,
    Module,
    Organisation,
    OrganisationStatus,
    PriorityOrganisation,
    Programme,
    ProgrammeCycle,
)
from tests.factories import OrganisationFactory, ProgrammeFactory, UserFactory
from tests.providers.factories import region

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_an_approved_organisation_and_a_catalogue_idempotently() -> None:
    call_command("seed_demo", stdout=StringIO())
    counts = (Programme.objects.count(), ProgrammeCycle.objects.count(), Event.objects.count(), Module.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (
        Programme.objects.count(),
        ProgrammeCycle.objects.count(),
        Event.objects.count(),
        Module.objects.count(),
    ) == counts
    organisation = Organisation.objects.get(short_name="Учебный центр «Демо»")
    assert organisation.status == OrganisationStatus.APPROVED
    provider = User.objects.get(email="provider@demo.nmo")
    assert Membership.objects.get(organisation=organisation, user=provider).is_admin
    assert provider.role_grants.filter(role="provider_staff").exists()
    assert counts[0] >= 8 and counts[2] == 4 and counts[3] == 4
    assert not Programme.objects.exclude(status=ElementStatus.PUBLISHED).exists()
    today = timezone.localdate()
    cycles = ProgrammeCycle.objects.all()
    assert any(c.ends_on < today for c in cycles)
    assert any(c.starts_on <= today <= c.ends_on for c in cycles)
    assert any(c.starts_on > today for c in cycles)
    assert Event.objects.filter(ends_on__lt=today, zet=6, starts_on=dt.date.today() - dt.timedelta(days=7)).exists()
    assert Event.objects.filter(starts_on__gt=today).exists()
    assert Module.objects.filter(zet=0).exists()
    assert {p.specialty.name for p in Programme.objects.all()} >= {"Терапия", "Кардиология", "Сестринское дело"}


def test_the_onboarding_page_creates_a_draft_and_the_author_submits_it(
    client: Any, specialist: Any, methodologist: Any
) -> None:
    client.force_login(specialist)
    answer = client.post(
        "/provider/onboarding/",
        {
            "full_name": "ООО «Медицинский учебный центр»",
            "short_name": "МУЦ",
            "ogrn": "1027700132195",
            "inn": "7707083893",
            "kpp": "773601001",
            "licence_number": "Л035-01298-77/00180290",
            "licence_date": "01.06.2021",
            "region": region("77").pk,
            "legal_address": "г. Москва",
            "actual_address": "г. Москва",
            "phone": "+7 495 500-55-50",
            "email": "info@muc.example.org",
        },
    )
    organisation = Organisation.objects.get(short_name="МУЦ")
    assert answer.status_code == 302 and answer["Location"] == f"/provider/organizations/{organisation.pk}/"
    client.post(
        f"/provider/organizations/{organisation.pk}/",
        {"action": "person", "person-snils": "112-233-445 95", "person-full_name": "Иванов Иван Иванович"},
    )
    assert organisation.responsible_persons.get().snils == "11223344595"
    client.post(f"/provider/organizations/{organisation.pk}/", {"action": "submit"})
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.SUBMITTED
    client.force_login(methodologist)
    queue = client.get("/review/")
    assert "ООО «Медицинский учебный центр»" in queue.content.decode()
    client.post(f"/review/organizations/{organisation.pk}/approve/")
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.APPROVED


class TestStaffInvitations:
    def test_an_existing_person_is_added_by_snils(self, client: Any, org_a: Any, provider_a: Any) -> None:
        colleague = UserFactory()
        client.force_login(provider_a)
        client.post(f"/provider/organizations/{org_a.pk}/", {"action": "invite", "invite-snils": colleague.snils})
        assert Membership.objects.filter(organisation=org_a, user=colleague).exists()
        assert colleague.role_grants.filter(role="provider_staff").exists()

    def test_a_newcomer_gets_a_mailed_link_that_only_they_can_use(
        self, client: Any, org_a: Any, provider_a: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        client.force_login(provider_a)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/provider/organizations/{org_a.pk}/", {"action": "invite", "invite-email": "New@Example.org"})
        invitation = Invitation.objects.get()
        [message] = mail.outbox
        link = next(word for word in message.body.split() if "/provider/invitations/" in word)
        token = link.rstrip("/").rsplit("/", 1)[-1]
        assert token not in invitation.token_hash
        stranger = UserFactory(email="someone@example.org")
        client.force_login(stranger)
        assert client.post(f"/provider/invitations/{token}/").status_code == 404
        newcomer = UserFactory(email="new@example.org")
        client.force_login(newcomer)
        assert client.post(f"/provider/invitations/{token}/").status_code == 302
        assert Membership.objects.filter(organisation=org_a, user=newcomer).exists()
        assert client.post(f"/provider/invitations/{token}/").status_code == 404

    def test_only_an_admin_invites(self, client: Any, org_a: Any) -> None:
        from providers.services import membership_add

        plain = UserFactory()
        membership_add(organisation=org_a, user=plain, is_admin=False)
        client.force_login(plain)
        answer = client.post(
            f"/provider/organizations/{org_a.pk}/", {"action": "invite", "invite-email": "x@example.org"}
        )
        assert answer.status_code == 403


def test_the_review_page_returns_a_programme_with_a_reason(client: Any, org_a: Any, methodologist: Any) -> None:
    programme = ProgrammeFactory(organisation=org_a, status=ElementStatus.ON_REVIEW, title="Программа на проверке")
    client.force_login(methodologist)
    assert "Программа на проверке" in client.get("/review/").content.decode()
    client.post(f"/review/programs/{programme.pk}/reject/", {"reason": "Уточните часы"})
    programme.refresh_from_db()
    assert programme.status == ElementStatus.NEEDS_CHANGES
    assert programme.transitions.get().reason == "Уточните часы"


def test_the_cabinet_creates_edits_and_submits_a_programme(client: Any, org_a: Any, provider_a: Any) -> None:
    from tests.providers.factories import specialty

    client.force_login(provider_a)
    answer = client.post(
        "/provider/programs/new/",
        {
            "title": "Новая программа",
            "hours": 36,
            "form": "distance",
            "bases": ["budget"],
            "specialty": specialty("76").pk,
            "additional_specialties": [specialty("25").pk],
        },
    )
    programme = Programme.objects.get(title="Новая программа")
    assert answer.status_code == 302
    assert list(programme.additional_specialties.values_list("code", flat=True)) == ["25"]
    client.post(
        f"/provider/programs/{programme.pk}/edit/",
        {"title": "Новая программа (ред.)", "hours": 72, "form": "distance", "specialty": specialty("76").pk},
    )
    programme.refresh_from_db()
    assert (programme.title, programme.hours) == ("Новая программа (ред.)", 72)
    client.post(f"/provider/programs/{programme.pk}/submit/")
    programme.refresh_from_db()
    assert programme.status == ElementStatus.ON_REVIEW
    assert client.get(f"/provider/programs/{programme.pk}/edit/").status_code == 302


def test_a_specialist_chooses_a_priority_organisation(client: Any, specialist: Any) -> None:
    approved = OrganisationFactory(short_name="Одобренная")
    pending = OrganisationFactory(short_name="На проверке", status=OrganisationStatus.SUBMITTED)
    client.force_login(specialist)
    page = client.get("/profile/priority-organisation/")
    assert "Одобренная" in page.content.decode() and "На проверке" not in page.content.decode()
    client.post("/profile/priority-organisation/", {"organisation": approved.pk})
    assert PriorityOrganisation.objects.get(user=specialist).organisation == approved
    assert client.post("/profile/priority-organisation/", {"organisation": pending.pk}).status_code == 200
    client.post("/profile/priority-organisation/", {"organisation": ""})
    assert not PriorityOrganisation.objects.exists()


def test_the_navigation_shows_the_catalogue_to_everyone(client: Any, provider_a: Any, methodologist: Any) -> None:
    assert "Каталог" in client.get("/").content.decode()
    client.force_login(provider_a)
    assert "Моя организация" in client.get("/").content.decode()
    client.force_login(methodologist)
    assert "Проверка" in client.get("/").content.decode()


def test_every_cabinet_page_renders_for_its_staff(client: Any, org_a: Any, provider_a: Any) -> None:
    from tests.factories import EventFactory, ModuleFactory, ProgrammeCycleFactory

    programme = ProgrammeFactory(organisation=org_a, status=ElementStatus.DRAFT)
    cycle = ProgrammeCycleFactory(programme=programme)
    event = EventFactory(organisation=org_a, status=ElementStatus.DRAFT)
    module = ModuleFactory(organisation=org_a, status=ElementStatus.DRAFT)
    client.force_login(provider_a)
    for path in [
        "/provider/",
        f"/provider/organizations/{org_a.pk}/",
        "/provider/programs/",
        "/provider/programs/new/",
        f"/provider/programs/{programme.pk}/",
        f"/provider/programs/{programme.pk}/edit/",
        f"/provider/cycles/{cycle.pk}/edit/",
        "/provider/events/",
        "/provider/events/new/",
        f"/provider/events/{event.pk}/",
        f"/provider/events/{event.pk}/edit/",
        "/provider/modules/",
        "/provider/modules/new/",
        f"/provider/modules/{module.pk}/",
        f"/provider/modules/{module.pk}/edit/",
        "/provider/onboarding/",
        "/catalog/events/",
        "/catalog/modules/",
    ]:
        assert client.get(path).status_code == 200, path


def test_the_programme_list_shows_an_edit_after_it_was_served_from_the_cache(
    client: Any, org_a: Any, provider_a: Any
) -> None:
    programme = ProgrammeFactory(organisation=org_a, status=ElementStatus.DRAFT, title="Кардиология: основы")
    client.force_login(provider_a)
    assert "Кардиология: основы" in client.get("/provider/programs/").content.decode()
    assert "Кардиология: основы" in client.get("/provider/programs/").content.decode()  # the memo
    Programme.objects.filter(pk=programme.pk).update(title="Кардиология: практикум")  # even behind our back
    page = client.get("/provider/programs/").content.decode()
    assert "Кардиология: практикум" in page and "Кардиология: основы" not in page


def test_the_cabinet_creates_an_event_and_a_module(client: Any, org_a: Any, provider_a: Any) -> None:
    from tests.providers.factories import specialty

    client.force_login(provider_a)
    refused = client.post(
        "/provider/events/new/",
        {
            "title": "Вебинар",
            "starts_on": "2026-09-01",
            "ends_on": "2026-09-01",
            "zet": "7",
            "format": "online",
            "is_free": "on",
            "price": "0",
        },
    )
    assert refused.status_code == 200
    assert "Не более 6 ЗЕТ в день" in refused.content.decode()
    created = client.post(
        "/provider/events/new/",
        {
            "title": "Вебинар",
            "starts_on": "2026-09-01",
            "ends_on": "2026-09-01",
            "zet": "2",
            "format": "online",
            "is_free": "on",
            "price": "0",
            "specialties": [specialty("76").pk],
        },
    )
    assert created.status_code == 302
    assert Event.objects.get(title="Вебинар").organiser_name == org_a.short_name
    module = client.post(
        "/provider/modules/new/",
        {"title": "Тесты", "module_type": "tests", "zet": "0", "url": "https://edu.example.org/t"},
    )
    assert module.status_code == 302
    assert Module.objects.get(title="Тесты").zet == 0


def test_seed_scale_adds_a_bulk_catalogue_once() -> None:
    from nmo_portal.lib.demo import DemoContext
    from providers import demo_scale

    sizes = demo_scale.scale_sizes(1)
    assert sizes["programmes"] == demo_scale.FLOOR_PROGRAMMES  # a floor for small N
    ctx = DemoContext()
    demo_scale.seed_scale(ctx, 1)
    demo_scale.seed_scale(ctx, 1)  # idempotent
    bulk = Programme.objects.filter(title__startswith=demo_scale.SCALE_PREFIX)
    assert bulk.count() == sizes["programmes"]
    assert ProgrammeCycle.objects.filter(programme__in=bulk).count() == sizes["cycles"]
    assert ctx.counts["providers: scale cycles"] == sizes["cycles"]
    assert ctx.counts["providers: scale events"] == sizes["events"]
    assert ctx.counts["providers: scale modules"] == sizes["modules"]
    assert bulk.filter(additional_specialties__isnull=False).exists()
    assert bulk.values("organisation").distinct().count() == sizes["organisations"]


def test_the_full_scale_catalogue_is_national() -> None:
    from providers.demo_scale import scale_sizes

    assert scale_sizes(100_000) == {
        "organisations": 100,
        "programmes": 10_000,
        "cycles": 30_000,
        "events": 2_000,
        "modules": 1_000,
    }
    assert scale_sizes(1_000_000) == scale_sizes(100_000)
    assert scale_sizes(50_000)["programmes"] == 5_000
