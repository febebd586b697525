"""An officer sends a need to its matching workers from the admin: a button on the need, a page
that says who would be texted, and after confirming a message saying how many were told."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages

from core.models import NotificationLog
from gigs import services
from tests.factories import UserFactory, logged_in_client, staff_user
from tests.gigs import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def need_and_workers():
    need = factories.need(title="双十一夜班分拣")
    suited = [factories.worker() for _ in range(3)]
    # Too far away, and one who hid their profile from employers: neither is told.
    far = factories.worker(at=(Decimal("31.274100"), Decimal("121.155100")))
    hidden = factories.worker(searchable=False)
    return need, suited, far, hidden


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_button_is_on_the_need_and_the_page_asks_first(officer_client, need_and_workers):
    need, suited, far, hidden = need_and_workers
    push_url = f"/admin/gigs/needs/{need.pk}/push/"
    assert push_url in officer_client.get("/admin/gig_needs/").content.decode()
    assert push_url in officer_client.get(f"/admin/gig_needs/inspect/{need.pk}/").content.decode()
    page = officer_client.get(push_url)
    body = page.content.decode()
    assert page.status_code == 200
    for worker in suited:
        assert str(worker) in body
    assert str(far) not in body and str(hidden) not in body
    assert "1.3" in body
    # Looking at the page told nobody.
    assert not NotificationLog.objects.filter(kind="gigs.match_pushed").exists()


def test_confirming_texts_the_workers_and_the_employer_once(officer_client, need_and_workers,
                                                            django_capture_on_commit_callbacks):
    need, suited, far, hidden = need_and_workers
    boss = services.employer_staff(need.employer)[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(f"/admin/gigs/needs/{need.pk}/push/", follow=True)
    assert response.redirect_chain[0][0] == f"/admin/gig_needs/inspect/{need.pk}/"
    assert any("3" in m and "双十一夜班分拣" in m for m in _messages(response)), _messages(response)
    told = set(NotificationLog.objects.filter(kind="gigs.match_pushed").values_list("user_id", flat=True))
    assert told == {w.pk for w in suited}
    employer_text = NotificationLog.objects.get(kind="gigs.matches_pushed_employer", user=boss).body
    assert "双十一夜班分拣" in employer_text and "3" in employer_text
    worker_text = NotificationLog.objects.get(kind="gigs.match_pushed", user=suited[0]).body
    assert "双十一夜班分拣" in worker_text and "1.3" in worker_text
    # A second push tells nobody twice; a new worker who suits it is told alone.
    with django_capture_on_commit_callbacks(execute=True):
        again = officer_client.post(f"/admin/gigs/needs/{need.pk}/push/", follow=True)
    assert NotificationLog.objects.filter(kind="gigs.match_pushed").count() == 3
    assert NotificationLog.objects.filter(kind="gigs.matches_pushed_employer").count() == 1
    assert _messages(again) and "双十一夜班分拣" in _messages(again)[0]
    newcomer = factories.worker()
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(f"/admin/gigs/needs/{need.pk}/push/")
    assert NotificationLog.objects.filter(kind="gigs.match_pushed", user=newcomer).count() == 1
    assert NotificationLog.objects.filter(kind="gigs.match_pushed", user__in=suited).count() == 3


def test_a_need_not_open_cannot_be_pushed(officer_client, need_and_workers, django_capture_on_commit_callbacks):
    need, *_ = need_and_workers
    services.close_need(factories.officer(), need.pk)
    assert f"/admin/gigs/needs/{need.pk}/push/" not in officer_client.get(
        f"/admin/gig_needs/inspect/{need.pk}/").content.decode()
    page = officer_client.get(f"/admin/gigs/needs/{need.pk}/push/")
    assert page.status_code == 200 and "<form method=\"post\"" not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(f"/admin/gigs/needs/{need.pk}/push/", follow=True)
    assert _messages(response) == [str(services.GigError("not_open").message)]
    assert not NotificationLog.objects.filter(kind="gigs.match_pushed").exists()
    assert officer_client.get("/admin/gigs/needs/999999/push/").status_code == 404


def test_only_officers_push(need_and_workers):
    need, *_ = need_and_workers
    url = f"/admin/gigs/needs/{need.pk}/push/"
    for client in (logged_in_client(staff_user("Program staff")), logged_in_client(UserFactory(is_staff=True))):
        assert client.get(url).status_code in (302, 403)
        assert client.post(url).status_code in (302, 403)
    assert not NotificationLog.objects.filter(kind="gigs.match_pushed").exists()
