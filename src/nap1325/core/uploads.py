"""Checks for uploaded files shared by every app: extension, leading bytes, size.

A file is accepted when its extension is in the caller's table, its first bytes match the
extension's signature (a renamed executable is refused) and its size is within
:func:`upload_max_bytes`. Used by agency-report evidence (``monitoring/services.py``, with
its own ``EVIDENCE_TYPES``) and by event documents (``coordination/services.py``, with
:data:`DOCUMENT_TYPES`).

Errors: ``ValidationError`` keyed ``"file"`` (or the ``field`` the caller names).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from nap1325.measurement import display

#: Signature lists: a file must start with one of them. ``None``: a plain-text file (no
#: NUL byte and no known binary signature in the first bytes).
FileTypes = Mapping[str, tuple[str, tuple[bytes, ...] | None]]

ZIP = (b"PK\x03\x04",)

#: Documents, spreadsheets, presentations and pictures: extension → (kind, signatures).
DOCUMENT_TYPES: FileTypes = {
    "pdf": ("document", (b"%PDF",)),
    "docx": ("document", ZIP),
    "odt": ("document", ZIP),
    "txt": ("document", None),
    "xlsx": ("spreadsheet", ZIP),
    "ods": ("spreadsheet", ZIP),
    "csv": ("spreadsheet", None),
    "pptx": ("presentation", ZIP),
    "odp": ("presentation", ZIP),
    "png": ("image", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image", (b"\xff\xd8\xff",)),
    "jpeg": ("image", (b"\xff\xd8\xff",)),
}
BINARY_SIGNATURES = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"MZ", b"\x7fELF")
SNIFF_BYTES = 8192
MEGABYTE = 1024 * 1024


def upload_max_bytes() -> int:
    """The upload limit in bytes: setting ``NAP1325_EVIDENCE_MAX_BYTES`` (default 10 MB).

    One limit for every uploaded file (evidence and event documents alike).
    """
    return int(getattr(settings, "NAP1325_EVIDENCE_MAX_BYTES", 10 * MEGABYTE))


def file_name(upload: Any) -> str:
    """The base name the browser sent (no directories), at most 200 characters."""
    return (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:200]


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def read_head(upload: Any) -> bytes:
    """The first :data:`SNIFF_BYTES` of ``upload``; the file is rewound afterwards."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return head if isinstance(head, bytes) else b""


def check_upload(
    name: str,
    head: bytes,
    size: int,
    *,
    types: FileTypes = DOCUMENT_TYPES,
    max_bytes: int | None = None,
    field: str = "file",
) -> str:
    """The kind (``"document"``, ``"image"`` …) of an acceptable file, else ``ValidationError``.

    ``name`` is the original file name, ``head`` its first bytes, ``size`` in bytes.
    Checks in order: extension in ``types``, size ≤ ``max_bytes`` (default
    :func:`upload_max_bytes`), not empty, leading bytes match the extension.
    """
    extension = extension_of(name)
    if extension not in types:
        raise ValidationError(
            {
                field: _("Files of this type are not accepted. Allowed: %(types)s.")
                % {"types": ", ".join(sorted(types))}
            }
        )
    limit = upload_max_bytes() if max_bytes is None else max_bytes
    if size > limit:
        raise ValidationError(
            {
                field: _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
                % {
                    "size": display(Decimal(size) / MEGABYTE, 1),
                    "limit": display(Decimal(limit) / MEGABYTE, 1),
                }
            }
        )
    if size == 0:
        raise ValidationError({field: _("The file is empty.")})
    kind, signatures = types[extension]
    if signatures is None:
        if b"\x00" in head or head.startswith(BINARY_SIGNATURES):
            raise ValidationError(
                {
                    field: _("This file is not a text file, although its name ends in .%(ext)s.")
                    % {"ext": extension}
                }
            )
    elif not head.startswith(signatures):
        raise ValidationError(
            {
                field: _(
                    "The content of this file is not a .%(ext)s file; check that it is not renamed."
                )
                % {"ext": extension}
            }
        )
    return kind


def stored_name(original: str) -> str:
    """A random storage name keeping the (checked) extension: ``"3f…9a.pdf"``."""
    return f"{uuid.uuid4().hex}.{extension_of(original)}"
