"""The gig station's rules, through the services as every page, the API and the admin use them."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from core import audit
from core.models import Capacity, NotificationLog
from gigs import queries, services
from gigs.errors import GigError
from gigs.models import Application, JobNeed, NeedFlag, WorkRecord
from tests.factories import UserFactory
from tests.gigs import factories

pytestmark = pytest.mark.django_db


def test_a_material_change_sends_an_open_need_back_to_review_and_a_deadline_does_not(officer):
    need = factories.need()
    boss = services.employer_staff(need.employer)[0]
    services.update_need(boss, need.pk, deadline=timezone.now() + datetime.timedelta(days=2))
    assert JobNeed.objects.get(pk=need.pk).status == "open"
    services.update_need(boss, need.pk, pay_amount=Decimal("150"))
    assert JobNeed.objects.get(pk=need.pk).status == "pending"
    assert audit.entries_for(need).filter(action="gigs.need_changed").count() == 2


def test_the_headcount_never_goes_below_the_hired():
    need = factories.need(headcount=3)
    factories.hire(need)
    factories.hire(need)
    boss = services.employer_staff(need.employer)[0]
    with pytest.raises(GigError) as refused:
        services.update_need(boss, need.pk, headcount=1)
    assert refused.value.code == "headcount_below_hired"
    assert Capacity.objects.get(key=need.capacity_key).total == 3


def test_suspending_an_employer_hides_its_needs_and_stops_applications(officer):
    need = factories.need()
    assert need in queries.public_needs()
    with pytest.raises(GigError):
        services.decide_employer(officer, need.employer_id, "suspend")  # a reason is required
    services.decide_employer(officer, need.employer_id, "suspend", reason="多名工人反映拖欠工资")
    assert need not in queries.public_needs()
    with pytest.raises(GigError) as refused:
        services.apply(factories.worker(), need.pk)
    assert refused.value.code == "not_open"


def test_staff_of_another_enterprise_cannot_act_for_it():
    need = factories.need()
    application = services.apply(factories.worker(), need.pk)
    stranger = services.employer_staff(factories.employer())[0]
    with pytest.raises(services.NotAllowed):
        services.move(stranger, application.pk, "shortlisted")
    with pytest.raises(services.NotAllowed):
        services.close_need(stranger, need.pk)
    assert Application.objects.get(pk=application.pk).status == "applied"


def test_several_staff_of_one_enterprise_act_for_it():
    need = factories.need()
    boss = services.employer_staff(need.employer)[0]
    colleague = UserFactory(kind="enterprise")
    services.add_employer_staff(boss, need.employer_id, colleague)
    application = services.apply(factories.worker(), need.pk)
    services.move(colleague, application.pk, "shortlisted")
    assert Application.objects.get(pk=application.pk).status == "shortlisted"


def test_needs_expire_on_schedule_and_can_be_renewed():
    need = factories.need(deadline=timezone.now() + datetime.timedelta(hours=1))
    assert services.expire_needs() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
        assert services.expire_needs() == 1
    assert JobNeed.objects.get(pk=need.pk).status == "expired"
    boss = services.employer_staff(need.employer)[0]
    today = timezone.localdate()
    services.renew_need(boss, need.pk, start_date=today, end_date=today + datetime.timedelta(days=3))
    assert JobNeed.objects.get(pk=need.pk).status == "pending"


def test_a_record_nobody_answers_is_confirmed_after_48_hours():
    need = factories.need(days_ahead=-2)
    application = factories.hire(need)
    record = services.record_work(application.worker, application.pk, date=timezone.localdate() - datetime.timedelta(days=1),
                                  hours=Decimal("4"))
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=47)):
        assert services.auto_confirm_records() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=49)):
        assert services.auto_confirm_records() == 1
    assert WorkRecord.objects.get(pk=record.pk).status == "auto_confirmed"


def test_a_dispute_goes_to_an_officer_and_lowers_the_employers_reliability(officer):
    need = factories.need(days_ahead=-2)
    application = factories.hire(need)
    assert queries.employer_reliability([need.employer_id]) == {need.employer_id: 1.0}
    record = services.record_work(application.worker, application.pk, date=timezone.localdate(), hours=Decimal("4"))
    boss = services.employer_staff(need.employer)[0]
    with pytest.raises(GigError):
        services.dispute_work(application.worker, record.pk, reason="我自己的记录")  # not awaiting the worker
    services.dispute_work(boss, record.pk, reason="九点就走了")
    assert list(queries.disputes()) == [WorkRecord.objects.get(pk=record.pk)]
    services.resolve_dispute(officer, record.pk, resolution="双方同意按三小时算", hours=Decimal("3"))
    record.refresh_from_db()
    assert record.status == "resolved" and record.hours == Decimal("3.0")
    assert queries.employer_reliability([need.employer_id])[need.employer_id] < 1.0


def test_a_no_show_gives_the_place_back_and_a_late_cancellation_counts():
    need = factories.need(headcount=1, days_ahead=0, shift=("23:00", "23:59"))
    first = factories.hire(need)
    assert JobNeed.objects.get(pk=need.pk).status == "filled"
    boss = services.employer_staff(need.employer)[0]
    services.move(boss, first.pk, "declined")
    assert JobNeed.objects.get(pk=need.pk).status == "open"
    assert Capacity.objects.get(key=need.capacity_key).taken == 0
    assert Application.objects.get(pk=first.pk).late_cancellation is True
    second = factories.hire(need)
    services.move(boss, second.pk, "no_show")
    assert Capacity.objects.get(key=need.capacity_key).taken == 0


def test_ratings_only_after_completion_and_once_each_way():
    need = factories.need()
    application = factories.hire(need)
    with pytest.raises(GigError) as early:
        services.rate(application.worker, application.pk, stars=5)
    assert early.value.code == "not_completed"
    boss = services.employer_staff(need.employer)[0]
    services.move(boss, application.pk, "completed")
    services.rate(application.worker, application.pk, stars=4)
    services.rate(boss, application.pk, stars=5)
    with pytest.raises(GigError) as twice:
        services.rate(application.worker, application.pk, stars=1)
    assert twice.value.code == "already_rated"


def test_a_flag_upheld_closes_the_need_and_tells_the_employer(officer, django_capture_on_commit_callbacks):
    need = factories.need()
    flag = services.flag_need(UserFactory(), need.pk, reason=NeedFlag.Reason.DEPOSIT, detail="面试要先交 200 元服装费")
    assert list(queries.flagged_needs()) == [flag]
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_flag(officer, flag.pk, uphold=True, note="要求交押金，违反规定")
    assert JobNeed.objects.get(pk=need.pk).status == "closed"
    assert not queries.flagged_needs().exists()
    boss = services.employer_staff(need.employer)[0]
    assert NotificationLog.objects.filter(user=boss, kind="gigs.need_closed_by_officer").exists()


@pytest.mark.tasks
def test_subscribed_workers_hear_of_a_new_need_that_suits_them(django_capture_on_commit_callbacks, task_worker):
    keen = factories.worker(subscribed=True, subscribe_min_score=60)
    picky = factories.worker(subscribed=True, subscribe_min_score=100)
    quiet = factories.worker(subscribed=False)
    with django_capture_on_commit_callbacks(execute=True):
        factories.need()
    ran = task_worker.wait()
    if task_worker.real:
        assert "gigs.services.notify_subscribers_task" in ran
    told = set(NotificationLog.objects.filter(kind="gigs.new_need").values_list("user_id", flat=True))
    assert keen.pk in told and picky.pk not in told and quiet.pk not in told


def test_why_not_names_each_reason():
    need = factories.need(requires_health_certificate=True, shift=("08:00", "12:00"))
    rider = factories.worker()
    match = queries.why_not(queries.profile_of(rider), need)
    text = " ".join(str(reason) for reason in match.why_not)
    assert "health certificate" in text or "健康证" in text
    assert "08:00" in text
    assert need not in [m.need for m in queries.recommended_for(queries.profile_of(rider))]


def test_an_overnight_shift_counts_the_hours_after_midnight():
    need = factories.need(shift=("22:00", "02:00"))
    owl = factories.worker(availability=[{"weekday": d, "start": "20:00", "end": "03:00"} for d in range(7)])
    match = queries.why_not(queries.profile_of(owl), need)
    assert match.suitable and any("100%" in reason for reason in match.reasons)


def test_a_consultation_slot_never_takes_more_than_its_places():
    from gigs.models import ConsultationSlot

    start = timezone.now() + datetime.timedelta(days=1)
    slot = ConsultationSlot.objects.create(start=start, end=start + datetime.timedelta(hours=1), places=1, place="驿站")
    services.book_consultation(UserFactory(), slot.pk)
    with pytest.raises(GigError) as full:
        services.book_consultation(UserFactory(), slot.pk)
    assert full.value.code == "slot_full"


def test_the_member_home_shows_a_hire(officer):
    from core.plugins import member_home

    need = factories.need()
    application = factories.hire(need)
    sections = member_home(application.worker)
    gig = next(s for s in sections if s.link_url.endswith("/gigs/me/applications/"))
    assert [item.title for item in gig.items] == [need.title]
