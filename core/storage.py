"""Where uploaded files live: Django's default storage, the local disk unless
the environment names an object store (docs/DEPLOY.md).

Uploaded files are private: a view checks who may see one before serving it,
so the files never sit behind a public URL. On the local disk that view
streams the file; an object store serves it itself through a URL it signed
for a few seconds, so the app server does not carry the bytes.
"""

from django.core.files.storage import FileSystemStorage, InMemoryStorage, Storage

#: How long a signed URL stays valid: long enough to follow the redirect.
SIGNED_URL_SECONDS = 60


def signed_url(storage: Storage, name: str) -> str | None:
    """A short-lived URL the store serves `name` from, or None for our own disk."""
    if isinstance(storage, FileSystemStorage | InMemoryStorage):
        return None
    return storage.url(name, expire=SIGNED_URL_SECONDS)
