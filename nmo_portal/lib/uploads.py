"""Uploaded files are judged by their content, not their name or the browser's content type.

    check_pdf_upload(request.FILES["file"])   # raises ApplicationError(field="file") or returns

A PDF starts with ``%PDF-`` and ends with ``%%EOF`` (possibly followed by a little whitespace or
garbage some generators add). A renamed Windows program starts with ``MZ``; an ELF binary with
``\\x7fELF``; both are named as such in the message so the user understands what went wrong.
"""

from __future__ import annotations

from typing import IO, Any

from django.utils.translation import gettext as _

from nmo_portal.lib.exceptions import ApplicationError

PDF_MAX_BYTES = 10 * 1024 * 1024
_TAIL = 1024
_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")


def _size(file: Any) -> int:
    size = getattr(file, "size", None)
    if isinstance(size, int):
        return size
    position = file.tell()
    file.seek(0, 2)
    end = int(file.tell())
    file.seek(position)
    return end


def _read(file: IO[bytes], offset: int, length: int, *, whence: int = 0) -> bytes:
    file.seek(offset, whence)
    return file.read(length) or b""


def check_pdf_upload(file: Any, *, max_bytes: int = PDF_MAX_BYTES, field: str = "file") -> None:
    """Accept ``file`` (an UploadedFile or any seekable binary file) only if it is a PDF within
    ``max_bytes``; the file is left at position 0."""
    size = _size(file)
    megabytes = max_bytes // (1024 * 1024)
    if size == 0:
        raise ApplicationError(_("Файл пустой. Загрузите документ в формате PDF."), field=field, code="empty_file")
    if size > max_bytes:
        raise ApplicationError(
            _("Файл больше %(mb)s МБ. Уменьшите его размер и загрузите снова.") % {"mb": megabytes},
            field=field,
            code="file_too_large",
        )
    try:
        head = _read(file, 0, 8)
        tail = _read(file, -min(_TAIL, size), _TAIL, whence=2)
    finally:
        file.seek(0)
    if head.startswith(_EXECUTABLE_MAGIC):
        raise ApplicationError(
            _("Это исполняемый файл (программа), а не документ PDF. Загрузите документ в формате PDF."),
            field=field,
            code="not_pdf",
        )
    if not head.startswith(b"%PDF-") or b"%%EOF" not in tail:
        raise ApplicationError(
            _("Файл не является документом PDF или повреждён. Загрузите документ в формате PDF."),
            field=field,
            code="not_pdf",
        )
