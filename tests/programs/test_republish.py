"""A program with registrations can be unpublished and published again (API, admin, seed)."""

import pytest

from programs import services
from programs.models import ProgramPage, Registration

pytestmark = pytest.mark.django_db


def test_republishing_a_revision_older_than_the_sessions_keeps_them(make_program, make_member):
    """As the demo seed leaves it: the page's revision was saved before its sessions were added,
    so publishing that revision again would delete sessions people registered for (RESTRICT:
    a 500 from the API and the admin's bulk publish, and the page stayed offline)."""
    program = make_program(places=[5, 5], days=3)
    revision = program.save_revision()  # made before... the sessions below are newer than it
    program = ProgramPage.objects.get(pk=program.pk)
    services.register(make_member(), program, program.session_list[0])
    program.unpublish()
    from wagtail.models import Revision

    Revision.objects.filter(pk=revision.pk).update(content={**revision.content, "sessions": []})
    revision.refresh_from_db()
    revision.publish()
    program = ProgramPage.objects.get(pk=program.pk)
    assert program.live
    # The session people registered for stays; the empty one follows the revision (it had none).
    assert list(program.sessions.all()) == [Registration.objects.get().session]


def test_republishing_the_demo_seeds_kind_of_revision(program_index, make_member):
    """The seed adds sessions to the page in memory and saves one revision: the revision's
    sessions have no ids. Registrations made since must survive publishing it again."""
    from datetime import timedelta

    from django.utils import timezone

    from programs.models import Session

    page = ProgramPage(title="电动车消防安全课", slug="ebike-fire")
    program_index.add_child(instance=page)
    begin = timezone.now() + timedelta(days=3)
    for day in (0, 7):
        page.sessions.add(Session(start=begin + timedelta(days=day), end=begin + timedelta(days=day, hours=2),
                                  places=10))
    page.save_revision().publish()
    program = ProgramPage.objects.get(pk=page.pk)
    services.register(make_member(), program, program.session_list[0])
    program.unpublish()
    program.get_latest_revision().publish()
    program = ProgramPage.objects.get(pk=page.pk)
    assert program.live and program.sessions.count() == 2
    assert Registration.objects.get().session.program_id == program.pk


def test_republish_through_the_api_after_unpublish(make_program, make_member, client):
    from wagtail.models import APIToken

    from tests.factories import UserFactory

    program = make_program(places=[5], days=3)
    program.save_revision()
    services.register(make_member(), program, program.session_list[0])
    _, token = APIToken.create_token(user=UserFactory(is_superuser=True, is_staff=True), name="t")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post(f"/api/v3/pages/{program.pk}/actions/unpublish/", {}, content_type="application/json",
                       headers=headers).status_code == 200
    response = client.post(f"/api/v3/pages/{program.pk}/actions/publish/", {}, content_type="application/json",
                           headers=headers)
    assert response.status_code == 200, response.content
    assert ProgramPage.objects.get(pk=program.pk).live
