from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from core.errors import NotAllowed
from core.models import NotificationLog
from programs import queries, services
from programs.models import Attendance, Registration
from programs.services import ProgramError

pytestmark = pytest.mark.django_db(transaction=False)

Status = Registration.Status


def code_of(exc_info):
    return exc_info.value.code


def test_register_claims_a_seat_and_sends_notice(make_program, make_member, django_capture_on_commit_callbacks):
    program = make_program(places=[2])
    session = program.session_list[0]
    member = make_member()
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(member, program, session)
    assert registration.status == Status.CONFIRMED
    session.capacity.refresh_from_db()
    assert session.capacity.taken == 1
    log = NotificationLog.objects.get(user=member)
    assert log.kind == "programs.confirmed"
    assert registration.check_in_code in log.body


def test_no_notice_when_transaction_rolls_back(make_program, make_member, django_capture_on_commit_callbacks):
    from django.db import transaction

    program = make_program(places=[2])
    member = make_member()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.register(member, program, program.session_list[0])
            raise RuntimeError("boom")
    assert not NotificationLog.objects.exists()
    assert not Registration.objects.exists()


def test_full_goes_to_waiting_list_in_order(make_program, make_member):
    program = make_program(places=[1])
    session = program.session_list[0]
    first, second, third = make_member(), make_member(), make_member()
    assert services.register(first, program, session).status == Status.CONFIRMED
    r2 = services.register(second, program, session)
    r3 = services.register(third, program, session)
    assert (r2.status, r2.position) == (Status.WAITLISTED, 1)
    assert (r3.status, r3.position) == (Status.WAITLISTED, 2)


def test_full_without_waiting_list_is_refused(make_program, make_member):
    program = make_program(places=[1], waitlist_enabled=False)
    session = program.session_list[0]
    services.register(make_member(), program, session)
    with pytest.raises(ProgramError) as exc:
        services.register(make_member(), program, session)
    assert code_of(exc) == "full" and exc.value.status == 409
    assert Registration.objects.count() == 1


