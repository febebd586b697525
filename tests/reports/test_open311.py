"""Open311 GeoReport v2 at /open311/v2/: every response carries the fields the specification
requires, in JSON and XML; errors are a list of {code, description}; and an existing client
(the PyPI ``georeport`` package) lists services and reads back a request filed over HTTP."""

import datetime
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own test responses

import pytest
import requests as http
from django.core.cache import cache

from reports.models import Channel, Open311Key, Report
from tests.reports.factories import HEHUA, ground_lock_category, make_category, north, phone_photo

pytestmark = pytest.mark.django_db

JURISDICTION = "qingshi.example.cn"

SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
ATTRIBUTE_FIELDS = {"variable", "code", "datatype", "required", "datatype_description", "order", "description"}
REQUEST_FIELDS = {"service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"}


@pytest.fixture
def setup(hehua, worker):
    lock = ground_lock_category()
    make_category("need", name="困难诉求", is_public=False)  # never listed
    make_category("rubbish", name="乱堆乱倒垃圾")
    key = Open311Key.objects.create(name="随手拍")
    return lock, key


def _post(client, key, **extra):
    data = {"api_key": key.key, "service_code": "rubbish", "lat": f"{HEHUA[0]}", "long": f"{HEHUA[1]}",
            "description": "河边倒了一堆装修垃圾", "first_name": "伟", "last_name": "张", "phone": "13800000000", **extra}
    return client.post("/open311/v2/requests.json", data)


def test_services_and_definitions_carry_the_specified_fields(client, setup):
    services = client.get("/open311/v2/services.json").json()
    assert {s["service_code"] for s in services} == {"ground-lock", "rubbish"}
    for service in services:
        assert SERVICE_FIELDS <= set(service)
        assert service["type"] in ("realtime", "batch", "blackbox") and isinstance(service["metadata"], bool)
    definition = client.get("/open311/v2/services/ground-lock.json").json()
    assert definition["service_code"] == "ground-lock"
    assert [a["code"] for a in definition["attributes"]] == ["count", "locked"]
    for attribute in definition["attributes"]:
        assert ATTRIBUTE_FIELDS <= set(attribute)
        assert attribute["datatype"] in ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")
    assert definition["attributes"][1]["values"] == [{"key": "yes", "name": "是"}, {"key": "no", "name": "否"}]
    xml = ET.fromstring(client.get("/open311/v2/services.xml").content)  # noqa: S314
    assert xml.tag == "services" and {e.findtext("service_code") for e in xml.findall("service")} == {
        "ground-lock", "rubbish"}
    assert client.get("/open311/v2/services/need.json").status_code == 404


def test_post_request_then_read_it_by_id_token_and_filters(client, setup):
    _lock, key = setup
    response = _post(client, key)
    assert response.status_code == 201, response.content
    [created] = response.json()
    report = Report.objects.get(pk=created["service_request_id"])
    assert report.channel == Channel.OPEN311 and report.contact_name == "张 伟" and report.reporter is None
    assert created["token"] == report.token
    assert client.get(f"/open311/v2/tokens/{report.token}.json").json() == [
        {"service_request_id": str(report.pk), "token": report.token}]
    [one] = client.get(f"/open311/v2/requests/{report.pk}.json").json()
    assert REQUEST_FIELDS <= set(one)
    assert one["status"] == "open" and one["service_code"] == "rubbish"
    # No personal data; the point is rounded.
    assert "13800000000" not in str(one) and "张" not in str(one)
    assert one["lat"] == round(HEHUA[0], 3)
    assert datetime.datetime.fromisoformat(one["requested_datetime"]).utcoffset() == datetime.timedelta(hours=8)
    listed = client.get("/open311/v2/requests.json", {"service_code": "rubbish", "status": "open"}).json()
    assert [r["service_request_id"] for r in listed] == [str(report.pk)]
    assert client.get("/open311/v2/requests.json", {"status": "closed"}).json() == []
    assert client.get("/open311/v2/requests.json", {"service_request_id": f"{report.pk},99999"}).json()[0][
        "service_request_id"] == str(report.pk)
    future = client.get("/open311/v2/requests.json", {"start_date": "2099-01-01T00:00:00+08:00",
                                                      "end_date": "2099-01-02T00:00:00+08:00"}).json()
    assert future == []
    xml = ET.fromstring(client.get(f"/open311/v2/requests/{report.pk}.xml").content)  # noqa: S314
    assert xml.tag == "service_requests" and xml.find("request").findtext("status") == "open"
    assert REQUEST_FIELDS <= {child.tag for child in xml.find("request")}


def test_a_photo_sent_over_open311_is_re_encoded(client, setup):
    _lock, key = setup
    response = _post(client, key, service_code="ground-lock", **{"attribute[count]": "2", "media": phone_photo()})
    assert response.status_code == 201, response.content
    report = Report.objects.get(pk=response.json()[0]["service_request_id"])
    assert report.answers == {"count": 2}
    assert report.photos.count() == 1
    with report.photos.get().image.open("rb") as f:
        assert b"PhoneMaker" not in f.read()


