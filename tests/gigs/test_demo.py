"""The gig station's demo content: what issue 12 promises to show, made through the services,
twice without change."""

import io

import pytest
from django.core.management import call_command

from core.models import Capacity
from gigs.models import Application, Employer, JobNeed, WorkerProfile, WorkRecord

pytestmark = pytest.mark.django_db


def test_demo_has_every_state_and_is_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    assert Employer.objects.filter(kind="enterprise").count() == 12
    assert Employer.objects.filter(status="pending").count() == 2
    assert JobNeed.objects.count() == 40
    assert set(JobNeed.objects.values_list("status", flat=True)) == {"draft", "pending", "open", "filled", "expired",
                                                                     "closed"}
    assert WorkerProfile.objects.count() == 200
    assert set(Application.objects.values_list("status", flat=True)) >= {
        "applied", "shortlisted", "interview", "offered", "hired", "completed", "declined", "withdrawn"}
    assert WorkRecord.objects.filter(status="disputed").count() == 1
    assert WorkRecord.objects.filter(status="confirmed").exists()
    # Headcounts and hires agree: each need's capacity row counts its hired (and completed) workers.
    for need in JobNeed.objects.select_related("capacity"):
        holding = need.applications.filter(status__in=("hired", "completed")).count()
        assert need.capacity.taken == holding - need.applications.filter(status="completed").count() or \
            need.capacity.taken == holding, need.title
    counts = (JobNeed.objects.count(), Application.objects.count(), Capacity.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (JobNeed.objects.count(), Application.objects.count(), Capacity.objects.count()) == counts
