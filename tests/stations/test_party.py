import pytest
from django.utils import timezone

from stations.models import PartyMember, PartyOrganisation, ReportIn, Visit
from tests.factories import UserFactory
from tests.stations.factories import make_station

API = "/api/v3/stations/"


@pytest.fixture
def branch_station(db, community):
    branch = PartyOrganisation.objects.create(name="快递物流行业联合党支部", kind="joint_branch", setup="industry")
    branch.communities.add(community)
    station = make_station(community=community)
    return branch, station


@pytest.fixture
def mobile_member(db, community):
    user = UserFactory(community=community)
    PartyMember.objects.create(user=user, is_mobile=True, home_organisation="河南省某村党支部")
    return user


def scan(client, station, code=None):
    return client.post(f"{API}{station.pk}/scan/", {"code": code or station.scan_code}, content_type="application/json")


class TestReportIn:
    def test_a_mobile_member_scanning_counts_once_a_month(self, client, branch_station, mobile_member,
                                                          staff_client_for):
        branch, station = branch_station
        client.force_login(mobile_member)
        first = scan(client, station)
        assert first.status_code == 201, first.content
        assert first.json()["reported_in_to"] == branch.name and first.json()["counted"] is True
        again = scan(client, station)
        assert again.status_code == 201 and again.json()["counted"] is False
        assert Visit.objects.filter(member=mobile_member).count() == 2
        assert ReportIn.objects.filter(member=mobile_member).count() == 1
        staff = staff_client_for("Party-work staff")
        counts = staff.get(f"{API}party/report-ins/").json()
        assert counts == [{"organisation_id": branch.pk, "organisation": branch.name,
                           "month": f"{timezone.localdate():%Y-%m}", "count": 1}]
        export = staff.get("/stations/party/registry/report-ins.csv")
        assert export.status_code == 200
        assert f"{branch.name},{timezone.localdate():%Y-%m},1" in export.content.decode("utf-8-sig")

    def test_a_member_who_is_not_a_party_member_only_visits(self, client, branch_station, member):
        _, station = branch_station
        client.force_login(member)
        body = scan(client, station).json()
        assert body["reported_in_to"] is None and body["counted"] is False
        assert Visit.objects.filter(member=member).exists() and not ReportIn.objects.exists()

    def test_a_forged_code_is_refused_and_writes_nothing(self, client, branch_station, mobile_member):
        _, station = branch_station
        client.force_login(mobile_member)
        response = scan(client, station, code="AAAAAAAAAAAAAAAA")
        assert response.status_code == 403 and response.json()["code"] == "invalid_code"
        assert not Visit.objects.exists() and not ReportIn.objects.exists()

    def test_the_scan_page_works_from_the_poster_url(self, client, branch_station, mobile_member):
        _, station = branch_station
        path = station.scan_url().split("://", 1)[1].split("/", 1)[1]
        client.force_login(mobile_member)
        page = client.get("/" + path)
        assert page.status_code == 200 and "流动党员" in page.content.decode()
        done = client.post("/" + path)
        assert done.status_code == 200 and "快递物流行业联合党支部" in done.content.decode()
        assert ReportIn.objects.filter(member=mobile_member).count() == 1

    def test_the_poster_is_a_standard_qr_of_the_scan_url(self, branch_station, staff_client_for):
        import io

        import zxingcpp
        from PIL import Image

        from core import qr

        _, station = branch_station
        staff = staff_client_for("Station staff")
        assert staff.get(f"/stations/{station.pk}/poster/").status_code == 200
        assert staff.get(f"/stations/{station.pk}/qr.svg").status_code == 200
        decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.png(station.scan_url()))))
        assert [(d.text, d.format) for d in decoded] == [(station.scan_url(), zxingcpp.BarcodeFormat.QRCode)]


class TestNobodyElseSeesPartyMembership:
    ROLES = ["Editors", "Moderators", "Program staff", "Canteen staff", "Grid workers", "Station staff"]

    @pytest.mark.parametrize("role", ROLES)
    def test_other_staff_cannot_list_party_members(self, role, mobile_member, staff_client_for):
        staff = staff_client_for(role)
        for path in ("party/members/", "party/organisations/", "party/report-ins/"):
            assert staff.get(API + path).status_code == 403, (role, path)
        assert staff.get("/stations/party/registry/").status_code == 403
        assert staff.get("/stations/party/registry/report-ins.csv").status_code == 403
        admin_listing = staff.get("/admin/party_members/")
        assert admin_listing.status_code in (302, 403), (role, admin_listing.status_code)
        assert "河南省某村党支部" not in admin_listing.content.decode()

    def test_a_member_sees_only_themself(self, client, mobile_member, member):
        client.force_login(member)
        assert client.get(API + "party/members/").status_code == 403
        assert client.get(API + "party/me/").status_code == 404
        client.force_login(mobile_member)
        mine = client.get(API + "party/me/").json()
        assert mine["is_mobile"] is True and mine["home_organisation"] == "河南省某村党支部"

    def test_anonymous_cannot(self, client, mobile_member):
        assert client.get(API + "party/members/").status_code == 401
        assert client.get("/stations/party/registry/").status_code == 302

    def test_party_work_staff_can(self, mobile_member, staff_client_for):
        staff = staff_client_for("Party-work staff")
        members = staff.get(API + "party/members/").json()
        assert [m["member_id"] for m in members] == [mobile_member.pk]
        assert "河南省某村党支部" in staff.get("/admin/party_members/").content.decode()
        assert staff.get("/stations/party/registry/").status_code == 200
        export = staff.get("/stations/party/registry/report-ins.xlsx")
        assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


class TestDeclaration:
    def test_a_member_declares_themself_a_mobile_member(self, client, member):
        client.force_login(member)
        response = client.put(API + "party/me/", {"is_mobile": True, "home_organisation": "安徽省某社区党支部"},
                              content_type="application/json")
        assert response.status_code == 200 and response.json()["is_mobile"] is True
        assert PartyMember.objects.get(user=member).home_organisation == "安徽省某社区党支部"
        page = client.post("/stations/party/", {"withdraw": "1"})
        assert page.status_code == 302 and not PartyMember.objects.filter(user=member).exists()
