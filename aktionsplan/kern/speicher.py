"""Where uploaded files live: the storage STORAGES["anlagen"] names (settings: a private folder,
or an S3 bucket). Nothing in it has a public address; views that check access serve it."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT (read on every access), with no public URL at all."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


class _Anlagenspeicher(LazyObject):
    """The storage STORAGES["anlagen"] names, looked up anew when the settings change (tests)."""

    def _setup(self):
        self._wrapped = storages["anlagen"]


anlagenspeicher = _Anlagenspeicher()


@receiver(setting_changed)
def _speicher_neu(*, setting, **_kwargs):
    if setting in ("STORAGES", "PRIVATE_MEDIA_ROOT"):
        anlagenspeicher._wrapped = empty


def private_storage():
    """Attachments and documents live outside every public URL; only views serve them."""
    return anlagenspeicher
