import datetime

import pytest

from stations import geo, hours

T = datetime.time
D = datetime.date


@pytest.mark.parametrize("wgs, gcj", [
    ((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),  # Shanghai
    ((22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),  # Shenzhen
    ((39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),  # Beijing
])
def test_wgs84_to_gcj02_matches_published_points(wgs, gcj):
    lat, lng = geo.wgs84_to_gcj02(*wgs)
    assert lat == pytest.approx(gcj[0], abs=1e-9) and lng == pytest.approx(gcj[1], abs=1e-9)


def test_gcj02_is_wgs84_outside_china():
    assert geo.wgs84_to_gcj02(51.5007, -0.1246) == (51.5007, -0.1246)


def test_haversine_and_the_box_around_it():
    # One degree of latitude is ~111.2 km on the mean sphere.
    assert geo.haversine_m(30.0, 120.0, 31.0, 120.0) == pytest.approx(111_195, rel=1e-3)
    min_lat, max_lat, min_lng, max_lng = geo.bounding_box(30.27, 120.16, 2_000)
    # The box holds the points 2 km due north and due east (and nothing much beyond).
    assert geo.haversine_m(30.27, 120.16, max_lat, 120.16) == pytest.approx(2_000, rel=1e-6)
    assert geo.haversine_m(30.27, 120.16, 30.27, max_lng) == pytest.approx(2_000, rel=1e-3)


def schedule(**kw):
    s = hours.Schedule(**{k: v for k, v in kw.items() if k in ("follows_office_calendar", "closed_on")})
    for d, o, c in kw.get("weekly", []):
        s.add_hours(d, o, c)
    return s


def at(date, h, m=0):
    return datetime.datetime.combine(date, T(h, m))


WEEKDAYS = {D(2026, 10, 1): "holiday", D(2026, 9, 30): "weekday", D(2026, 10, 10): "workday",
            D(2026, 10, 9): "weekday", D(2026, 12, 1): "weekday", D(2026, 11, 30): "weekday"}


class TestOpen:
    def test_weekday_hours(self):
        s = schedule(weekly=[(1, T(8, 30), T(17, 30))])  # Tuesdays
        assert hours.is_open(s, at(D(2026, 12, 1), 9), WEEKDAYS)
        assert not hours.is_open(s, at(D(2026, 12, 1), 17, 30), WEEKDAYS)

    def test_overnight_runs_into_the_next_morning(self):
        s = schedule(weekly=[(0, T(18, 0), T(6, 0))])  # Monday night
        assert hours.is_open(s, at(D(2026, 12, 1), 5, 59), WEEKDAYS)  # Tuesday 05:59
        assert not hours.is_open(s, at(D(2026, 12, 1), 6, 0), WEEKDAYS)

    def test_office_calendar(self):
        office = schedule(weekly=[(d, T(8, 30), T(17, 30)) for d in range(5)], follows_office_calendar=True)
        assert not hours.is_open(office, at(D(2026, 10, 1), 10), WEEKDAYS)  # National Day, a Thursday
        assert hours.is_open(office, at(D(2026, 10, 10), 10), WEEKDAYS)  # the Saturday worked in exchange
        plain = schedule(weekly=[(d, T(8, 30), T(17, 30)) for d in range(5)])
        assert hours.is_open(plain, at(D(2026, 10, 1), 10), WEEKDAYS)  # ignores the calendar
        assert not hours.is_open(plain, at(D(2026, 10, 10), 10), WEEKDAYS)

    def test_public_holiday_hours_and_exceptions_and_closed_today(self):
        s = schedule(weekly=[(3, T(8, 0), T(22, 0))])
        s.add_hours(hours.PUBLIC_HOLIDAY, T(10, 0), T(16, 0))
        assert not hours.is_open(s, at(D(2026, 10, 1), 18), WEEKDAYS)
        assert hours.is_open(s, at(D(2026, 10, 1), 11), WEEKDAYS)
        s.add_exception(D(2026, 10, 1), closed=True)
        assert not hours.is_open(s, at(D(2026, 10, 1), 11), WEEKDAYS)
        t = schedule(weekly=[(1, T(0, 0), T(0, 0))], closed_on=D(2026, 12, 1))
        assert not hours.is_open(t, at(D(2026, 12, 1), 11), WEEKDAYS)


def test_osm_opening_hours_string():
    s = schedule(weekly=[(d, T(8, 30), T(17, 30)) for d in range(5)] + [(5, T(9, 0), T(12, 0)), (6, T(9, 0), T(12, 0))],
                 follows_office_calendar=True)
    s.add_exception(D(2026, 12, 24), closed=True)
    s.add_exception(D(2026, 12, 31), closed=False, opens=T(9, 0), closes=T(15, 0))
    assert hours.osm_opening_hours(s, D(2026, 12, 1)) == (
        "Mo-Fr 08:30-17:30; Sa,Su 09:00-12:00; PH off; 2026 Dec 24 off; 2026 Dec 31 09:00-15:00")
    all_day = schedule(weekly=[(d, T(0, 0), T(0, 0)) for d in range(7)])
    assert hours.osm_opening_hours(all_day, D(2026, 12, 1)) == "Mo-Su 00:00-24:00"
