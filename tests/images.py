"""Test images, and images whose file has gone missing (tests/*/test_missing_image.py)."""

import io
import itertools

from django.core.files.images import ImageFile

_numbers = itertools.count(1)


def make_image(title="测试图片", size=(800, 600), color=(180, 60, 40)):
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, format="JPEG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name=f"missing-test-{next(_numbers)}.jpg"))


def lose_file(image):
    """Delete the original file behind ``image`` (and every rendition made of it), as a restore
    that missed the media folder would: the rows stay, the files are gone."""
    image.renditions.all().delete()
    image.file.storage.delete(image.file.name)
    assert not image.file.storage.exists(image.file.name)
    return image


def png_bytes(size=(4, 4), color=(10, 200, 30)):
    """A tiny PNG's bytes, for uploads and private files."""
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def streamed_body(response):
    """A FileResponse's bytes (read without closing it: closing ends the test's DB connection)."""
    return b"".join(response.streaming_content)
