"""The demo content: what issue 11 promises to show, through the services, twice without change."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_demo_has_everything_and_is_idempotent():
    from volunteers.models import Certificate, HoursEntry, OpportunityPage, SignUp, Team

    call_command("seed_demo", stdout=io.StringIO())
    assert OpportunityPage.objects.live().count() == 10
    assert len({p.community_id for p in OpportunityPage.objects.all()}) >= 5
    assert HoursEntry.objects.filter(status="approved", source="shift").exists()
    assert HoursEntry.objects.filter(status="pending", source="self_report").count() >= 3
    assert SignUp.objects.filter(status="waitlisted").exists()
    assert SignUp.objects.filter(team__isnull=False).count() == Team.objects.get().members.count()
    assert Certificate.objects.count() == 1
    counts = (SignUp.objects.count(), HoursEntry.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (SignUp.objects.count(), HoursEntry.objects.count()) == counts
    assert OpportunityPage.objects.count() == 10
