"""What makes the cached home page stale: any page published, unpublished, moved or deleted (the
home page itself, or a page its quick links point to), an image changed, a view restriction added
or removed (``/`` is answered from the cache before Wagtail's privacy check), or the office's
details edited. Cheap and coarse on purpose: these are rare next to readers."""

from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction

from core.models import CacheVersion
from core.pagecache import invalidate_on_change
from home.models import HOME_CACHE, OfficeSettings


def home_changed(sender=None, raw=False, **kwargs):
    if not raw:
        transaction.on_commit(lambda: CacheVersion.bump(HOME_CACHE))


def connect():
    invalidate_on_change(home_changed, name="home", settings_models=[OfficeSettings],
                         models=[Page, get_image_model(), PageViewRestriction])
