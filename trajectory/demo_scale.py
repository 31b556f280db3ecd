"""``seed_demo --scale N``: each scale specialist gets an accreditation document (periodic, in one
specialty) and the active five-year cycle it opened, in bulk (COPY on PostgreSQL via ``bench.bulk``).

The documents are recognised by their number (``SCALE_DOC_PREFIX`` + user id), the cycles by their
document, so a rerun adds only what is missing. The cycles started 3.3 to 4.6 years ago, so the
portfolio seeder can spread entries over four cycle years without a date in the future.
Historical records are not written (benchmark data, never in production).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.demo_scale import scale_user_ids
from accounts.models import AccreditationType, Document, DocumentKind, FrmrStatus
from bench.bulk import bulk_insert
from nmo_portal.lib.demo import DemoContext
from reference.models import Specialty
from reference.rules import ruleset_in_force
from trajectory import dates
from trajectory.models import Cycle, CycleStatus

SCALE_DOC_PREFIX = "МАСШТАБ-"


def scale_issued_on(user_id: int, today: dt.date) -> dt.date:
    return today - dt.timedelta(days=1200 + (user_id * 37) % 480)


def seed_scale(ctx: DemoContext, n: int) -> None:
    ids = scale_user_ids(n)
    today = timezone.localdate()
    specialties = list(Specialty.objects.order_by("pk").values_list("pk", flat=True))
    rules = ruleset_in_force(today)
    with transaction.atomic():
        have = set(
            Document.objects.filter(number__startswith=SCALE_DOC_PREFIX, owner_id__in=ids).values_list(
                "owner_id", flat=True
            )
        )
        missing = [uid for uid in ids if uid not in have]
        now = timezone.now()

        def document(uid: int) -> dict[str, Any]:
            issued = scale_issued_on(uid, today)
            return {
                "owner_id": uid,
                "kind": DocumentKind.ACCREDITATION.value,
                "accreditation_type": AccreditationType.PERIODIC.value,
                "is_record": True,
                "specialty_id": specialties[uid % len(specialties)],
                "number": f"{SCALE_DOC_PREFIX}{uid}",
                "issued_on": issued,
                "valid_until": dates.cycle_ends_on(issued, rules.cycle_years),
                "frmr_status": FrmrStatus.CONFIRMED.value,
                "used_for_cycle": True,
                "created_at": now,
            }

        bulk_insert(Document, missing, document)
        docs = list(
            Document.objects.filter(number__startswith=SCALE_DOC_PREFIX, owner_id__in=ids, cycle__isnull=True)
            .values_list("pk", "owner_id", "specialty_id", "issued_on")
            .order_by("pk")
        )

        def cycle(doc: tuple[int, int, int, dt.date]) -> dict[str, Any]:
            pk, owner, specialty, issued = doc
            return {
                "owner_id": owner,
                "specialty_id": specialty,
                "document_id": pk,
                "starts_on": issued,
                "ends_on": dates.cycle_ends_on(issued, rules.cycle_years),
                "cycle_years": rules.cycle_years,
                "target_zet": rules.cycle_target_zet,
                "status": CycleStatus.ACTIVE.value,
                "created_at": now,
            }

        bulk_insert(Cycle, docs, cycle)
    ctx.counts["trajectory: scale documents"] = Document.objects.filter(number__startswith=SCALE_DOC_PREFIX).count()
    ctx.counts["trajectory: scale cycles"] = Cycle.objects.filter(document__number__startswith=SCALE_DOC_PREFIX).count()


def scale_cycle_ids(n: int) -> list[int]:
    """The active scale cycles of the first n scale specialists, in user order."""
    ids = scale_user_ids(n)
    by_owner = dict(
        Cycle.objects.filter(
            owner_id__in=ids, status=CycleStatus.ACTIVE, document__number__startswith=SCALE_DOC_PREFIX
        ).values_list("owner_id", "pk")
    )
    return [by_owner[uid] for uid in ids if uid in by_owner]
