"""Station pages in a real browser (Debian's Chromium via Playwright) checked with axe-core for
WCAG 2.2 A/AA at 1280 and 360 px, 18 px text and 44 px targets. Skipped when Chromium or axe-core
is missing (see tests/e2e)."""

import pytest

from stations.models import PartyMember, PartyOrganisation, Visit
from tests.browser import SKIP_WITHOUT_BROWSER, audit_pages
from tests.factories import UserFactory, staff_user
from tests.stations.factories import make_station

pytestmark = SKIP_WITHOUT_BROWSER


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_station_pages_pass_axe(live_server, browser, client, community):
    station = make_station(community=community, amenities=("seats", "phone_charging", "battery_charging"))
    member = UserFactory(community=community)
    PartyMember.objects.create(user=member, is_mobile=True, home_organisation="河南省某村党支部")
    branch = PartyOrganisation.objects.create(name="测试联合党支部", kind="joint_branch")
    branch.communities.add(community)
    Visit.objects.create(station=station, member=member)
    keeper, party = staff_user("Station staff"), staff_user("Party-work staff")
    scan = "/" + station.scan_url().split("://", 1)[1].split("/", 1)[1]
    pages = [
        (None, ["/stations/", f"/stations/?lat={station.latitude}&lng={station.longitude}&open_now=on", station.url]),
        (member, [station.url, scan, "/stations/party/"]),
        (keeper, [station.url, f"/stations/{station.pk}/poster/"]),
        (party, ["/stations/party/registry/"]),
    ]
    problems = [p for user, urls in pages for p in audit_pages(browser, live_server, client, urls, user=user)]
    assert not problems, "\n".join(problems)
