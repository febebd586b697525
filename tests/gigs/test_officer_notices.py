"""When a need is flagged or a day's work disputed, every gig-station officer is told (e-mail when
they have an address, else SMS) with a link to their open items, which lists both."""

from decimal import Decimal

import pytest
from django.utils import timezone

from core.models import NotificationLog
from gigs import queries, services
from gigs.errors import GigError
from tests.factories import UserFactory, logged_in_client, staff_user
from tests.gigs import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers():
    """Two officers, one without an e-mail address; and a colleague of another role."""
    staff_user("Program staff")
    return factories.officer(), factories.officer(email="")


def _told(kind):
    return {(n.user_id, n.channel) for n in NotificationLog.objects.filter(kind=kind)}


def _every_officer():
    """(officer, channel) for every officer (the factories make some too), none of another role."""
    return {(o.pk, "email" if o.email else "sms") for o in queries.officers()}


def test_a_flag_tells_every_officer_once_per_need(officers, client, django_capture_on_commit_callbacks):
    by_mail, by_sms = officers
    need = factories.need(title="日结搬运工")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/gigs/needs/{need.pk}/flag/", {"reason": "deposit", "detail": "要先交200押金"})
    assert response.status_code == 302
    assert _told("gigs.flag_received") == _every_officer()
    assert {(by_mail.pk, "email"), (by_sms.pk, "sms")} <= _every_officer()
    body = NotificationLog.objects.get(kind="gigs.flag_received", user=by_sms).body
    assert "日结搬运工" in body and need.employer.name in body and "/admin/gigs/open/" in body
    # More flags on the same need join the open item; nobody is texted again.
    with django_capture_on_commit_callbacks(execute=True):
        services.flag_need(UserFactory(), need.pk, reason="agent")
        client.post(f"/gigs/needs/{need.pk}/flag/", {"reason": "fake"})
    assert NotificationLog.objects.filter(kind="gigs.flag_received").count() == len(_every_officer())
    # Once decided, a new flag on it is news again.
    for flag in need.flags.filter(status="open"):
        services.decide_flag(by_mail, flag.pk, uphold=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.flag_need(UserFactory(), need.pk, reason="unfair")
    assert NotificationLog.objects.filter(kind="gigs.flag_received").count() == 2 * len(_every_officer())


def test_a_refused_flag_tells_nobody(officers, django_capture_on_commit_callbacks):
    need = factories.need()
    reporter = UserFactory()
    services.flag_need(reporter, need.pk, reason="deposit")
    NotificationLog.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(GigError):
        services.flag_need(reporter, need.pk, reason="deposit")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(GigError):
        services.flag_need(reporter, need.pk, reason="not-a-reason")
    assert not NotificationLog.objects.filter(kind="gigs.flag_received").exists()


def test_a_dispute_tells_every_officer(officers, django_capture_on_commit_callbacks):
    by_mail, by_sms = officers
    need = factories.need(days_ahead=-2, title="夜班分拣")
    application = factories.hire(need)
    record = services.record_work(application.worker, application.pk, date=timezone.localdate(), hours=Decimal("4"))
    boss = services.employer_staff(need.employer)[0]
    with django_capture_on_commit_callbacks(execute=True):
        services.dispute_work(boss, record.pk, reason="九点就走了")
    assert _told("gigs.dispute_received") == _every_officer()
    assert {(by_mail.pk, "email"), (by_sms.pk, "sms")} <= _every_officer()
    body = NotificationLog.objects.get(kind="gigs.dispute_received", user=by_mail).body
    assert "夜班分拣" in body and "九点就走了" in body and "/admin/gigs/open/" in body


def test_the_open_items_list_shows_flags_and_disputes_oldest_first(officers, django_capture_on_commit_callbacks):
    officer = officers[0]
    flagged = factories.need(title="可疑的高薪工作")
    services.flag_need(UserFactory(), flagged.pk, reason="deposit", detail="先交押金")
    services.flag_need(UserFactory(), flagged.pk, reason="agent")
    need = factories.need(days_ahead=-2, title="仓库理货")
    application = factories.hire(need)
    record = services.record_work(application.worker, application.pk, date=timezone.localdate(), hours=Decimal("4"))
    services.dispute_work(services.employer_staff(need.employer)[0], record.pk, reason="只干了两小时")
    client = logged_in_client(officer)
    page = client.get("/admin/gigs/open/")
    body = page.content.decode()
    assert page.status_code == 200
    assert body.index("可疑的高薪工作") < body.index("仓库理货")
    assert body.count('data-kind="flag"') == 1 and body.count('data-kind="dispute"') == 1
    assert "(2)" in body and "只干了两小时" in body
    assert "/admin/gigs/open/" in client.get("/admin/").content.decode()
    # Settled, they leave the list.
    services.decide_flag(officer, flagged.flags.first().pk, uphold=True)
    services.resolve_dispute(officer, record.pk, resolution="按两小时算", hours=Decimal("2"))
    body = client.get("/admin/gigs/open/").content.decode()
    assert 'data-kind="' not in body


def test_only_officers_see_the_open_items():
    for user in (staff_user("Program staff"), UserFactory(is_staff=True), UserFactory()):
        assert logged_in_client(user).get("/admin/gigs/open/").status_code in (302, 403)
