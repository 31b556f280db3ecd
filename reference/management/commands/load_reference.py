from typing import Any

from django.core.management.base import BaseCommand

from reference.loader import load_regions, load_specialties
from reference.models import Region, Specialty
from reference.selectors import reference_cache_clear


class Command(BaseCommand):
    help = "Load or refresh the specialties and regions from reference/data (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        specialties = load_specialties(Specialty)
        regions = load_regions(Region)
        reference_cache_clear()
        self.stdout.write(
            f"specialties: {specialties.created} created, {specialties.updated} updated, "
            f"{specialties.closed} closed; regions: {regions.created} created, {regions.updated} updated"
        )
