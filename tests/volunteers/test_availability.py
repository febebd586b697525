"""A volunteer says when they can usually help (weekday and time) on the profile page or through
the API: saved in weekday order, and every bad slot refused with the reason, nothing changed."""

import pytest

from volunteers import services
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db

PAGE = "/volunteers/me/profile/"


def _post(client, slots, **fields):
    data = {"availability-TOTAL_FORMS": str(len(slots)), "availability-INITIAL_FORMS": "0",
            "availability-MIN_NUM_FORMS": "0", "availability-MAX_NUM_FORMS": "21",
            "real_name": "王小蜂", "leaderboard_consent": "", **fields}
    for n, (day, start, end) in enumerate(slots):
        data.update({f"availability-{n}-weekday": day, f"availability-{n}-start": start, f"availability-{n}-end": end})
    return client.post(PAGE, data)


def _availability(member):
    """What is stored ([] also when a refused first change left no profile at all)."""
    profile = VolunteerProfile.objects.filter(member=member).first()
    return profile.availability if profile else []


def test_the_page_saves_slots_in_weekday_order_and_shows_them_again(client, member):
    client.force_login(member)
    page = client.get(PAGE)
    assert page.status_code == 200 and 'name="availability-0-weekday"' in page.content.decode()
    response = _post(client, [("5", "08:00", "12:00"), ("", "", ""), ("1", "18:30", "21:00"), ("5", "14:00", "17:00")])
    assert response.status_code == 302
    assert _availability(member) == [{"weekday": 1, "start": "18:30", "end": "21:00"},
                                     {"weekday": 5, "start": "08:00", "end": "12:00"},
                                     {"weekday": 5, "start": "14:00", "end": "17:00"}]
    again = client.get(PAGE).content.decode()
    # Three kept rows, in order, and two empty ones to add more.
    assert 'name="availability-TOTAL_FORMS" value="5"' in again
    assert 'name="availability-0-start" value="18:30"' in again and 'name="availability-2-end" value="17:00"' in again
    assert "周二 18:30-21:00" in VolunteerProfile.objects.get(member=member).availability_text()


def test_emptying_every_row_clears_it(client, member):
    services.update_profile(member, member, availability=[{"weekday": 0, "start": "09:00", "end": "11:00"}])
    client.force_login(member)
    assert _post(client, [("", "", "")]).status_code == 302
    assert _availability(member) == []


@pytest.mark.parametrize(("slots", "message"), [
    ([("2", "10:00", "09:00")], "周三：结束时间必须晚于开始时间"),
    ([("2", "09:00", "12:00"), ("2", "11:00", "13:00")], "周三：两个时间段重叠"),
    ([("2", "09:00", "")], "请填写星期、开始和结束时间，或三项都留空"),
    ([("9", "09:00", "10:00")], "选择一个有效的选项"),
    ([("2", "25:00", "26:00")], "输入一个有效的时间"),
])
def test_a_bad_slot_is_explained_and_nothing_changes(client, member, slots, message):
    kept = [{"weekday": 6, "start": "08:00", "end": "10:00"}]
    services.update_profile(member, member, availability=kept, real_name="原名")
    client.force_login(member)
    response = _post(client, slots)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _availability(member) == kept
    assert VolunteerProfile.objects.get(member=member).real_name == "原名"


def test_too_many_rows_are_refused(client, member):
    client.force_login(member)
    response = _post(client, [("0", f"{h:02d}:00", f"{h:02d}:30") for h in range(22)])
    assert response.status_code == 200 and _availability(member) == []


@pytest.mark.parametrize("slots", [
    [{"weekday": 3, "start": "12:00", "end": "08:00"}],
    [{"weekday": 3, "start": "08:00", "end": "12:00"}, {"weekday": 3, "start": "10:00", "end": "14:00"}],
])
def test_the_api_refuses_the_same_with_422(client, member, slots):
    client.force_login(member)
    response = client.put("/api/v3/volunteers/profile/", {"availability": slots}, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "invalid_profile"
    assert _availability(member) == []
    fine = client.put("/api/v3/volunteers/profile/", {"availability": slots[:1] if len(slots) > 1 else
                                                      [{"weekday": 3, "start": "08:00", "end": "12:00"}]},
                      content_type="application/json")
    assert fine.status_code == 200 and fine.json()["availability"] == [{"weekday": 3, "start": "08:00", "end": "12:00"}]
