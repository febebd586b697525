"""What makes the cached home page stale: any page published, unpublished, moved or deleted (the
home page itself, or a page its quick links point to), an image changed, a view restriction added
or removed (``/`` is answered from the cache before Wagtail's privacy check), or the office's
details edited. Cheap and coarse on purpose: these are rare next to readers."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.models import CacheVersion
from home.models import HOME_CACHE, OfficeSettings


def home_changed(sender=None, raw=False, **kwargs):
    if not raw:
        transaction.on_commit(lambda: CacheVersion.bump(HOME_CACHE))


def _office_settings_changed(sender, created=False, raw=False, **kwargs):
    # Wagtail creates the settings row with empty values the first time a page reads it.
    if not created:
        home_changed(raw=raw)


def connect():
    uid = "home-cache-{}".format
    page_published.connect(home_changed, dispatch_uid=uid("published"))
    page_unpublished.connect(home_changed, dispatch_uid=uid("unpublished"))
    post_page_move.connect(home_changed, dispatch_uid=uid("moved"))
    post_delete.connect(home_changed, sender=Page, dispatch_uid=uid("deleted"))
    for signal, name in ((post_save, "image-saved"), (post_delete, "image-deleted")):
        signal.connect(home_changed, sender=get_image_model(), dispatch_uid=uid(name))
    for signal, name in ((post_save, "restriction-saved"), (post_delete, "restriction-deleted")):
        signal.connect(home_changed, sender=PageViewRestriction, dispatch_uid=uid(name))
    post_save.connect(_office_settings_changed, sender=OfficeSettings, dispatch_uid=uid("office"))
