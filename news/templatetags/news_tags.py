import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from news import queries, representations
from news.images import SIZES, absolute, alt_text, renditions

register = template.Library()

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.inclusion_tag("news/includes/picture.html")
def news_picture(image, size="card", alt="", css_class="", loading="lazy"):
    """A <picture> with a WebP source and a fallback, fixed width and height (no layout shift)
    and alt text (the editor's, else the image's description, else its title)."""
    if image is None:
        return {"image": None}
    spec = SIZES[size]
    found = renditions(image, spec, f"{spec}|format-webp")
    if found is None:
        return {"image": None}
    return {
        "image": image,
        "fallback": found[spec],
        "webp": found[f"{spec}|format-webp"],
        "alt": alt_text(image, alt),
        "css_class": css_class,
        "loading": loading,
    }


@register.simple_tag(takes_context=True)
def news_jsonld(context, page):
    data = representations.story_jsonld(page, context.get("request"))
    body = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(body))  # noqa: S308 escaped above


@register.simple_tag(takes_context=True)
def news_og_image(context, page):
    if not page.lead_image_id:
        return None
    found = renditions(page.lead_image, SIZES["card"])
    if found is None:
        return None
    rendition = found[SIZES["card"]]
    return {"url": absolute(rendition.url, context.get("request")), "width": rendition.width,
            "height": rendition.height, "alt": alt_text(page.lead_image, page.lead_image_alt)}


@register.filter
def story_tags(story):
    return representations.story_tags(story)


# --- what the page templates show (the page models have no get_context) ----------------------

@register.simple_tag(takes_context=True)
def news_listing(context, index_page):
    """The index page's listing for the reader's filters; each part is read only when the
    template asks for it."""
    return queries.IndexListing(index_page, context["request"])


@register.simple_tag
def news_related(story):
    return queries.related_stories(story)


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current filters with some replaced: for pagination and tag links."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"
