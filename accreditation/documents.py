"""PDFs of periodic accreditation: the report entered in the form, and a published protocol."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from nmo_portal.lib.pdf import qr_svg, render_pdf


def activity_report_pdf(*, application: Any, report: Any) -> bytes:
    return render_pdf(
        "accreditation/pdf/activity_report.html",
        {"application": application, "report": report, "applicant": application.applicant, "now": timezone.now()},
    )


def mask_name(user: Any) -> str:
    """A name as a public protocol shows it: the surname's first and last letters, the initials."""
    last = (user.last_name or "").strip()
    initials = " ".join(f"{part[0]}." for part in (user.first_name, user.middle_name) if part)
    masked = f"{last[0]}***{last[-1]}" if len(last) > 1 else (last or "—")  # the length is not shown
    return f"{masked} {initials}".strip()


def protocol_pdf(*, protocol: Any, decisions: list[Any]) -> bytes:
    url = settings.SITE_URL + reverse("accreditation:protocol-public", args=[protocol.public_id])
    rows = [{"application": a, "name": mask_name(a.applicant), "snils": a.applicant.snils_masked} for a in decisions]
    return render_pdf(
        "accreditation/pdf/protocol.html",
        {"protocol": protocol, "rows": rows, "public_url": url, "qr": qr_svg(url, title="protocol")},
    )
