"""The antivirus hook: ``settings.DOCUMENT_SCANNER`` names a callable ``(bytes) -> None``.

The callable raises ``django.core.exceptions.ValidationError`` (with a French message) when the
content is infected; it is called on every upload before anything is stored. The default,
:func:`no_scan`, accepts everything: plug a real scanner (for instance a function sending the
bytes to a ClamAV daemon) in production with ``CB_DOCUMENT_SCANNER=package.module.function``.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string


def no_scan(content: bytes) -> None:
    """Accept every file (no antivirus configured)."""


def scan(content: bytes) -> None:
    import_string(settings.DOCUMENT_SCANNER)(content)
