"""Photos people send with reports: decoded, turned upright and written again as a new JPEG, so
that EXIF (the phone's make, the time, and above all the GPS position of someone's home) and any
other metadata are gone. The uploaded file itself is never stored, so it can never be served."""

import io

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import DomainError

MAX_BYTES = 12 * 1024 * 1024
#: Longest side kept: enough to read a number plate or a lock, small enough for a phone on 4G.
MAX_SIDE = 2048
FORMATS = {"JPEG", "PNG", "WEBP", "HEIC", "MPO", "GIF"}
#: Longest side of a thumbnail (lists, map popups): sharp on a phone at twice the 160 px shown.
THUMB_SIDE = 320


class PhotoError(DomainError):
    status = 422
    messages = {
        "not_an_image": _("This file is not a photo we can read (send a JPEG, PNG or WebP)."),
        "too_large": _("This photo is too large (at most 12 MB)."),
    }


def clean_image(upload) -> tuple[ContentFile, int, int]:
    """A metadata-free JPEG of ``upload`` (a file object), with its width and height."""
    if getattr(upload, "size", 0) and upload.size > MAX_BYTES:
        raise PhotoError("too_large")
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise PhotoError("too_large")
    try:
        with Image.open(io.BytesIO(data)) as source:
            if source.format not in FORMATS:
                raise PhotoError("not_an_image")
            # Limit decompression bombs before decoding the pixels.
            if source.width * source.height > 60_000_000:
                raise PhotoError("too_large")
            upright = ImageOps.exif_transpose(source)
            upright.thumbnail((MAX_SIDE, MAX_SIDE))
            # A new image from the pixels alone: no info dict, no EXIF, no ICC, no XMP comes along.
            clean = Image.new("RGB", upright.size, "white")
            rgb = upright.convert("RGBA")
            clean.paste(rgb, mask=rgb.getchannel("A"))
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise PhotoError("not_an_image") from exc
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name="photo.jpg"), clean.width, clean.height


def make_thumbnail(clean: bytes) -> tuple[ContentFile, int, int]:
    """A small JPEG of an already cleaned photo (its bytes), with its width and height: made once,
    when the photo is stored, so a list never sends a 2048 px picture to show 160 px of it."""
    try:
        with Image.open(io.BytesIO(clean)) as source:
            small = source.convert("RGB")
            small.thumbnail((THUMB_SIDE, THUMB_SIDE))
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise PhotoError("not_an_image") from exc
    out = io.BytesIO()
    small.save(out, format="JPEG", quality=80, optimize=True)
    return ContentFile(out.getvalue(), name="thumb.jpg"), small.width, small.height
