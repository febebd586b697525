"""Renditions that never turn a missing image file into a server error.

An image row whose original file is gone (a restore that missed it, a storage fault, a file
deleted by hand) makes Wagtail's ``get_rendition`` raise ``SourceImageIOError`` as soon as a size
not made before is asked for. Wagtail's own ``{% image %}`` tag shrugs that off; the API must too:
one broken image leaves that image out (``None``) and logs a warning naming it, and the listing,
menu or page it belongs to still answers. Every plugin asks here (news, programs, canteen,
stations), so none has to remember the exception.
"""

import logging

from wagtail.images.models import SourceImageIOError

logger = logging.getLogger(__name__)


def _missing(image, error):
    logger.warning("the file of image %s (%s) is missing: %s", image.pk, image.file.name, error.__class__.__name__)


def renditions(image, *specs):
    """``image.get_renditions(*specs)`` (spec -> rendition), or None when the file is missing."""
    try:
        return image.get_renditions(*specs)
    except (SourceImageIOError, FileNotFoundError) as error:
        _missing(image, error)
        return None


def rendition(image, spec):
    """``image.get_rendition(spec)``, or None when there is no image or its file is missing."""
    if image is None:
        return None
    try:
        return image.get_rendition(spec)
    except (SourceImageIOError, FileNotFoundError) as error:
        _missing(image, error)
        return None


def rendition_url(image, spec):
    """The URL of ``image`` at ``spec``, or None (no image, or its file is missing)."""
    found = rendition(image, spec)
    return found.url if found is not None else None