@pytest.mark.parametrize(("data", "status"), [
    ({"api_key": "wrong"}, 403),
    ({"service_code": ""}, 400),
    ({"service_code": "nope"}, 404),
    ({"service_code": "need"}, 404),
    ({"lat": "", "long": ""}, 400),
    ({"lat": "999", "long": "1"}, 400),
    ({"description": ""}, 400),
    ({"service_code": "ground-lock"}, 400),  # its photo and its required question are missing
])
def test_errors_are_a_list_of_code_and_description(client, setup, data, status):
    _lock, key = setup
    response = _post(client, key, **data)
    assert response.status_code == status
    [problem] = response.json()
    assert set(problem) == {"code", "description"} and problem["code"] == status and problem["description"]
    assert not Report.objects.exists()
    xml = ET.fromstring(client.post("/open311/v2/requests.xml", {"api_key": "wrong"}).content)  # noqa: S314
    assert xml.tag == "errors" and xml.find("error").findtext("code") == "403"


@pytest.mark.parametrize("query", [{"start_date": "yesterday"}, {"status": "pending"}, {"service_request_id": "x"},
                                   {"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-06-01T00:00:00+08:00"}])
def test_bad_filters_are_400(client, setup, query):
    response = client.get("/open311/v2/requests.json", query)
    assert response.status_code == 400 and response.json()[0]["code"] == 400


def test_discovery(client, setup):
    body = client.get("/open311/v2/discovery.json").json()
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(body)
    [endpoint] = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2") and "text/xml" in endpoint["formats"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_georeport_client_lists_services_and_reads_back_what_it_filed(live_server, setup, settings):
    georeport = pytest.importorskip("georeport")
    _lock, key = setup
    settings.OPEN311_JURISDICTION_ID = JURISDICTION
    root = f"{live_server.url}/open311/v2"
    # The client sends its jurisdiction_id with every call (another one is a 404: tested above,
    # through the test client).
    client = georeport.GeoReport(root, jurisdiction=JURISDICTION, api_key=key.key)
    assert {s["service_code"] for s in client.get_service_list()} == {"ground-lock", "rubbish"}
    assert [a["code"] for a in client.get_service_definition("ground-lock")["attributes"]] == ["count", "locked"]
    # georeport only reads; it files through the same HTTP a client would (form-encoded POST).
    point = north(HEHUA, 30)
    filed = http.post(f"{root}/requests.json", data={
        "api_key": client.api_key, "service_code": "rubbish", "lat": point[0], "long": point[1],
        "description": "小巷里有人倒了旧沙发", "jurisdiction_id": JURISDICTION}, timeout=30)
    assert filed.status_code == 201, filed.text
    request_id = filed.json()[0]["service_request_id"]
    got = client.get_service_request(request_id)
    assert got["service_request_id"] == request_id and got["status"] == "open"
    assert [r["service_request_id"] for r in client.get_service_requests(status="open")] == [request_id]
    as_xml = georeport.GeoReport(root, jurisdiction=JURISDICTION, output_format="xml")
    assert as_xml.get_service_request(request_id)["description"] == "小巷里有人倒了旧沙发"
    assert {s["service_code"] for s in as_xml.get_service_list()} == {"ground-lock", "rubbish"}


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/open311/v2/discovery.json"), ("get", "/open311/v2/services.json"),
    ("get", "/open311/v2/services/rubbish.json"), ("get", "/open311/v2/requests.json"),
    ("get", "/open311/v2/services.xml"),
])
def test_another_jurisdiction_is_404_ours_or_none_is_served(client, setup, settings, method, path):
    settings.OPEN311_JURISDICTION_ID = JURISDICTION
    wrong = client.get(path, {"jurisdiction_id": "elsewhere.example.org"})
    assert wrong.status_code == 404
    if path.endswith(".xml"):
        assert ET.fromstring(wrong.content).find("error").findtext("code") == "404"  # noqa: S314
    else:
        [problem] = wrong.json()
        assert problem["code"] == 404 and "elsewhere.example.org" in problem["description"]
    assert client.get(path, {"jurisdiction_id": JURISDICTION}).status_code == 200
    assert client.get(path, {"jurisdiction_id": JURISDICTION.upper()}).status_code == 200
    assert client.get(path).status_code == 200


def test_a_post_for_another_jurisdiction_files_nothing(client, setup, settings):
    settings.OPEN311_JURISDICTION_ID = JURISDICTION
    _lock, key = setup
    response = _post(client, key, jurisdiction_id="elsewhere.example.org")
    assert response.status_code == 404 and response.json()[0]["code"] == 404
    assert not Report.objects.exists()
    assert _post(client, key, jurisdiction_id=JURISDICTION).status_code == 201
    assert Report.objects.count() == 1


def test_discovery_names_the_jurisdiction(client, setup, settings):
    assert "jurisdiction_id" not in client.get("/open311/v2/discovery.json").json()
    settings.OPEN311_JURISDICTION_ID = JURISDICTION
    cache.clear()  # the document is cached; a setting changes with a deploy
    assert client.get("/open311/v2/discovery.json").json()["jurisdiction_id"] == JURISDICTION

