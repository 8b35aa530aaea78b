"""The vault: a FileSystemStorage on ``settings.DOCUMENTS_ROOT``, outside the web root, with no URL."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class VaultStorage(FileSystemStorage):
    """Files are only ever served by the download view, after the access check: no URL."""

    def url(self, name):
        raise NotImplementedError("Les pièces justificatives n'ont pas d'adresse publique.")


def vault() -> VaultStorage:
    # Built on each call so that the setting is read at the time of use (tests point it elsewhere).
    return VaultStorage(
        location=str(settings.DOCUMENTS_ROOT),
        base_url=None,
        file_permissions_mode=0o600,
        directory_permissions_mode=0o700,
    )
