import io

import pytest
from django.core.management import call_command

from stations.models import (
    Confirmation,
    LiveStatus,
    PartyMember,
    PartyOrganisation,
    ReportIn,
    StationPage,
)
from tests.stations.conftest import P


class TestNearestListWithoutJavaScript:
    def test_a_point_in_the_form_lists_the_open_ones_nearest_first(self, client, holiday_evening):
        page = client.get("/stations/", {"lat": P[0], "lng": P[1], "amenity": "battery_charging", "open_now": "on"})
        assert page.status_code == 200
        html = page.content.decode()
        assert html.index("甲站") < html.index("乙站（夜班）") < html.index("丙站（24 小时）")
        assert "国庆闭站" not in html and "节假日闭馆站" not in html
        assert "300 米" in html and "1.2 公里" in html

    def test_a_community_choice_is_the_point_when_no_location_is_shared(self, client, holiday_evening):
        from core.models import Community

        Community.objects.create(name="荷花社区", code="hehua-t", latitude=P[0], longitude=P[1])
        html = client.get("/stations/", {"community": "hehua-t", "open_now": "on"}).content.decode()
        assert "离荷花社区最近" in html and "甲站" in html and "国庆闭站" not in html

    def test_half_a_point_is_explained_not_a_500(self, client, holiday_evening):
        page = client.get("/stations/", {"lat": "30.27"})
        assert page.status_code == 200 and "请同时填写纬度和经度" in page.content.decode()

    def test_the_station_page_shows_what_the_last_rider_found(self, client, holiday_evening, member):
        station = holiday_evening["a"]
        client.force_login(member)
        response = client.post(f"/stations/{station.pk}/confirm/", {"item": "drinking_water", "state": "no"})
        assert response.status_code == 302
        client.logout()
        html = client.get(station.url).content.decode()
        assert "饮用水: <strong>没有或已损坏</strong>" in html
        assert Confirmation.objects.count() == 1


@pytest.mark.django_db
def test_demo_content(client):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # safe to run again
    assert StationPage.objects.live().count() == 20
    assert StationPage.objects.values("community").distinct().count() == 6
    assert LiveStatus.objects.filter(closed_on__isnull=False).exists()
    assert PartyOrganisation.objects.count() == 4 and PartyMember.objects.filter(is_mobile=True).count() == 2
    assert ReportIn.objects.count() == 1
    assert client.get("/stations/").status_code == 200
    index = client.get(StationPage.objects.first().get_parent().url)
    assert index.status_code == 200 and "荷花路小蜂驿站" in index.content.decode()
