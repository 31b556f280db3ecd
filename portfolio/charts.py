"""Charts drawn on the server as SVG: readable without colour (every bar carries its figures as
text, patterns tell kinds apart) and without JavaScript, in the page, the a11y version and the PDF."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from portfolio.selectors import Portfolio


def _fmt(value: Decimal) -> str:
    value = Decimal(value)
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if text else "0"


def year_bars_svg(portfolio: Portfolio) -> SafeString:
    """One bar per cycle year: programmes (solid) and events+modules (hatched) stacked, the yearly
    target as a dashed line, and the figures written above each bar."""
    rows = portfolio.by_year
    width, height, top, bottom, left = 640, 260, 30, 50, 44
    plot_h = height - top - bottom
    slot = (width - left - 10) / max(1, len(rows))
    bar_w = min(70.0, slot * 0.6)
    target = max((r.target for r in rows), default=Decimal(50))
    scale_max = max([target * Decimal("1.2"), *[r.zet for r in rows]])

    def y_of(value: Decimal) -> float:
        return top + plot_h - float(value / scale_max) * plot_h if scale_max else top + plot_h

    title = _("ЗЕТ по годам цикла")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-years" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="chart-years-title chart-years-desc" data-testid="year-bars">',
        f'<title id="chart-years-title">{escape(title)}</title>',
        '<desc id="chart-years-desc">'
        + escape(
            "; ".join(
                _("год %(year)s: %(zet)s из %(target)s ЗЕТ")
                % {"year": r.year, "zet": _fmt(r.zet), "target": _fmt(r.target)}
                for r in rows
            )
        )
        + "</desc>",
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#cfe3f5"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#1d5f9a" stroke-width="2"/></pattern></defs>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" stroke="#333"/>',
    ]
    ty = y_of(target)
    parts.append(
        f'<line x1="{left}" y1="{ty:.1f}" x2="{width - 10}" y2="{ty:.1f}" stroke="#b00" stroke-dasharray="6 4"/>'
        f'<text x="{left - 4}" y="{ty + 4:.1f}" text-anchor="end" font-size="11">{_fmt(target)}</text>'
    )
    for index, row in enumerate(rows):
        x = left + slot * index + (slot - bar_w) / 2
        base = top + plot_h
        y_prog = y_of(row.program)
        y_all = y_of(row.zet)
        parts.append(
            f'<g class="bar" data-year="{row.year}" data-zet="{_fmt(row.zet)}">'
            f'<rect x="{x:.1f}" y="{y_prog:.1f}" width="{bar_w:.1f}" height="{base - y_prog:.1f}" fill="#1d5f9a">'
            f"<title>{escape(_('ДПП ПК'))}: {_fmt(row.program)}</title></rect>"
            f'<rect x="{x:.1f}" y="{y_all:.1f}" width="{bar_w:.1f}" height="{y_prog - y_all:.1f}" fill="url(#hatch)">'
            f"<title>{escape(_('мероприятия и модули'))}: {_fmt(row.other)}</title></rect>"
            f'<text x="{x + bar_w / 2:.1f}" y="{y_all - 6:.1f}" text-anchor="middle" font-size="13" '
            f'font-weight="bold">{_fmt(row.zet)}</text>'
            f'<text x="{x + bar_w / 2:.1f}" y="{base + 18:.1f}" text-anchor="middle" font-size="12">'
            f"{escape(_('%(year)s-й год') % {'year': row.year})}</text>"
            f'<text x="{x + bar_w / 2:.1f}" y="{base + 34:.1f}" text-anchor="middle" font-size="10">'
            f"{row.starts_on:%m.%Y}</text>"
            "</g>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def progress_bar_svg(value: Decimal, target: Decimal, *, label: str, testid: str = "progress") -> SafeString:
    """A horizontal bar with ``value / target`` written on it."""
    width, height = 640, 34
    share = float(min(Decimal(1), value / target)) if target > 0 else 1.0
    text = _("%(label)s: %(value)s из %(target)s") % {"label": label, "value": _fmt(value), "target": _fmt(target)}
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-progress" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(text)}" data-testid="{escape(testid)}">'
        f'<rect x="0" y="4" width="{width}" height="{height - 8}" fill="#eef2f6" stroke="#8a99a8"/>'
        f'<rect x="0" y="4" width="{width * share:.1f}" height="{height - 8}" fill="#2e7d32"/>'
        f'<text x="8" y="{height / 2 + 5:.1f}" font-size="14" fill="#000" stroke="#fff" stroke-width="3" '
        f'paint-order="stroke">{escape(text)}</text></svg>'
    )
