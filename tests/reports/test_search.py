"""The site search (/search/, /api/v3/search/) finds public reports by what was reported, the
category and the community (reports' ``searchables``); never a private need, a rejected report,
nor the reporter's name, phone or address."""

import pytest

from reports import services
from reports.models import Status
from tests.reports.factories import HEHUA, command_centre, make_category, north, rider

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(hehua):
    wires = make_category("flying-wire", name="飞线充电")
    need = make_category("need", name="困难诉求", is_public=False)
    reporter = rider(hehua, display_name="王秀英", phone="+8613812345678")
    point = north(HEHUA, 40)
    public = services.submit(reporter, category=wires, description="三号楼窗口垂下电线给电瓶车充电",
                             lat=point[0], lng=point[1], address="荷花路12号3单元402")
    private = services.submit(reporter, category=need, description="独居老人想订社区食堂午餐",
                              lat=point[0], lng=point[1])
    rejected = services.submit(reporter, category=wires, description="楼道电线乱拉，后来发现是假的",
                               lat=point[0], lng=point[1])
    services.reject(rejected.pk, command_centre(), reason="重复上报")
    return public, private, rejected


def _found(client, query):
    body = client.get("/api/v3/search/", {"search": query}).json()
    return [(item["kind"], item["id"]) for item in body["items"]]


def test_public_reports_are_found_by_text_category_and_community(client, filed):
    public, _private, _rejected = filed
    assert ("reports.report", public.pk) in _found(client, "电瓶车充电")
    assert ("reports.report", public.pk) in _found(client, "飞线充电")  # the category
    assert ("reports.report", public.pk) in _found(client, "荷花社区")  # the community
    html = client.get("/search/", {"q": "电瓶车"}).content.decode()
    assert f'href="/reports/{public.pk}/"' in html and "三号楼窗口垂下电线" in html


def test_never_a_private_need_a_rejected_report_or_a_person(client, filed):
    _public, private, rejected = filed
    assert _found(client, "独居老人") == []
    assert ("reports.report", rejected.pk) not in _found(client, "电线")
    for personal in ("王秀英", "13812345678", "402"):
        assert [hit for hit in _found(client, personal) if hit[0] == "reports.report"] == []


def test_a_report_rejected_later_drops_out(client, filed):
    public, _private, _rejected = filed
    services.reject(public.pk, command_centre(), reason="不属实")
    assert public.refresh_from_db() is None and public.status == Status.REJECTED
    assert _found(client, "电瓶车充电") == []