def test_a_class_already_full_is_refused_before_any_lock_or_registration_read(make_program, make_member):
    """Most callers of a popular class arrive after it filled: they are answered "full" from the
    seats as read, without queueing for the member's and the seats' locks. The check under the
    lock stays the one that decides (test_races)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    program = make_program(places=[1, 1], waitlist_enabled=False)
    session = program.session_list[0]
    services.register(make_member(), program, session)
    late = make_member()
    from programs.models import Session

    as_the_api_reads_it = Session.objects.select_related("capacity").get(pk=session.pk)
    for target in (as_the_api_reads_it, program.session_list[0]):  # its capacity selected, or not
        with CaptureQueriesContext(connection) as queries, pytest.raises(ProgramError) as exc:
            services.register(late, program, target)
        assert code_of(exc) == "full"
        # Only whether the caller holds a place already (they are told "duplicate" then): no
        # lock on the member, none on the seats.
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        assert "members_user" not in sql and "FOR UPDATE" not in sql and "INSERT" not in sql
    assert Registration.objects.count() == 1
    # With a waiting list, a full class still takes the caller (under the lock): no early refusal.
    listed = make_program(places=[1])
    services.register(make_member(), listed, listed.session_list[0])
    assert services.register(late, listed, listed.session_list[0]).status == Status.WAITLISTED


def test_cancel_promotes_first_waiting_and_tells_them(make_program, make_member, django_capture_on_commit_callbacks):
    program = make_program(places=[1])
    session = program.session_list[0]
    a, b, c = make_member(), make_member(), make_member()
    ra = services.register(a, program, session)
    rb = services.register(b, program, session)
    services.register(c, program, session)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(a, ra.pk)
    rb.refresh_from_db()
    assert rb.status == Status.CONFIRMED and rb.position is None
    assert NotificationLog.objects.filter(user=b, kind="programs.promoted").count() == 1
    assert Registration.objects.get(member=c).position == 1  # moved up the queue
    session.capacity.refresh_from_db()
    assert session.capacity.taken == 1
    assert Registration.objects.get(member=c).status == Status.WAITLISTED


def test_duplicate_ineligible_closed_past_limit(make_program, make_member):
    program = make_program(places=[5, 5, 5], per_member_limit=2, eligible_kinds=["worker"])
    s1, s2, s3 = program.session_list
    worker = make_member(kind="worker")
    services.register(worker, program, s1)
    with pytest.raises(ProgramError) as exc:
        services.register(worker, program, s1)
    assert code_of(exc) == "duplicate"
    services.register(worker, program, s2)
    with pytest.raises(ProgramError) as exc:
        services.register(worker, program, s3)
    assert code_of(exc) == "limit"
    with pytest.raises(ProgramError) as exc:
        services.register(make_member(kind="resident"), program, s1)
    assert code_of(exc) == "ineligible"

    closed = make_program(registration_closes=timezone.now() - timedelta(hours=1))
    with pytest.raises(ProgramError) as exc:
        services.register(make_member(), closed, closed.session_list[0])
    assert code_of(exc) == "closed"

    past = make_program(days=-1)
    with pytest.raises(ProgramError) as exc:
        services.register(make_member(), past, past.session_list[0])
    assert code_of(exc) == "past"


def test_series_claims_every_session_and_half_claims_roll_back(make_program, make_member):
    program = make_program(places=[2, 1], enrolment="series")
    a, b = make_member(), make_member()
    ra = services.register(a, program)
    assert ra.status == Status.CONFIRMED and ra.session is None
    rb = services.register(b, program)  # the second session is full: waiting list, nothing half-taken
    assert rb.status == Status.WAITLISTED
    first, second = program.session_list
    first.capacity.refresh_from_db()
    second.capacity.refresh_from_db()
    assert (first.capacity.taken, second.capacity.taken) == (1, 1)
    with pytest.raises(ProgramError) as exc:
        services.register(make_member(), program, first)
    assert code_of(exc) == "series_only"

    # no waiting list: refused as full, and the free first session keeps no stray seat
    strict = make_program(places=[2, 1], enrolment="series", waitlist_enabled=False)
    services.register(make_member(), strict)
    with pytest.raises(ProgramError) as exc:
        services.register(make_member(), strict)
    assert code_of(exc) == "full"
    first, second = strict.session_list
    first.capacity.refresh_from_db()
    second.capacity.refresh_from_db()
    assert (first.capacity.taken, second.capacity.taken) == (1, 1)
    assert strict.registrations.count() == 1


def test_approval_flow(make_program, make_member, program_staff, django_capture_on_commit_callbacks):
    program = make_program(places=[1], approval_required=True)
    member = make_member()
    registration = services.register(member, program, program.session_list[0])
    assert registration.status == Status.PENDING
    with pytest.raises(Exception) as exc:
        services.approve(member, registration.pk)
    assert exc.value.status == 403
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(program_staff, registration.pk)
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    assert NotificationLog.objects.filter(kind="programs.approved", user=member).exists()


def test_on_behalf_skips_window_but_not_capacity(make_program, make_member, program_staff):
    program = make_program(places=[1], waitlist_enabled=False,
                           registration_closes=timezone.now() - timedelta(hours=1))
    caller = make_member(kind="resident")
    registration = services.register_on_behalf(program_staff, caller, program, program.session_list[0])
    assert registration.registered_by == program_staff and registration.channel == "phone"
    with pytest.raises(ProgramError) as exc:
        services.register_on_behalf(program_staff, make_member(), program, program.session_list[0])
    assert code_of(exc) == "full"
    with pytest.raises(Exception) as exc:
        services.register_on_behalf(caller, make_member(), program, program.session_list[0])
    assert exc.value.status == 403


def test_check_in_idempotent_and_wrong_session(make_program, make_member, program_staff):
    program = make_program(places=[3, 3], days=0, hours=2)
    s1, s2 = program.session_list
    member = make_member()
    registration = services.register_on_behalf(program_staff, member, program, s1)
    reg, created = services.check_in(program_staff, s1, registration.check_in_code.lower())
    assert created and reg.status == Status.ATTENDED
    reg, created = services.check_in(program_staff, s1, registration.check_in_code)
    assert not created
    assert Attendance.objects.count() == 1
    with pytest.raises(ProgramError) as exc:
        services.check_in(program_staff, s2, registration.check_in_code)
    assert code_of(exc) == "wrong_session"
    with pytest.raises(ProgramError) as exc:
        services.check_in(program_staff, s1, f"R{registration.pk}-AAAAAAAA")
    assert code_of(exc) == "invalid_code"


def test_walk_in_registers_and_checks_in(make_program, make_member, program_staff):
    program = make_program(places=[2], days=0)
    session = program.session_list[0]
    member = make_member()
    registration, created = services.walk_in(program_staff, session, member)
    assert created and registration.status == Status.ATTENDED and registration.channel == "walk_in"
    session.capacity.refresh_from_db()
    assert session.capacity.taken == 1


def test_certificate_needs_every_session(make_program, make_member, program_staff):
    program = make_program(places=[3, 3], days=0, enrolment="series")
    member = make_member()
    registration = services.register_on_behalf(program_staff, member, program)
    s1, s2 = program.session_list
    services.check_in(program_staff, s1, registration.check_in_code)
    with pytest.raises(ProgramError) as exc:
        services.certificate_registration(member, program)
    assert code_of(exc) == "not_completed"
    Attendance.objects.create(registration=registration, session=s2)
    with pytest.raises(ProgramError) as exc:  # attended both, but the second is next week
        services.certificate_registration(member, program)
    assert code_of(exc) == "not_completed"
    with time_machine.travel(s2.end + timedelta(minutes=1)):
        assert services.certificate_registration(member, program).pk == registration.pk


def test_no_certificate_before_the_course_took_place_even_if_checked_in_early(make_program, make_member,
                                                                             program_staff):
    program = make_program(places=[3], days=2, enrolment="series")
    member = make_member()
    registration = services.register_on_behalf(program_staff, member, program)
    (session,) = program.session_list
    Attendance.objects.create(registration=registration, session=session)
    Registration.objects.filter(pk=registration.pk).update(status=Status.ATTENDED)
    with pytest.raises(ProgramError) as exc:
        services.certificate_registration(member, program)
    assert code_of(exc) == "not_completed"
    assert program.pk not in queries.completed_program_ids(member)
    with time_machine.travel(session.end + timedelta(seconds=1)):
        assert program.pk in queries.completed_program_ids(member)
        assert services.certificate_registration(member, program).pk == registration.pk


def test_deleting_an_account_frees_the_seat(make_program, make_member):
    program = make_program(places=[1])
    session = program.session_list[0]
    a, b = make_member(), make_member()
    services.register(a, program, session)
    rb = services.register(b, program, session)
    a.delete()
    rb.refresh_from_db()
    assert rb.status == Status.CONFIRMED
    session.capacity.refresh_from_db()
    assert session.capacity.taken == 1
    rb.delete()  # deleting a registration (admin) gives its seat back too
    session.capacity.refresh_from_db()
    assert session.capacity.taken == 0


def test_more_places_promote_the_waiting_list(make_program, make_member, django_capture_on_commit_callbacks):
    program = make_program(places=[1])
    session = program.session_list[0]
    services.register(make_member(), program, session)
    waiting = services.register(make_member(), program, session)
    session.places = 2
    with django_capture_on_commit_callbacks(execute=True):
        services.save_session(None, session)
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert NotificationLog.objects.filter(kind="programs.promoted", user=waiting.member).exists()


def test_promoting_two_keeps_the_queue_numbered(make_program, make_member):
    program = make_program(places=[2])
    session = program.session_list[0]
    seated = [services.register(make_member(), program, session) for _ in range(2)]
    waiting = [services.register(make_member(), program, session) for _ in range(4)]
    assert [w.position for w in waiting] == [1, 2, 3, 4]
    session.places = 4
    services.save_session(None, session)  # two more places: the first two move up
    positions = {r.pk: (r.status, r.position) for r in Registration.objects.filter(pk__in=[w.pk for w in waiting])}
    assert [positions[w.pk] for w in waiting] == [
        (Status.CONFIRMED, None), (Status.CONFIRMED, None), (Status.WAITLISTED, 1), (Status.WAITLISTED, 2)]
    services.cancel(waiting[2].member, waiting[2].pk)
    assert Registration.objects.get(pk=waiting[3].pk).position == 1
    assert len(seated) == 2


def test_no_show_rate_counts_ended_sessions_only(make_program, make_member, program_staff):
    program = make_program(places=[5], days=0, hours=2)
    session = program.session_list[0]
    code = services.register_on_behalf(program_staff, make_member(), program, session).check_in_code
    services.register_on_behalf(program_staff, make_member(), program, session)
    assert queries.no_show_rate(program) is None  # nothing has ended yet
    after = session.end + timedelta(minutes=1)
    assert queries.no_show_rate(program, now=after) == 1.0
    services.check_in(program_staff, session, code)
    assert queries.no_show_rate(program, now=after) == 0.5


def test_staff_registering_for_a_session_of_a_course_enrol_the_caller_in_the_whole_course(make_program, program_staff):
    course = make_program(places=[2, 2], enrolment="series")
    registration = services.register_for_session(program_staff, course.session_list[1], phone="13900004444",
                                                 display_name="周大姐")
    assert registration.session is None and registration.slot == "series" and registration.channel == "phone"
    assert [s.remaining for s in type(course).objects.get(pk=course.pk).session_list] == [1, 1]
    with pytest.raises(NotAllowed):
        services.register_for_session(registration.member, course.session_list[0], phone="13900005555",
                                      display_name="吴")


def test_a_place_freed_after_the_session_ended_is_not_offered_to_the_waiting_list(
        make_program, make_member, program_staff, django_capture_on_commit_callbacks):
    from programs.models import Session

    program = make_program(places=[1], days=0)
    session = program.session_list[0]
    no_show = services.register_on_behalf(program_staff, make_member(), program, session)
    waiting = services.register_on_behalf(program_staff, make_member(), program, session)
    assert waiting.status == Status.WAITLISTED
    yesterday = timezone.now() - timedelta(days=1)
    Session.objects.filter(pk=session.pk).update(start=yesterday, end=yesterday + timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(program_staff, no_show.pk, reason="没来")
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITLISTED
    assert not NotificationLog.objects.filter(user=waiting.member, kind="programs.promoted").exists()


def test_notices_and_refusals_reach_members_in_chinese(make_program, make_member, program_staff,
                                                        django_capture_on_commit_callbacks):
    program = make_program(places=[1], title="消防安全课")
    session = program.session_list[0]
    holder, waiting = make_member(), make_member()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.register(holder, program, session)
        services.register(waiting, program, session)
        services.cancel(program_staff, first.pk)
    bodies = dict(NotificationLog.objects.values_list("kind", "body"))
    assert bodies["programs.confirmed"].startswith("您已报名消防安全课")
    assert bodies["programs.waitlisted"].startswith("消防安全课名额已满")
    assert bodies["programs.cancelled_by_staff"].startswith("工作人员已取消您对消防安全课")
    assert bodies["programs.promoted"].startswith("好消息：消防安全课")
    with pytest.raises(NotAllowed) as refused:
        services.approve(holder, first.pk)
    assert str(refused.value.message) == "只有活动工作人员可以执行此操作。"
