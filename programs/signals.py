"""Rows saved or deleted outside the services (the page editor, cascades, account deletion):
each hands over to :mod:`programs.services`, which keeps the seats right and audits it. (What
makes the cached listing and pages stale is declared in ProgramsConfig.cache_invalidation.)"""

from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published

from programs.models import ProgramPage, Registration, Session


@receiver(post_delete, sender=Session)
def delete_session_capacity(sender, instance, **kwargs):
    from programs import services

    services.forget_session_seats(instance)


@receiver(pre_delete, sender=Registration)
def release_seat_of_deleted_registration(sender, instance, origin=None, **kwargs):
    """A registration deleted any way but through the admin's delete (its member's account
    deleted, a cascade from its program, the shell) gives its seat back and is recorded. The
    waiting list moves up, unless a page is being deleted: then its program is going too."""
    from programs import services

    services.release_for_deletion(instance.pk, via="system", promote=not _deleting_pages(origin))


def _deleting_pages(origin):
    """True when the delete started at a page, or at a queryset of pages (treebeard deletes a
    page through one, to take its subtree along)."""
    from wagtail.models import Page

    model = getattr(origin, "model", type(origin))
    return isinstance(model, type) and issubclass(model, Page)


def give_published_sessions_their_seats(sender, instance, revision=None, **kwargs):
    """The page editor saves a program's sessions when it publishes the page; their seats
    follow here, through the service (new sessions, changed places, the waiting list)."""
    if not isinstance(instance, ProgramPage):
        return
    from programs import services

    services.sync_sessions(instance, actor=getattr(revision, "user", None), via="admin")


page_published.connect(give_published_sessions_their_seats, dispatch_uid="programs-session-seats")
