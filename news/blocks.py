"""StreamField blocks for story bodies. Each block knows its own API representation, so Wagtail's
/api/v3/pages/ and the news API give the same ready-to-show JSON."""

import re

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import expand_db_html

from news.images import absolute, base_url, image_data

PARAGRAPH_FEATURES = ["bold", "italic", "h2", "h3", "ol", "ul", "link", "document-link", "image"]

_RELATIVE_ATTR = re.compile(r'(\s(?:href|src)=")(/(?!/)[^"]*)"')


def rich_text_html(source: str, request=None) -> str:
    """Database rich text as display HTML: links resolved, image and link URLs absolute."""
    html = expand_db_html(source or "")
    root = base_url(request)
    return _RELATIVE_ATTR.sub(lambda m: f'{m.group(1)}{root}{m.group(2)}"', html)


def _request(context):
    return (context or {}).get("request")


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", PARAGRAPH_FEATURES)
        super().__init__(**kwargs)

    def get_api_representation(self, value, context=None):
        return rich_text_html(value.source if value else "", _request(context))

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        template = "news/blocks/paragraph.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt = blocks.CharBlock(label=_("alt text"), required=False, max_length=200,
                           help_text=_("Describe what the photo shows, for readers who cannot see it. "
                                       "Leave empty to use the image's own description."))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=300)
    credit = blocks.CharBlock(label=_("credit"), required=False, max_length=100)

    def get_api_representation(self, value, context=None):
        return image_data(value["image"], _request(context), alt=value.get("alt"),
                          caption=value.get("caption"), credit=value.get("credit"))

    def get_searchable_content(self, value):
        return [value.get("caption") or "", value.get("alt") or ""]

    class Meta:
        icon = "image"
        label = _("Image")
        template = "news/blocks/image.html"


class PullQuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quote"), max_length=500)
    speaker = blocks.CharBlock(label=_("speaker"), max_length=60)
    speaker_role = blocks.CharBlock(label=_("speaker's role"), required=False, max_length=80)

    class Meta:
        icon = "openquote"
        label = _("Pull quote")
        template = "news/blocks/pull_quote.html"


class GalleryBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), required=False, max_length=80)
    images = blocks.ListBlock(CaptionedImageBlock(), label=_("images"), min_num=2)

    def get_api_representation(self, value, context=None):
        item_block = self.child_blocks["images"].child_block
        return {
            "title": value.get("title") or "",
            "images": [item_block.get_api_representation(item, context) for item in value["images"]],
        }

    class Meta:
        icon = "image"
        label = _("Gallery")
        template = "news/blocks/gallery.html"


class FigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("figure"), max_length=20, help_text=_("e.g. 100+"))
    label = blocks.CharBlock(label=_("what it counts"), max_length=40, help_text=_("e.g. volunteers"))


class KeyFiguresBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), required=False, max_length=80)
    figures = blocks.ListBlock(FigureBlock(), label=_("figures"), min_num=1, max_num=6)

    class Meta:
        icon = "table"
        label = _("Key figures")
        template = "news/blocks/key_figures.html"


def _visible(page):
    """Whether readers may see a link to ``page``: live and without a view restriction (the
    same rule as every listing: live().public())."""
    return page is not None and page.live and not page.get_view_restrictions().exists()


class PageLinkBlock(blocks.StructBlock):
    """A link to any page: a class, a canteen, a station. Plugins never import each other, so a
    story points at their pages through the page chooser. A link to a page that is unpublished
    or private is left out, in the page and in the API."""

    page = blocks.PageChooserBlock(label=_("page"))
    label = blocks.CharBlock(label=_("link text"), required=False, max_length=80)
    description = blocks.CharBlock(label=_("description"), required=False, max_length=200)

    def get_api_representation(self, value, context=None):
        page = value.get("page")
        request = _request(context)
        if not _visible(page):
            return None
        return {
            "id": page.pk,
            "type": page.specific_class._meta.label if page.specific_class else "wagtailcore.Page",
            "title": page.title,
            "label": value.get("label") or page.title,
            "description": value.get("description") or "",
            "url": absolute(page.get_url(request) or "", request),
        }

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        page = value.get("page")
        context["target"] = page if _visible(page) else None
        return context

    class Meta:
        icon = "link"
        label = _("Link to a page")
        template = "news/blocks/page_link.html"


class StoryBodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    image = CaptionedImageBlock()
    pull_quote = PullQuoteBlock()
    gallery = GalleryBlock()
    key_figures = KeyFiguresBlock()
    page_link = PageLinkBlock()

