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
#: Uploads are private: a reader's own browser may keep one, no shared cache.
CACHE_CONTROL = "private, max-age=3600"
#: What an object store sends with every upload it serves (set on each object
#: when it is written): shown in the page, kept by no shared cache. A store
#: sends only the headers S3 keeps with an object, so not nosniff or a CSP:
#: the content type it sends is the one our upload named (journal/actions.py).
OBJECT_HEADERS = {"CacheControl": CACHE_CONTROL, "ContentDisposition": "inline"}


def signed_url(storage: Storage, name: str) -> str | None:
    """A short-lived URL the store serves `name` from, or None for our own disk."""
    if isinstance(storage, FileSystemStorage | InMemoryStorage):
        return None
    return storage.url(name, expire=SIGNED_URL_SECONDS)
