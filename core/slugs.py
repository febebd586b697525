"""Page slugs made from Chinese titles, so an editor never has to type one.

Wagtail's editor fills the slug from the title in the browser with a transliteration that drops
Chinese characters, leaving it empty; the page then fails to save with the error on the hidden
Promote tab. :class:`AutoSlugPageForm` makes the slug on the server instead when it is left empty:
the title in pinyin (荷花社区送餐到家 -> ``he-hua-she-qu-song-can-dao-jia``), or the date when the title
has nothing to spell (``2026-12-01``), with ``-2``, ``-3`` ... when a sibling has it already.
"""

from django.utils import timezone
from django.utils.text import slugify
from pypinyin import lazy_pinyin
from wagtail.admin.forms import WagtailAdminPageForm

MAX_LENGTH = 60


def pinyin_slug(title: str) -> str:
    """The title in pinyin, a hyphen between syllables. (Grouping them into words would depend on
    the segmentation dictionary of the moment, so the same title could give another slug.)"""
    slug = slugify("-".join(lazy_pinyin(title or "")))
    return slug[:MAX_LENGTH].rstrip("-")


def unique_slug(title: str, parent, instance=None, date=None) -> str:
    """A slug for a page titled ``title`` under ``parent`` that no sibling uses."""
    from wagtail.models import Page

    base = pinyin_slug(title) or (date or timezone.localdate()).isoformat()
    siblings = parent.get_children() if parent is not None else Page.objects.none()
    if instance is not None and instance.pk:
        siblings = siblings.exclude(pk=instance.pk)
    taken = set(siblings.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        suffix = f"-{n}"
        slug = base[:MAX_LENGTH - len(suffix)].rstrip("-") + suffix
    return slug


class AutoSlugPageForm(WagtailAdminPageForm):
    """The page editor's form with an optional slug, made from the title when left empty."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False

    def clean(self):
        if "slug" in self.fields and not self.cleaned_data.get("slug") and self.cleaned_data.get("title"):
            self.cleaned_data["slug"] = unique_slug(self.cleaned_data["title"], self.parent_page, self.instance)
        return super().clean()
