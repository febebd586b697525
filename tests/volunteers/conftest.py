from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import UserFactory


@pytest.fixture
def opportunity_index(db):
    from wagtail.models import Page

    from volunteers.models import OpportunityIndexPage

    existing = OpportunityIndexPage.objects.first()
    if existing:
        return existing
    home = Page.objects.filter(depth=2).first()
    if home is None:  # a transactional test flushed the tables the migrations filled
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        home = root.add_child(instance=Page(title="首页", slug="home"))
    return home.add_child(instance=OpportunityIndexPage(title="志愿服务", slug="volunteer"))


@pytest.fixture
def make_opportunity(opportunity_index):
    """``make_opportunity(places=[10], hours_from_now=48, outputs=["发放传单"])`` -> a live page whose
    shifts have their places in core.capacity."""
    from volunteers import services
    from volunteers.models import OpportunityOutput, OpportunityPage, Shift

    counter = {"n": 0}

    def make(places=(10,), hours_from_now=48, length=2, outputs=(), title=None, **fields):
        counter["n"] += 1
        page = OpportunityPage(title=title or f"测试志愿活动{counter['n']}", slug=f"test-opportunity-{counter['n']}",
                               place="青石社区党群服务中心", **fields)
        for label in outputs:
            page.outputs.add(OpportunityOutput(label=label, unit="份"))
        opportunity_index.add_child(instance=page)
        start = timezone.now() + timedelta(hours=hours_from_now)
        for i, total in enumerate(places):
            begin = start + timedelta(days=i)
            Shift.objects.create(opportunity=page, start=begin, end=begin + timedelta(hours=length), places=total)
        services.sync_shift_places(page)
        return OpportunityPage.objects.get(pk=page.pk)

    return make


@pytest.fixture
def make_member(db):
    def make(**kwargs):
        return UserFactory(**kwargs)

    return make


@pytest.fixture
def coordinator(db):
    from tests.factories import staff_user

    return staff_user("Volunteer coordinators")


def first_shift(opportunity):
    from volunteers.models import Shift

    return Shift.objects.select_related("opportunity", "capacity").filter(opportunity=opportunity).order_by("start").first()
