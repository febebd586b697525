import pytest

from stations import geo
from stations.models import Confirmation
from tests.stations.conftest import P
from tests.stations.factories import make_station

URL = "/api/v3/stations/"
QUERY = {"lat": P[0], "lng": P[1], "amenity": "battery_charging", "open_now": "true"}


def titles(body):
    return [item["title"] for item in body["items"]]


class TestHolidayEvening:
    def test_the_right_three_nearest_first_with_distances(self, client, holiday_evening):
        response = client.get(URL, QUERY)
        assert response.status_code == 200, response.content
        body = response.json()
        assert titles(body) == ["甲站", "乙站（夜班）", "丙站（24 小时）"]
        assert [item["distance_m"] for item in body["items"]] == [300, 800, 1200]
        assert all(item["open_now"] for item in body["items"])
        assert body["items"][0]["coords"] == "wgs84"
        assert body["items"][0]["lat"] == pytest.approx(holiday_evening["a"].latitude, abs=1e-6)

    def test_closed_for_the_holiday_is_not_among_them_but_listed_without_open_now(self, client, holiday_evening):
        everything = titles(client.get(URL, {**QUERY, "open_now": "false"}).json())
        assert "国庆闭站" in everything and "节假日闭馆站" in everything and "无充电站" not in everything
        assert everything[:3] == ["国庆闭站", "甲站", "节假日闭馆站"]

    def test_gcj02_on_request(self, client, holiday_evening):
        item = client.get(URL, {**QUERY, "coords": "gcj02"}).json()["items"][0]
        lat, lng = geo.wgs84_to_gcj02(holiday_evening["a"].latitude, holiday_evening["a"].longitude)
        assert item["coords"] == "gcj02"
        assert item["lat"] == pytest.approx(lat, abs=1e-6) and item["lng"] == pytest.approx(lng, abs=1e-6)
        assert item["distance_m"] == 300  # distances are measured in WGS-84 whatever the output

    def test_geojson_with_osm_opening_hours(self, client, holiday_evening):
        response = client.get(URL + "geojson", QUERY)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/geo+json")
        body = response.json()
        assert body["type"] == "FeatureCollection" and len(body["features"]) == 3
        first = body["features"][0]
        assert first["geometry"]["coordinates"] == [pytest.approx(P[1]), pytest.approx(holiday_evening["a"].latitude)]
        assert first["properties"]["opening_hours"] == "Mo-Su 08:00-23:00"
        night = body["features"][1]["properties"]["opening_hours"]
        assert night == "Mo-Su 18:00-06:00"

    def test_the_list_costs_the_same_queries_for_more_stations(self, client, holiday_evening,
                                                               django_assert_max_num_queries):
        client.get(URL, QUERY)
        with django_assert_max_num_queries(14) as few:
            client.get(URL, {**QUERY, "open_now": "false", "limit": 3})
        for i in range(15):
            make_station(P[0] + 0.0001 * i, P[1] + 0.0001, amenities=("battery_charging",))
        with django_assert_max_num_queries(len(few.captured_queries)):
            body = client.get(URL, {**QUERY, "open_now": "false", "limit": 20}).json()
        assert body["count"] == 20


class TestAtNight:
    def test_closed_stations_add_no_queries_at_three_in_the_morning(self, client, db, time_machine,
                                                                     django_assert_max_num_queries):
        """Everything near is closed at 03:00; the one all-night station is 20 km away. The search
        used to read the hours of every closed station on the way, 40 at a time (900 queries for
        the bench's 10,000)."""
        import datetime

        from tests.stations.conftest import SHANGHAI, T, north

        time_machine.move_to(datetime.datetime(2026, 11, 18, 3, 0, tzinfo=SHANGHAI), tick=False)
        day = [(d, T(7, 0), T(23, 0)) for d in range(7)]
        night = make_station(north(20_000), P[1], hours=[(d, T(22, 0), T(6, 0)) for d in range(7)],
                             amenities=("battery_charging",), title="夜班站")
        make_station(north(100), P[1], hours=day, amenities=("battery_charging",))
        client.get(URL, QUERY)
        with django_assert_max_num_queries(20) as few:
            assert titles(client.get(URL, QUERY).json()) == ["夜班站"]
        for i in range(90):
            make_station(north(200 + 10 * i), P[1], hours=day, amenities=("battery_charging",))
        with django_assert_max_num_queries(len(few.captured_queries)):
            body = client.get(URL, QUERY).json()
        assert titles(body) == ["夜班站"] and body["items"][0]["open_now"]
        assert client.get("/stations/", {**QUERY, "open_now": "on"}).status_code == 200
        assert night.title in client.get("/stations/", {"open_now": "on"}).content.decode()


