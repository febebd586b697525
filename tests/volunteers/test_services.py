"""The volunteers services as a user meets them: places, waiting list, teams, QR check-in and
out, the ledger, approval, corrections and certificates."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from core.errors import NotAllowed
from core.models import Capacity, NotificationLog
from tests.volunteers.conftest import first_shift
from volunteers import services
from volunteers.models import Certificate, Correction, HoursEntry, SignUp, Team
from volunteers.services import VolunteerError

pytestmark = pytest.mark.django_db

Status = SignUp.Status


@pytest.mark.tasks
def test_sign_up_takes_a_place_and_texts_the_code(make_opportunity, make_member, django_capture_on_commit_callbacks,
                                                   task_worker):
    shift = first_shift(make_opportunity(places=[2]))
    member = make_member()
    with django_capture_on_commit_callbacks(execute=True):
        signup = services.sign_up(member, shift)
    task_worker.wait()
    assert signup.status == Status.CONFIRMED
    assert Capacity.objects.get(pk=shift.capacity_id).taken == 1
    log = NotificationLog.objects.get(user=member)
    assert log.kind == "volunteers.confirmed" and signup.check_in_code in log.body


def test_full_shift_puts_people_on_the_waiting_list_and_withdrawal_promotes_the_first(
        make_opportunity, make_member, django_capture_on_commit_callbacks):
    shift = first_shift(make_opportunity(places=[1]))
    first, second, third = make_member(), make_member(), make_member()
    services.sign_up(first, shift)
    waiting = [services.sign_up(second, shift), services.sign_up(third, shift)]
    assert [(s.status, s.position) for s in waiting] == [(Status.WAITLISTED, 1), (Status.WAITLISTED, 2)]
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(first, SignUp.objects.get(member=first).pk)
    second_now, third_now = SignUp.objects.get(member=second), SignUp.objects.get(member=third)
    assert second_now.status == Status.CONFIRMED and second_now.position is None
    assert third_now.status == Status.WAITLISTED and third_now.position == 1
    assert Capacity.objects.get(pk=shift.capacity_id).taken == 1
    assert NotificationLog.objects.filter(user=second, kind="volunteers.promoted").exists()


def test_without_waiting_list_a_full_shift_refuses(make_opportunity, make_member):
    shift = first_shift(make_opportunity(places=[1], waitlist_enabled=False))
    services.sign_up(make_member(), shift)
    with pytest.raises(VolunteerError) as exc:
        services.sign_up(make_member(), shift)
    assert exc.value.code == "full"
    assert SignUp.objects.count() == 1


def test_signing_up_twice_is_refused(make_opportunity, make_member):
    shift = first_shift(make_opportunity())
    member = make_member()
    services.sign_up(member, shift)
    with pytest.raises(VolunteerError) as exc:
        services.sign_up(member, shift)
    assert exc.value.code == "duplicate"


def test_overlapping_shifts_of_one_person_are_refused_with_the_other_named(make_opportunity, make_member):
    a = first_shift(make_opportunity(hours_from_now=48, length=3, title="垃圾分类督导"))
    b = first_shift(make_opportunity(hours_from_now=50, length=2, title="反诈宣传"))
    member = make_member()
    services.sign_up(member, a)
    with pytest.raises(VolunteerError) as exc:
        services.sign_up(member, b)
    assert exc.value.code == "overlap" and "垃圾分类督导" in str(exc.value.message)
    assert not SignUp.objects.filter(shift=b).exists()
    assert Capacity.objects.get(pk=b.capacity_id).taken == 0


def test_withdrawal_after_the_cut_off_is_refused_but_a_coordinator_can_cancel(
        make_opportunity, make_member, coordinator, django_capture_on_commit_callbacks):
    shift = first_shift(make_opportunity(hours_from_now=5, withdraw_cutoff_hours=12))
    member = make_member()
    signup = services.sign_up(member, shift)
    with pytest.raises(VolunteerError) as exc:
        services.withdraw(member, signup.pk)
    assert exc.value.code == "cutoff"
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(coordinator, signup.pk, reason="活动改期")
    assert SignUp.objects.get(pk=signup.pk).status == Status.CANCELLED
    assert NotificationLog.objects.filter(user=member, kind="volunteers.cancelled").exists()
    with pytest.raises(NotAllowed):
        services.withdraw(make_member(), signup.pk)


def test_team_sign_up_is_all_or_nothing(make_opportunity, make_member):
    shift = first_shift(make_opportunity(places=[3]))
    leader = make_member()
    riders = [make_member() for _ in range(3)]
    team = Team.objects.create(name="城西站点骑手队", leader=leader)
    team.members.add(*riders)
    with pytest.raises(VolunteerError) as exc:
        services.team_sign_up(leader, team, shift, [leader.pk] + [r.pk for r in riders])
    assert exc.value.code == "not_enough"
    assert not SignUp.objects.exists() and Capacity.objects.get(pk=shift.capacity_id).taken == 0
    signups = services.team_sign_up(leader, team, shift, [r.pk for r in riders])
    assert len(signups) == 3 and all(s.team_id == team.pk and s.status == Status.CONFIRMED for s in signups)
    assert Capacity.objects.get(pk=shift.capacity_id).taken == 3


def test_only_the_leader_signs_a_team_up_and_only_its_members(make_opportunity, make_member):
    shift = first_shift(make_opportunity(places=[5]))
    leader, rider, stranger = make_member(), make_member(), make_member()
    team = Team.objects.create(name="东站骑手队", leader=leader)
    team.members.add(rider)
    with pytest.raises(VolunteerError) as exc:
        services.team_sign_up(rider, team, shift, [rider.pk])
    assert exc.value.code == "not_team_leader"
    with pytest.raises(VolunteerError) as exc:
        services.team_sign_up(leader, team, shift, [rider.pk, stranger.pk])
    assert exc.value.code == "not_in_team"
    assert not SignUp.objects.exists()


def _checked_in(make_opportunity, make_member, coordinator, **kwargs):
    opportunity = make_opportunity(hours_from_now=24, length=3, outputs=["发放传单"], **kwargs)
    shift = first_shift(opportunity)
    member = make_member()
    signup = services.sign_up(member, shift)
    return shift, member, signup


def test_scan_in_and_out_clips_to_the_shift_and_records_outputs(make_opportunity, make_member, coordinator):
    shift, member, signup = _checked_in(make_opportunity, make_member, coordinator)
    with time_machine.travel(shift.start - timedelta(minutes=40), tick=False):
        _signup, created = services.check_in(coordinator, shift, signup.check_in_code.lower())
        assert created
        _signup, again = services.check_in(coordinator, shift, signup.check_in_code)
        assert not again
    with time_machine.travel(shift.start + timedelta(hours=2), tick=False):
        entry = services.check_out(member, signup.pk, outputs={"发放传单": 120}, shift_code=shift.check_in_code)
    assert entry.minutes == 120  # the 40 minutes before the start do not count
    assert entry.status == HoursEntry.Status.PENDING and entry.source == HoursEntry.Source.SHIFT
    assert [(o.label, o.quantity) for o in entry.outputs.all()] == [("发放传单", 120)]
    assert SignUp.objects.get(pk=signup.pk).status == Status.COMPLETED


def test_volunteer_scans_the_shift_code_to_check_in(make_opportunity, make_member, coordinator):
    shift, member, signup = _checked_in(make_opportunity, make_member, coordinator)
    with time_machine.travel(shift.start + timedelta(minutes=5), tick=False):
        with pytest.raises(VolunteerError) as exc:
            services.self_check_in(member, signup.check_in_code)  # their own code is not the shift's
        assert exc.value.code == "invalid_code"
        _signup, created = services.self_check_in(member, shift.check_in_code)
    assert created and SignUp.objects.get(pk=signup.pk).status == Status.CHECKED_IN


def test_check_in_is_refused_before_the_window_and_for_another_shift(make_opportunity, make_member, coordinator):
    shift, member, signup = _checked_in(make_opportunity, make_member, coordinator)
    other = first_shift(make_opportunity(hours_from_now=100))
    with pytest.raises(VolunteerError) as exc:
        services.check_in(coordinator, shift, signup.check_in_code)
    assert exc.value.code == "check_in_closed"
    with pytest.raises(VolunteerError) as exc:
        services.check_in(coordinator, other, signup.check_in_code)
    assert exc.value.code == "wrong_shift"
    with pytest.raises(VolunteerError) as exc:
        forged = signup.check_in_code[:-1] + ("A" if signup.check_in_code[-1] != "A" else "B")
        services.check_in(coordinator, shift, forged)
    assert exc.value.code == "invalid_code"
    with pytest.raises(NotAllowed):
        services.check_in(make_member(), shift, signup.check_in_code)


def test_an_output_the_opportunity_does_not_count_is_refused(make_opportunity, make_member, coordinator):
    shift, member, signup = _checked_in(make_opportunity, make_member, coordinator)
    with time_machine.travel(shift.start + timedelta(minutes=5), tick=False):
        services.check_in(coordinator, shift, signup.check_in_code)
        with pytest.raises(VolunteerError) as exc:
            services.check_out(member, signup.pk, outputs={"垃圾袋": 3})
    assert exc.value.code == "unknown_output"
    assert SignUp.objects.get(pk=signup.pk).status == Status.CHECKED_IN and not HoursEntry.objects.exists()


def test_who_never_checks_out_is_closed_at_the_shift_end_and_flagged(make_opportunity, make_member, coordinator):
    shift, member, signup = _checked_in(make_opportunity, make_member, coordinator)
    absent = services.sign_up(make_member(), shift)
    with time_machine.travel(shift.start + timedelta(minutes=30), tick=False):
        services.check_in(coordinator, shift, signup.check_in_code)
    counts = services.close_shift(shift.pk, now=shift.end + timedelta(hours=8))
    assert counts == {"auto_checked_out": 1, "no_show": 1}
    entry = HoursEntry.objects.get(member=member)
    assert entry.flagged and entry.minutes == 150 and entry.end == shift.end  # not credited with the night
    assert SignUp.objects.get(pk=absent.pk).status == Status.NO_SHOW
    assert services.close_shift(shift.pk, now=shift.end + timedelta(hours=9)) == {"auto_checked_out": 0, "no_show": 0}


def _past(hours_ago, length_minutes):
    end = timezone.now() - timedelta(hours=hours_ago)
    return end - timedelta(minutes=length_minutes), end


def test_self_report_waits_unless_under_the_auto_approve_limit(make_member, settings_limit):
    member = make_member()
    start, end = _past(30, 60)
    assert services.self_report(member, activity="楼道清扫", start=start, end=end).status == HoursEntry.Status.PENDING
    settings_limit(90)
    start, end = _past(10, 60)
    assert services.self_report(member, activity="楼道清扫", start=start, end=end).status == HoursEntry.Status.APPROVED


@pytest.fixture
def settings_limit(db):
    from wagtail.models import Site

    from volunteers.models import VolunteerSettings

    def set_limit(minutes):
        site = Site.objects.get(is_default_site=True)
        VolunteerSettings.objects.update_or_create(site=site, defaults={"self_report_auto_approve_minutes": minutes})

    return set_limit


def test_the_same_minutes_never_count_twice(make_member):
    member = make_member()
    start, end = _past(5, 120)
    services.self_report(member, activity="助老陪伴", start=start, end=end)
    with pytest.raises(VolunteerError) as exc:
        services.self_report(member, activity="清洁家园", start=start + timedelta(minutes=60), end=end + timedelta(minutes=60))
    assert exc.value.code == "overlap" and "助老陪伴" in str(exc.value.message)
    assert HoursEntry.objects.count() == 1
    # another person at the same time is fine
    services.self_report(make_member(), activity="清洁家园", start=start, end=end)


@pytest.mark.parametrize("shift_minutes, minutes, code", [(-30, None, "bad_period"), (60, 90, "too_many_minutes")])
def test_a_self_report_that_cannot_be_true_is_refused(make_member, shift_minutes, minutes, code):
    end = timezone.now() - timedelta(hours=1)
    with pytest.raises(VolunteerError) as exc:
        services.self_report(make_member(), activity="x" * 3, start=end - timedelta(minutes=shift_minutes), end=end,
                             minutes=minutes)
    assert exc.value.code == code and not HoursEntry.objects.exists()


def test_hours_in_the_future_are_refused(make_member):
    start = timezone.now() + timedelta(hours=1)
    with pytest.raises(VolunteerError) as exc:
        services.self_report(make_member(), activity="明天的活动", start=start, end=start + timedelta(hours=1))
    assert exc.value.code == "future"


def test_coordinator_approves_twenty_at_once_and_each_volunteer_gets_one_notice(
        make_member, coordinator, django_capture_on_commit_callbacks):
    members = [make_member() for _ in range(4)]
    ids = []
    for i in range(20):
        start, end = _past(24 * (i // 4 + 1), 60)
        ids.append(services.self_report(members[i % 4], activity="社区巡逻", start=start, end=end).pk)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.approve(coordinator, ids)
    assert len(result["decided"]) == 20 and result["skipped"] == []
    assert HoursEntry.objects.filter(status=HoursEntry.Status.APPROVED, decided_by=coordinator).count() == 20
    assert NotificationLog.objects.filter(kind="volunteers.approved").count() == 4
    again = services.approve(coordinator, ids[:3])
    assert again["decided"] == [] and again["skipped"] == sorted(ids[:3])


def test_decline_needs_a_reason_keeps_the_entry_and_frees_its_minutes(make_member, coordinator):
    member = make_member()
    start, end = _past(3, 60)
    entry = services.self_report(member, activity="社区巡逻", start=start, end=end)
    with pytest.raises(VolunteerError):
        services.decline(coordinator, [entry.pk], reason=" ")
    services.decline(coordinator, [entry.pk], reason="当天无此活动记录")
    entry.refresh_from_db()
    assert entry.status == HoursEntry.Status.DECLINED and entry.decline_reason == "当天无此活动记录"
    services.self_report(member, activity="社区巡逻（补报）", start=start, end=end)  # no longer counted
    with pytest.raises(NotAllowed):
        services.approve(member, [entry.pk])


def test_a_correction_changes_nothing_until_the_coordinator_accepts_it(make_member, coordinator):
    member = make_member()
    start, end = _past(6, 60)
    entry = services.self_report(member, activity="助老陪伴", start=start, end=end)
    correction = services.request_correction(member, entry.pk, start=start, end=end + timedelta(minutes=30),
                                             reason="忘记算上回程陪同")
    entry.refresh_from_db()
    assert entry.minutes == 60
    with pytest.raises(VolunteerError) as exc:
        services.request_correction(member, entry.pk, start=start, end=end, reason="再改一次")
    assert exc.value.code == "open_correction"
    services.decide_correction(coordinator, correction.pk, accept=True)
    entry.refresh_from_db()
    assert entry.minutes == 90 and entry.status == HoursEntry.Status.APPROVED
    assert Correction.objects.get(pk=correction.pk).status == Correction.Status.ACCEPTED


def test_certificate_totals_approved_hours_is_numbered_and_can_be_revoked(make_member, coordinator):
    member = make_member(display_name="王晓华")
    services.update_profile(member, member, real_name="王晓华", id_number="330102199001011234", volunteer_number="ZJ2024001")
    for hours_ago in (30, 60):
        start, end = _past(hours_ago, 90)
        entry = services.self_report(member, activity="反诈宣传", start=start, end=end)
        services.approve(coordinator, [entry.pk])
    start, end = _past(2, 60)
    services.self_report(member, activity="未审核的活动", start=start, end=end)  # pending: not certified
    today = timezone.localdate()
    first = services.issue_certificate(member, member, period_start=today - timedelta(days=10), period_end=today)
    second = services.issue_certificate(coordinator, member, period_start=today - timedelta(days=10), period_end=today)
    assert first.total_minutes == 180
    assert first.content["masked_id"] == "330102********1234" and first.content["name"] == "王晓华"
    assert [a["activity"] for a in first.content["activities"]] == ["反诈宣传"]
    assert first.number.endswith("-000001") and second.number.endswith("-000002")
    with pytest.raises(NotAllowed):
        services.issue_certificate(make_member(), member, period_start=today, period_end=today)
    services.revoke_certificate(coordinator, first.pk, reason="时长录入有误")
    assert not Certificate.objects.get(pk=first.pk).is_valid
    with pytest.raises(VolunteerError) as exc:
        services.revoke_certificate(coordinator, first.pk, reason="再次")
    assert exc.value.code == "revoked"


def test_no_certificate_without_approved_hours(make_member):
    member = make_member()
    today = timezone.localdate()
    with pytest.raises(VolunteerError) as exc:
        services.issue_certificate(member, member, period_start=today - timedelta(days=30), period_end=today)
    assert exc.value.code == "nothing_to_certify" and not Certificate.objects.exists()


def test_every_change_is_in_the_audit_trail(make_opportunity, make_member, coordinator):
    from wagtail.models import ModelLogEntry

    shift = first_shift(make_opportunity())
    member = make_member()
    signup = services.sign_up(member, shift)
    services.withdraw(member, signup.pk)
    start, end = _past(3, 60)
    entry = services.self_report(member, activity="社区巡逻", start=start, end=end)
    services.approve(coordinator, [entry.pk], via="api")
    actions = list(ModelLogEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-4:] == ["volunteers.sign_up", "volunteers.withdraw", "volunteers.self_report", "volunteers.approve"]
    approval = ModelLogEntry.objects.filter(action="volunteers.approve").get()
    assert approval.user_id == coordinator.pk and approval.data["via"] == "api"
    assert approval.data["on_behalf_of"]["id"] == member.pk


def test_more_places_move_the_waiting_list_up(make_opportunity, make_member):
    opportunity = make_opportunity(places=[1])
    shift = first_shift(opportunity)
    services.sign_up(make_member(), shift)
    waiting = services.sign_up(make_member(), shift)
    shift.places = 2
    shift.save()
    services.sync_shift_places(opportunity)
    assert SignUp.objects.get(pk=waiting.pk).status == Status.CONFIRMED
    assert Capacity.objects.get(pk=shift.capacity_id).total == 2
