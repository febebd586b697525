"""The map on the stations page (core.maps, shared with reports): the tile server is a setting
(MAP_TILE_URL, or the old STATIONS_TILE_URL), its origin enters the page's Content-Security-
Policy (img-src) on that page only, a template it cannot use stops `check`, and the script reads
the same search as the list from the GeoJSON endpoint."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from core import maps
from tests.core.test_csp import directives
from tests.stations.conftest import P


def _map_section(body):
    start = body.index('id="station-map"')
    return body[start:body.index("</section>", start)]


def test_tile_origins():
    assert maps.tile_origin("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png") == "https://*.tile.openstreetmap.org"
    assert maps.tile_origin("http://127.0.0.1:8800/tiles/{z}/{x}/{y}.png") == "http://127.0.0.1:8800"
    assert maps.tile_origin("") is None


@pytest.mark.parametrize("url", ["https://tiles.example.cn/{z}/{x}.png", "ftp://tiles.example.cn/{z}/{x}/{y}.png",
                                 "https://{z}.example.cn/{z}/{x}/{y}.png", "/tiles/{z}/{x}/{y}.png"])
def test_a_tile_template_the_map_cannot_use_stops_check(settings, url):
    settings.MAP_TILE_URL = url
    with pytest.raises(SystemCheckError, match="MAP_TILE_URL"):
        call_command("check")


@pytest.mark.parametrize("name", ["MAP_TILE_COORDS", "STATIONS_TILE_COORDS"])
def test_an_unknown_coordinate_system_stops_check(settings, name):
    settings.MAP_TILE_COORDS = ""
    setattr(settings, name, "bd09")
    with pytest.raises(SystemCheckError, match="MAP_TILE_COORDS"):
        call_command("check")


def test_the_old_setting_names_still_work_and_the_new_ones_win(settings):
    settings.MAP_TILE_URL, settings.STATIONS_TILE_URL = "", "https://old.example.cn/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION, settings.STATIONS_TILE_ATTRIBUTION = "", "© 旧名"
    assert maps.tile_url() == "https://old.example.cn/{z}/{x}/{y}.png" and maps.tile_attribution() == "© 旧名"
    settings.MAP_TILE_URL = "https://new.example.cn/{z}/{x}/{y}.png"
    assert maps.tile_origin() == "https://new.example.cn"


@pytest.mark.django_db
def test_no_tile_server_keeps_the_site_policy_and_says_the_background_is_plain(client, settings, holiday_evening):
    settings.MAP_TILE_URL = settings.STATIONS_TILE_URL = ""
    response = client.get("/stations/")
    assert directives(response["Content-Security-Policy"])["img-src"] == ["'self'", "data:", "blob:"]
    section = _map_section(response.content.decode())
    assert 'data-tiles=""' in section and "没有配置地图服务器" in section
    assert "/static/core/leaflet/leaflet.js" in response.content.decode()


@pytest.mark.django_db
def test_the_tile_server_is_let_in_on_the_stations_page_only(client, settings, holiday_evening):
    settings.MAP_TILE_URL = "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© OpenStreetMap contributors"
    response = client.get("/stations/")
    policy = directives(response["Content-Security-Policy"])
    assert "https://*.tile.openstreetmap.org" in policy["img-src"]
    assert policy["script-src"] == ["'self'"] and policy["connect-src"] == ["'self'"]
    body = response.content.decode()
    assert 'data-tiles="https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"' in body
    assert "© OpenStreetMap contributors" in body and "没有配置地图服务器" not in body
    assert "https://*.tile.openstreetmap.org" not in directives(client.get("/")["Content-Security-Policy"])["img-src"]


@pytest.mark.django_db
def test_the_map_reads_the_same_search_as_the_list(client, settings, holiday_evening):
    settings.MAP_TILE_COORDS = "gcj02"
    response = client.get("/stations/", {"lat": P[0], "lng": P[1], "amenity": "battery_charging", "open_now": "on"})
    section = _map_section(response.content.decode())
    url = section.split('data-geojson="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    params = dict(parse_qsl(urlsplit(url).query))
    assert params == {"limit": "20", "coords": "gcj02", "lat": str(P[0]), "lng": str(P[1]),
                      "amenity": "battery_charging", "open_now": "true"}
    geojson = client.get(url)
    assert geojson.status_code == 200 and geojson["Content-Type"] == "application/geo+json"
    listed = [s.split("</a>")[0].rsplit(">", 1)[1] for s in response.content.decode().split('class="station"')[1:]]
    assert [f["properties"]["title"] for f in geojson.json()["features"]] == listed
    assert listed == ["甲站", "乙站（夜班）", "丙站（24 小时）"]
    # The rider's own point, converted like the stations for a GCJ-02 map.
    here = section.split('data-here="', 1)[1].split('"', 1)[0]
    assert here and here != f"{P[0]:.6f},{P[1]:.6f}"


@pytest.mark.django_db
def test_a_bad_search_draws_no_map(client, holiday_evening):
    response = client.get("/stations/", {"lat": "30.1"})
    assert response.status_code == 200 and 'id="station-map"' not in response.content.decode()