class TestBadInput:
    @pytest.mark.parametrize("params", [{"lat": 91, "lng": 120}, {"lat": 30}, {"limit": 21}, {"amenity": "jacuzzi"},
                                        {"coords": "bd09"}, {"kind": "castle"}])
    def test_refused_with_422(self, client, db, params):
        response = client.get(URL, params)
        assert response.status_code == 422, (params, response.content)
        assert response["Content-Type"].startswith("application/problem+json")

    def test_unknown_station_is_404(self, client, db):
        assert client.get(URL + "999999/").status_code == 404


class TestConfirmations:
    def test_a_rider_says_the_water_is_off_and_the_next_rider_sees_it(self, client, holiday_evening, member):
        station = holiday_evening["a"]
        client.force_login(member)
        response = client.post(f"{URL}{station.pk}/confirmations/", {"item": "drinking_water", "state": "no",
                                                                    "note": "饮水机坏了"}, content_type="application/json")
        assert response.status_code == 201, response.content
        client.logout()
        detail = client.get(f"{URL}{station.pk}/").json()
        assert detail["status"]["state"] == "fresh"
        assert detail["status"]["confirmations"] == [{"item": "drinking_water", "state": "no", "note": "饮水机坏了",
                                                      "confirmed_at": detail["status"]["confirmed_at"]}]
        listed = client.get(URL, QUERY).json()["items"][0]
        assert listed["status"]["confirmations"][0]["state"] == "no"

    def test_nobody_confirmed_for_n_days_shows_unconfirmed(self, client, holiday_evening, member, time_machine):
        import datetime

        station = holiday_evening["a"]
        Confirmation.objects.create(station=station, member=member, item="drinking_water", state="yes")
        assert client.get(f"{URL}{station.pk}/").json()["status"]["state"] == "fresh"
        time_machine.shift(datetime.timedelta(days=4))
        status = client.get(f"{URL}{station.pk}/").json()["status"]
        assert status["state"] == "unconfirmed" and status["confirmations"] == []
        assert status["confirmed_at"] is not None  # when it was last checked is still said

    def test_anonymous_cannot_confirm(self, client, holiday_evening):
        response = client.post(f"{URL}{holiday_evening['a'].pk}/confirmations/", {"item": "open", "state": "yes"},
                               content_type="application/json")
        assert response.status_code in (401, 403)
        assert not Confirmation.objects.exists()


class TestLiveStatus:
    def test_station_staff_close_it_today_and_it_drops_out_of_open_now(self, client, holiday_evening,
                                                                       staff_client_for):
        staff = staff_client_for("Station staff")
        station = holiday_evening["a"]
        response = staff.put(f"{URL}{station.pk}/status/", {"closed_today": True, "closed_reason": "停电"},
                             content_type="application/json")
        assert response.status_code == 200, response.content
        assert response.json()["closed_today"] is True and response.json()["closed_reason"] == "停电"
        staff.logout()
        assert "甲站" not in titles(client.get(URL, QUERY).json())

    def test_closing_needs_a_reason_and_a_member_may_not(self, client, holiday_evening, member, staff_client_for):
        station = holiday_evening["a"]
        client.force_login(member)
        assert client.put(f"{URL}{station.pk}/status/", {"seats_free": 3},
                          content_type="application/json").status_code == 403
        staff = staff_client_for("Station staff")
        response = staff.put(f"{URL}{station.pk}/status/", {"closed_today": True}, content_type="application/json")
        assert response.status_code == 422 and response.json()["code"] == "reason_required"
