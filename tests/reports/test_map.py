"""The public reports map: /api/v3/reports/geojson (public reports only, rounded points, no
person, the first photo's thumbnail; a bounding box; one cached value for every reader, queries
constant in its size) and the map section on /reports/ (the list's filters, core's Leaflet, the
tile server let in by the page's CSP, cached pages too)."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import services
from tests.core.test_csp import directives
from tests.reports.factories import HEHUA, make_category, north, phone_photo, rider

pytestmark = pytest.mark.django_db
GEOJSON = "/api/v3/reports/geojson"


@pytest.fixture
def filed(hehua):
    rubbish = make_category("rubbish", name="乱堆乱倒垃圾")
    need = make_category("need", name="困难诉求", is_public=False)
    owner = rider(hehua, display_name="王秀英", phone="+8613812345678")
    point = north(HEHUA, 44)
    public = [services.submit(owner, category=rubbish, description=f"河边垃圾{n}", lat=point[0], lng=point[1] + n * 0.01,
                              address="荷花路12号3单元402", uploads=[phone_photo()] if n == 0 else ())
              for n in range(3)]
    private = services.submit(owner, category=need, description="独居老人需要帮助", lat=point[0], lng=point[1])
    return public, private


def test_public_reports_as_geojson_rounded_and_without_a_person(client, filed):
    public, private = filed
    response = client.get(GEOJSON)
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    by_id = {f["id"]: f for f in body["features"]}
    assert set(by_id) == {r.pk for r in public}
    first = by_id[public[0].pk]
    assert first["geometry"] == {"type": "Point", "coordinates": [round(public[0].longitude, 3),
                                                                  round(public[0].latitude, 3)]}
    props = first["properties"]
    assert props["title"] == f"#{public[0].pk} 乱堆乱倒垃圾" and props["url"] == f"/reports/{public[0].pk}/"
    assert props["open"] and props["community"] == "荷花社区"
    assert props["thumbnail_url"] == f"/reports/photos/{public[0].photos.get().pk}/thumbnail/"
    assert by_id[public[1].pk]["properties"]["thumbnail_url"] is None
    text = response.content.decode()
    for personal in ("王秀英", "13812345678", "402", "独居老人"):
        assert personal not in text


def test_a_bounding_box_and_the_lists_filters(client, filed):
    public, _private = filed
    west, east = public[1].longitude - 0.001, public[2].longitude + 0.001
    south, north_ = public[1].latitude - 0.001, public[1].latitude + 0.001
    inside = client.get(GEOJSON, {"bbox": f"{west},{south},{east},{north_}"}).json()
    assert {f["id"] for f in inside["features"]} == {public[1].pk, public[2].pk}
    assert client.get(GEOJSON, {"status": "closed"}).json()["features"] == []
    assert len(client.get(GEOJSON, {"category": "rubbish", "limit": 2}).json()["features"]) == 2
    for bad in ("1,2,3", "1,50,2,40", "1,2,3,x", "999,1,1000,2"):
        response = client.get(GEOJSON, {"bbox": bad})
        assert response.status_code in (400, 422), bad
        assert response["Content-Type"].startswith("application/problem+json")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_cached_value_for_everyone_queries_constant_in_size_and_changes_seen(client, filed):
    public, _private = filed
    client.get(GEOJSON, {"limit": 1, "status": "closed"})  # the cache's versions, read once
    with CaptureQueriesContext(connection) as few:
        client.get(GEOJSON, {"limit": 1})
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(GEOJSON, {"limit": 3}).json()["features"]) == 3
    assert len(many) == len(few) <= 2
    with CaptureQueriesContext(connection) as hit:
        client.get(GEOJSON, {"limit": 3})
    assert len(hit) == 0
    client.force_login(rider())
    with CaptureQueriesContext(connection) as member_hit:
        client.get(GEOJSON, {"limit": 3})
    assert not [q for q in member_hit.captured_queries if "reports_report" in q["sql"]]
    services.reject(public[0].pk, _command_centre(), reason="不属实")
    assert {f["id"] for f in client.get(GEOJSON, {"limit": 3}).json()["features"]} == {public[1].pk, public[2].pk}


def _command_centre():
    from tests.reports.factories import command_centre

    return command_centre()


def _map_url(html):
    section = html[html.index('id="report-map"'):]
    url = section.split('data-geojson="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    return url, dict(parse_qsl(urlsplit(url).query))


def test_the_list_page_has_the_map_of_the_same_reports(client, filed, settings):
    settings.MAP_TILE_URL = settings.STATIONS_TILE_URL = ""
    html = client.get("/reports/", {"category": "rubbish", "community": "hehua", "status": "open"}).content.decode()
    url, params = _map_url(html)
    assert params == {"category": "rubbish", "community": "hehua", "status": "open", "limit": "200"}
    assert "/static/core/leaflet/leaflet.js" in html and "/static/reports/map.js" in html
    assert 'hidden data-map' in html  # drawn by the script; without it the list is the page
    assert {f["id"] for f in client.get(url).json()["features"]} == {r.pk for r in filed[0]}
    # Nothing to show: no map.
    assert 'id="report-map"' not in client.get("/reports/", {"status": "closed"}).content.decode()


def test_the_tile_server_is_let_in_on_the_list_page_cached_or_not(client, filed, settings):
    settings.MAP_TILE_URL = "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"
    first = client.get("/reports/")
    again = client.get("/reports/")
    assert again["X-Page-Cache"] == "hit"
    for response in (first, again):
        assert "https://*.tile.openstreetmap.org" in directives(response["Content-Security-Policy"])["img-src"]
    assert 'data-tiles="https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"' in again.content.decode()
