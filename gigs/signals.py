"""Saving a consultation slot (in the admin or anywhere) gives it its places in core.capacity,
through the service, so the places follow the slot's size."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from gigs import services
from gigs.models import ConsultationSlot


@receiver(post_save, sender=ConsultationSlot, dispatch_uid="gigs_slot_places")
def give_slot_places(sender, instance, raw=False, **kwargs):
    if not raw:
        services.sync_slot_places(instance)
