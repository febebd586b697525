"""The public list, meeting pages and Open311 answers come from core.cache, and any change to a
report is seen at once (the "reports" namespace is bumped after commit)."""

import pytest
from django.urls import reverse

from reports import services
from tests.reports.factories import HEHUA, make_category, rider

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_public_list_is_cached_and_a_new_report_shows_at_once(client, hehua):
    category = make_category("rubbish", name="乱堆乱倒垃圾")
    first = client.get(reverse("reports:index"))
    assert first.status_code == 200 and "X-Page-Cache" not in first
    again = client.get(reverse("reports:index"))
    assert again["X-Page-Cache"] == "hit"
    report = services.submit(rider(hehua), category=category, description="河边倒了装修垃圾", lat=HEHUA[0], lng=HEHUA[1])
    fresh = client.get(reverse("reports:index"))
    assert "X-Page-Cache" not in fresh and f"#{report.pk}" in fresh.content.decode()
    services.me_too(report.pk, rider(hehua))
    assert "X-Page-Cache" not in client.get(reverse("reports:index"))


def test_open311_answers_are_cached_for_everyone_and_follow_changes(client, hehua):
    make_category("rubbish", name="乱堆乱倒垃圾")
    assert client.get("/open311/v2/services.json").status_code == 200
    assert client.get("/open311/v2/services.json")["X-Page-Cache"] == "hit"
    make_category("parking", name="占用消防通道")
    codes = {s["service_code"] for s in client.get("/open311/v2/services.json").json()}
    assert codes == {"rubbish", "parking"}


def test_a_logged_in_reader_is_never_served_the_cached_page(client, hehua):
    make_category("rubbish")
    client.get(reverse("reports:index"))
    client.force_login(rider(hehua))
    response = client.get(reverse("reports:index"))
    assert "X-Page-Cache" not in response
    assert reverse("reports:mine") in response.content.decode()  # the member's own link: not the anonymous page
