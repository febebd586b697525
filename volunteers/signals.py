"""Publishing an opportunity gives its shifts their places (a call into services, nothing more)."""

from django.dispatch import receiver
from wagtail.signals import page_published

from volunteers.models import OpportunityPage


@receiver(page_published, sender=OpportunityPage)
def opportunity_published(sender, instance, revision=None, user=None, **kwargs):
    from volunteers import services

    services.sync_shift_places(instance, via="admin", actor=user)
