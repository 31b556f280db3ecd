"""The printable application (заявка) as PDF, laid out like the paper form."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from enrolment.models import Application
from nmo_portal.lib.pdf import render_pdf

APPLICATION_CSS = """
h1 { font-size: 14pt; text-align: center; margin: 4mm 0 2mm; }
.to { margin-left: 50%; font-size: 10pt; }
.number { text-align: center; color: #333; margin-bottom: 6mm; }
table.form { width: 100%; border-collapse: collapse; margin: 4mm 0; }
table.form th { text-align: left; width: 38%; font-weight: normal; color: #333; padding: 2mm; vertical-align: top;
                border-bottom: 0.3pt solid #999; }
table.form td { padding: 2mm; border-bottom: 0.3pt solid #999; font-weight: bold; }
.consent { font-size: 9pt; margin-top: 6mm; text-align: justify; }
.signature { margin-top: 14mm; width: 100%; }
.signature td { width: 50%; padding-top: 8mm; }
.line { border-top: 0.5pt solid #000; font-size: 8pt; text-align: center; color: #333; }
.note { font-size: 8pt; color: #555; margin-top: 8mm; }
"""


def application_pdf(*, application: Application, today: date | None = None) -> bytes:
    today = today or timezone.localdate()
    cycle = application.programme_cycle
    context = {
        "application": application,
        "cycle": cycle,
        "programme": cycle.programme,
        "organisation": cycle.programme.organisation,
        "applicant": application.applicant,
        "today": today,
    }
    return render_pdf("enrolment/application_pdf.html", context, extra_css=APPLICATION_CSS)
