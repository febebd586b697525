"""Image renditions for pages and the API: one set of sizes, each also as WebP.

Every image leaves with its width, height and alt text, so pages reserve space (no layout shift)
and front ends can pick a size without asking again.
"""

from django.conf import settings

from core.images import renditions  # noqa: F401  (news' templates and representations import it from here)

#: name -> Wagtail filter spec. Each also exists as ``<name>_webp``.
SIZES = {
    "thumbnail": "fill-320x240",
    "card": "fill-800x450",
    "full": "width-1600",
}


def all_specs() -> list[str]:
    specs = []
    for spec in SIZES.values():
        specs.extend([spec, f"{spec}|format-webp"])
    return specs


def base_url(request=None) -> str:
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute(url: str, request=None) -> str:
    if url and url.startswith("/") and not url.startswith("//"):
        return base_url(request) + url
    return url


def alt_text(image, alt: str = "") -> str:
    return (alt or getattr(image, "default_alt_text", "") or image.title or "").strip()


def image_data(image, request=None, *, alt="", caption="", credit=""):
    """An image as the API hands it out: renditions with sizes, alt, caption and credit; None
    when there is no image or its file is missing."""
    if image is None:
        return None
    renditions_by_spec = renditions(image, *all_specs())
    if renditions_by_spec is None:
        return None
    out = {}
    for name, spec in SIZES.items():
        for suffix, key in (("", spec), ("_webp", f"{spec}|format-webp")):
            rendition = renditions_by_spec[key]
            out[name + suffix] = {
                "url": absolute(rendition.url, request),
                "width": rendition.width,
                "height": rendition.height,
                "format": "webp" if suffix else _format_of(rendition),
            }
    return {
        "id": image.pk,
        "title": image.title,
        "alt": alt_text(image, alt),
        "caption": caption or "",
        "credit": credit or "",
        "width": image.width,
        "height": image.height,
        "renditions": out,
    }


def _format_of(rendition) -> str:
    name = rendition.file.name.rsplit(".", 1)[-1].lower()
    return {"jpg": "jpeg"}.get(name, name)
