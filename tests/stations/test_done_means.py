"""Issue 13's "Done means", walked end to end as one rider, one party member and the staff see it.

A rider at 21:40 on a public holiday asks for the nearest open station with e-bike charging and
gets the right three, with distances, on the page and through the API, in WGS-84 or GCJ-02; a
station closed for the holiday is not among them; a rider confirms the water is off and the next
rider sees it; a party member scans the poster and the branch's monthly count goes up by one, once;
nobody but party-work staff can list party members.
"""

import io
import re

import pytest
import zxingcpp
from PIL import Image

from core import qr
from core.roles import declared_roles
from stations import geo
from stations.models import PartyMember, PartyOrganisation, ReportIn, StationPage, Visit
from tests.factories import UserFactory, staff_user
from tests.stations.conftest import P

API = "/api/v3/stations/"
THE_THREE = ["甲站", "乙站（夜班）", "丙站（24 小时）"]


def _listed_titles(html):
    return re.findall(r'<li class="station" id="station-\d+">\s*<h3><a href="[^"]*">([^<]+)</a>', html)


def test_issue_13_done_means(client, holiday_evening, community):
    stations = holiday_evening
    ask = {"lat": P[0], "lng": P[1], "amenity": "battery_charging"}

    # The page (no JavaScript needed): the three, nearest first, with distances; neither the
    # station closed by an exception for National Day nor the one that follows the office
    # calendar's holiday is among them.
    html = client.get("/stations/", {**ask, "open_now": "on"}).content.decode()
    assert _listed_titles(html) == THE_THREE
    assert "300 米" in html and "800 米" in html and "1.2 公里" in html
    assert "国庆闭站" not in html and "节假日闭馆站" not in html

    # The API, in WGS-84 and in GCJ-02: the same three, the same distances (always measured in WGS-84).
    wgs = client.get(API, {**ask, "open_now": "true", "limit": 3}).json()["items"]
    gcj = client.get(API, {**ask, "open_now": "true", "limit": 3, "coords": "gcj02"}).json()["items"]
    assert [i["title"] for i in wgs] == [i["title"] for i in gcj] == THE_THREE
    assert [i["distance_m"] for i in wgs] == [i["distance_m"] for i in gcj] == [300, 800, 1200]
    for item, converted in zip(wgs, gcj, strict=True):
        assert (converted["lat"], converted["lng"]) == pytest.approx(geo.wgs84_to_gcj02(item["lat"], item["lng"]),
                                                                     abs=1e-6)
        assert converted["lat"] != item["lat"]
    assert "国庆闭站" in [i["title"] for i in client.get(API, {**ask, "limit": 10}).json()["items"]]

    # A rider confirms the water is off at 甲站; the next rider, not logged in, sees it on the
    # page and in the API.
    first_station = stations["a"]
    rider, next_rider = UserFactory(), client
    client.force_login(rider)
    said = client.post(f"{API}{first_station.pk}/confirmations/", {"item": "drinking_water", "state": "no"},
                       content_type="application/json")
    assert said.status_code == 201
    client.logout()
    seen = next_rider.get(f"{API}{first_station.pk}/").json()["status"]["confirmations"]
    assert [(c["item"], c["state"]) for c in seen] == [("drinking_water", "no")]
    assert "骑手反馈：饮用水不可用" in next_rider.get("/stations/", {**ask, "open_now": "on"}).content.decode()

    # A mobile party member scans the poster of 甲站 (the branch there is responsible for its
    # community): the poster shows a standard QR of the signed scan address.
    StationPage.objects.filter(pk=first_station.pk).update(community=community)
    first_station.refresh_from_db()
    branch = PartyOrganisation.objects.create(name="快递物流行业联合党支部", kind="joint_branch", setup="industry")
    branch.communities.add(community)
    keeper = staff_user("Station staff")
    client.force_login(keeper)
    poster = client.get(f"/stations/{first_station.pk}/poster/").content.decode()
    assert qr.svg(first_station.scan_url(), title=first_station.title).decode() in poster
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.png(first_station.scan_url()))))
    assert [(d.text, d.format) for d in decoded] == [(first_station.scan_url(), zxingcpp.BarcodeFormat.QRCode)]
    scanned_path = "/" + decoded[0].text.split("://", 1)[1].split("/", 1)[1]

    party_member = UserFactory(community=community)
    PartyMember.objects.create(user=party_member, is_mobile=True, home_organisation="河南省某村党支部")
    party = staff_user("Party-work staff")

    def branch_count():
        client.force_login(party)
        rows = client.get(f"{API}party/report-ins/", {"year": 2026}).json()
        return {(r["organisation"], r["month"]): r["count"] for r in rows}.get((branch.name, "2026-10"), 0)

    assert branch_count() == 0
    client.force_login(party_member)
    assert client.post(scanned_path).status_code == 200
    assert branch_count() == 1
    client.force_login(party_member)
    again = client.post(scanned_path)
    assert again.status_code == 200
    assert branch_count() == 1  # once a month, however often the poster is scanned
    assert ReportIn.objects.filter(member=party_member).count() == 1
    assert Visit.objects.filter(member=party_member, station_id=first_station.pk).count() == 2

    # Nobody but party-work staff lists party members: every other role, a member, anonymous.
    for role in sorted(set(declared_roles()) - {"Party-work staff"}):
        client.force_login(staff_user(role))
        assert client.get(f"{API}party/members/").status_code == 403, role
        assert client.get("/stations/party/registry/").status_code == 403, role
    client.force_login(rider)
    assert client.get(f"{API}party/members/").status_code == 403
    client.logout()
    assert client.get(f"{API}party/members/").status_code == 401
    client.force_login(party)
    assert [m["member_id"] for m in client.get(f"{API}party/members/").json()] == [party_member.pk]
