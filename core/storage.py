"""The two places uploaded files go (config/storage.py builds the settings).

``storages["default"]`` holds public media; ``storages["private"]`` files only their owners and
officers may read. A model field takes the private one with ``storage=private_storage`` (a
callable, so migrations name this function instead of freezing a storage).

A private file's ``url()`` is never a lasting public address. On S3 it is a presigned URL; on the
local disk it is a signed link to :func:`serve_private`, which holds the file's name and the time
it was made and stops working after ``PRIVATE_MEDIA_URL_MAX_AGE`` seconds. Only pages that have
checked who is asking (an officer's queue, a report's own page) write such a URL out.
"""

import mimetypes
from pathlib import PurePosixPath

from django.conf import settings
from django.core import signing
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, Http404
from django.urls import reverse
from django.views.decorators.http import require_GET

_SALT = "core.storage.private"


def private_storage():
    """The private storage, for ``FileField(storage=private_storage)``."""
    return storages["private"]


def max_age():
    return settings.PRIVATE_MEDIA_URL_MAX_AGE


class PrivateFileSystemStorage(FileSystemStorage):
    """Private files on the local disk, outside MEDIA_ROOT; URLs are short-lived signed links."""

    def url(self, name):
        token = signing.TimestampSigner(salt=_SALT).sign_object(name)
        return reverse("private_media", args=[token])


#: What a private file may be served as, inline; anything else is sent as a download.
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"}


def private_file_response(fieldfile, *, filename=None):
    """Stream ``fieldfile`` to someone the caller has already checked may see it, and tell every
    cache on the way (the browser's, a proxy's) not to keep it. A missing file is a 404."""
    if not fieldfile:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    name = filename or PurePosixPath(fieldfile.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    inline = content_type in INLINE_TYPES
    response = FileResponse(handle, content_type=content_type if inline else "application/octet-stream",
                            as_attachment=not inline, filename=name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # Opened from a trusted page, it still runs no script and loads nothing (a crafted SVG or HTML).
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    return response


@require_GET
def serve_private(request, token):
    """A private file by the signed link :class:`PrivateFileSystemStorage` wrote; 404 once it is
    older than ``PRIVATE_MEDIA_URL_MAX_AGE`` or when it was not signed here."""
    try:
        name = signing.TimestampSigner(salt=_SALT).unsign_object(token, max_age=max_age())
    except signing.BadSignature:
        raise Http404 from None
    if not isinstance(name, str):
        raise Http404
    try:
        stored = private_storage().open(name, "rb")
    except (FileNotFoundError, OSError, SuspiciousFileOperation):
        raise Http404 from None
    return private_file_response(stored, filename=PurePosixPath(name).name)


def _s3():
    # Imported only when S3 is configured: boto3 is not needed on a machine that keeps files on disk.
    from storages.backends.s3 import S3Storage

    return S3Storage


def __getattr__(name):
    # The S3 classes are built on first use (settings name them as strings), so importing this
    # module never imports boto3.
    if name in {"PublicS3Storage", "PrivateS3Storage"}:
        cls = _build_s3_classes()[name]
        globals()[name] = cls
        return cls
    raise AttributeError(name)


def _build_s3_classes():
    S3Storage = _s3()

    class PublicS3Storage(S3Storage):
        """Public media: public-read objects with plain URLs (the custom domain's when set).

        Wagtail documents (``documents/``) are the exception: a document in a private collection
        must not be readable by its address, so every document is a private object and its URL
        is presigned. Readers never see that URL before Wagtail's document view has checked the
        collection's privacy (it redirects to the file's URL on remote storage)."""

        private_prefixes = ("documents/",)

        def _is_private(self, name):
            return name.startswith(self.private_prefixes)

        def get_object_parameters(self, name):
            params = super().get_object_parameters(name)
            if self._is_private(name):
                params["ACL"] = "private"
            return params

        def url(self, name, parameters=None, expire=None, http_method=None):
            if not self._is_private(name):
                return super().url(name, parameters, expire, http_method)
            params = {**(parameters or {}), "Bucket": self.bucket.name,
                      "Key": self._normalize_name(name)}
            return self.connection.meta.client.generate_presigned_url(
                "get_object", Params=params, ExpiresIn=expire or max_age(), HttpMethod=http_method)

    class PrivateS3Storage(S3Storage):
        """Private files: private objects, presigned URLs that expire."""

    return {"PublicS3Storage": PublicS3Storage, "PrivateS3Storage": PrivateS3Storage}


def move_to_private(app_label, model_name, field_name):
    """A migration step (``RunPython``) that moves the files of a field that used to be public
    media into the private storage, so that no copy stays readable by its old address."""

    def forwards(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        public, private = storages["default"], storages["private"]
        for row in model._default_manager.exclude(**{field_name: ""}).iterator():
            name = getattr(row, field_name).name
            if not name or private.exists(name) or not public.exists(name):
                continue
            with public.open(name, "rb") as handle:
                saved = private.save(name, handle)
            if saved != name:
                model._default_manager.filter(pk=row.pk).update(**{field_name: saved})
            public.delete(name)

    return forwards
