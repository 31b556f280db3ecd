"""PDF documents from templates (WeasyPrint) and QR codes as inline SVG (segno).

Fonts are named in CSS (``font-family: "DejaVu Sans"``) and resolved through fontconfig, so
Cyrillic text renders the same on every host that has the DejaVu fonts (the Dockerfile installs
``fonts-dejavu-core``). Templates live with their app; static files are read from disk, never
fetched over the network (``url_fetcher`` refuses anything that is not a local ``file:`` URL).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

FONT_DIRECTORY = Path("/usr/share/fonts/truetype/dejavu")

# The CSS every PDF starts from: A4, Cyrillic-capable fonts named explicitly.
BASE_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm;
        @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; color: #555; } }
html { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; color: #111; }
"""


def _local_only_fetcher(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Resolve ``file:`` URLs under the static directories; refuse the network."""
    from weasyprint import default_url_fetcher

    if not url.startswith("file:") and not url.startswith("data:"):
        raise ValueError(f"PDF rendering fetches no remote resources: {url}")
    return default_url_fetcher(url, *args, **kwargs)


def static_css(relative: str) -> str:
    """The text of a stylesheet from ``static/`` (for inlining into a PDF template)."""
    for directory in settings.STATICFILES_DIRS:
        candidate = Path(directory) / relative
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    raise FileNotFoundError(relative)


def html_to_pdf(html: str, *, base_url: str | None = None, extra_css: str = "") -> bytes:
    from weasyprint import CSS, HTML

    document = HTML(string=html, base_url=base_url or str(settings.BASE_DIR), url_fetcher=_local_only_fetcher)
    stylesheets = [CSS(string=BASE_CSS)]
    if extra_css:
        stylesheets.append(CSS(string=extra_css))
    result = document.write_pdf(stylesheets=stylesheets)
    assert isinstance(result, bytes)
    return result


def render_pdf(template_name: str, context: dict[str, Any], *, extra_css: str = "") -> bytes:
    """Render ``template_name`` with ``context`` and return the PDF bytes."""
    return html_to_pdf(render_to_string(template_name, context), extra_css=extra_css)


def qr_svg(data: str, *, scale: int = 3, title: str = "") -> SafeString:
    """A QR code for ``data`` as an inline ``<svg>`` element (no XML declaration)."""
    import segno

    buffer = io.BytesIO()
    segno.make(data, error="m").save(
        buffer, kind="svg", scale=scale, xmldecl=False, svgns=True, title=title or None, nl=False
    )
    return mark_safe(buffer.getvalue().decode("utf-8"))


def pdf_text(html: str) -> str:
    """The text WeasyPrint lays out for ``html`` (tests use it: there is no pdftotext here)."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_local_only_fetcher).render()
    parts: list[str] = []

    def walk(box: Any) -> None:
        text = getattr(box, "text", None)
        if isinstance(text, str):
            parts.append(text)
        for child in getattr(box, "children", []) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(parts)
