"""Factories for every programs model. Rows that hold seats are made through the services, as
the product makes them, so a factory never leaves seats and registrations disagreeing."""

from datetime import timedelta

import factory
from django.utils import timezone

from programs import services
from programs.models import Attendance, ProgramIndexPage, ProgramPage, Registration, Session
from tests.factories import UserFactory, staff_user


def _home():
    from wagtail.models import Page

    home = Page.objects.filter(depth=2).first()
    if home is None:  # a transactional test flushed the tables the migrations filled
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        home = root.add_child(instance=Page(title="首页", slug="home"))
    return home


class ProgramIndexPageFactory(factory.Factory):
    """The one programs index (``max_count = 1``): the existing one, else a new one under home."""

    class Meta:
        model = ProgramIndexPage

    title = "公益课堂"
    slug = "programs"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        existing = ProgramIndexPage.objects.first()
        if existing:
            return existing
        page = model_class(**kwargs)
        _home().add_child(instance=page)
        return page


class ProgramPageFactory(factory.Factory):
    """A live program with ``sessions`` sessions of ``places`` places, the first ``days`` ahead,
    one week apart (``sessions=0`` for none)."""

    class Meta:
        model = ProgramPage

    title = factory.Sequence(lambda n: f"社区公益课{n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    summary = "街道党群服务中心开设的免费课程"

    @classmethod
    def _create(cls, model_class, *args, sessions=1, places=10, days=3, hours=2, parent=None, **kwargs):
        page = model_class(**kwargs)
        (parent or ProgramIndexPageFactory()).add_child(instance=page)
        start = timezone.now() + timedelta(days=days)
        for i in range(sessions):
            begin = start + timedelta(days=7 * i)
            SessionFactory(program=page, start=begin, end=begin + timedelta(hours=hours), places=places)
        return ProgramPage.objects.get(pk=page.pk)


class SessionFactory(factory.Factory):
    """A session with its seats (services.save_session)."""

    class Meta:
        model = Session

    program = factory.SubFactory(ProgramPageFactory, sessions=0)
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=2))
    places = 10
    place = "青石街道党群服务中心二楼"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.save_session(None, model_class(**kwargs))


class RegistrationFactory(factory.Factory):
    """A member's registration through services.register (confirmed, pending or waitlisted as the
    program decides); ``session=None`` with ``program=`` of a series for a whole-course one."""

    class Meta:
        model = Registration

    member = factory.SubFactory(UserFactory)
    session = factory.SubFactory(SessionFactory)
    program = factory.LazyAttribute(lambda o: o.session.program)
    channel = Registration.Channel.APP

    @classmethod
    def _create(cls, model_class, *args, member, session, program, channel, **kwargs):
        program = ProgramPage.objects.get(pk=program.pk)
        return services.register(member, program, None if program.is_series else session, channel=channel,
                                 via="system")


class AttendanceFactory(factory.Factory):
    """A check-in at a session that started ten minutes ago, registered and checked in by
    program staff (services.register_on_behalf, services.check_in_registration)."""

    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory, start=factory.LazyFunction(
        lambda: timezone.now() - timedelta(minutes=10)))
    member = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, session, member, **kwargs):
        staff = staff_user("Program staff")
        program = session.program
        registration = services.register_on_behalf(staff, member, program, None if program.is_series else session,
                                                   via="system")
        services.check_in_registration(staff, session, registration, via="system")
        return Attendance.objects.get(registration=registration, session=session)
