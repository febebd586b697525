from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import UserFactory


@pytest.fixture
def program_index(db):
    from wagtail.models import Page

    from programs.models import ProgramIndexPage

    existing = ProgramIndexPage.objects.first()
    if existing:
        return existing
    home = Page.objects.filter(depth=2).first()
    if home is None:  # a transactional test flushed the tables the migrations filled
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        home = root.add_child(instance=Page(title="首页", slug="home"))
    index = ProgramIndexPage(title="公益课堂", slug="programs")
    home.add_child(instance=index)
    return index


@pytest.fixture
def make_program(program_index):
    """``make_program(places=[10], days=3, **page_fields)`` -> a live ProgramPage with sessions."""
    from programs import services
    from programs.models import ProgramPage, Session

    counter = {"n": 0}

    def make(places=(10,), days=3, hours=2, title=None, **fields):
        counter["n"] += 1
        page = ProgramPage(title=title or f"测试课程{counter['n']}", slug=f"test-program-{counter['n']}", **fields)
        program_index.add_child(instance=page)
        start = timezone.now() + timedelta(days=days)
        for i, total in enumerate(places):
            begin = start + timedelta(days=7 * i)
            services.save_session(None, Session(program=page, start=begin, end=begin + timedelta(hours=hours),
                                                places=total, place="青石街道党群服务中心二楼"))
        return ProgramPage.objects.get(pk=page.pk)

    return make


@pytest.fixture
def make_member(db):
    def make(**kwargs):
        return UserFactory(**kwargs)

    return make


@pytest.fixture
def program_staff(db):
    from tests.factories import staff_user

    return staff_user("Program staff")


# --- a logged-in client per role -------------------------------------------------------------

@pytest.fixture
def program_staff_client(db):
    """A client logged in as program staff (``.user`` is who)."""
    from tests.factories import logged_in_client, staff_user

    return logged_in_client(staff_user("Program staff"))


@pytest.fixture
def resident_client(db):
    """A client logged in as a resident member (``.user`` is who)."""
    from members.models import User
    from tests.factories import logged_in_client

    return logged_in_client(UserFactory(kind=User.Kind.RESIDENT))
