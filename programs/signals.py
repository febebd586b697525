"""Keep seats right when rows go away outside the services."""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from members.models import User
from programs.models import ProgramPage, Registration, Session


@receiver(post_delete, sender=Session)
def delete_session_capacity(sender, instance, **kwargs):
    if instance.capacity_id:
        from core.models import Capacity

        Capacity.objects.filter(pk=instance.capacity_id).delete()


@receiver(pre_delete, sender=User)
def free_seats_of_deleted_member(sender, instance, **kwargs):
    """A deleted account gives its seats back, and the waiting list moves up."""
    from programs import services

    for registration in Registration.objects.filter(member=instance).exclude(
        status__in=(Registration.Status.CANCELLED, Registration.Status.ATTENDED)
    ):
        services.cancel_for_deleted_member(registration.pk)


@receiver(pre_delete, sender=Registration)
def release_seat_of_deleted_registration(sender, instance, **kwargs):
    """Deleting a registration (admin, cascade) gives its seats back like a cancellation would."""
    # Re-read: the instance may have been collected before a cancellation in the same delete.
    status = Registration.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
    if status not in Registration.SEAT_STATUSES:
        return
    from django.db import transaction

    from core import capacity

    with transaction.atomic():
        for key in sorted(s.capacity_key for s in instance.covered_sessions()):
            capacity.release(key, 1)


@receiver(post_save, sender=Session)
@receiver(post_delete, sender=Registration)
@receiver(post_delete, sender=ProgramPage)
def invalidate_listing_on_change(sender, **kwargs):
    from programs import cache

    cache.invalidate()


def invalidate_listing_on_publish(sender, **kwargs):
    from programs import cache

    cache.invalidate()


page_published.connect(invalidate_listing_on_publish)
page_unpublished.connect(invalidate_listing_on_publish)
