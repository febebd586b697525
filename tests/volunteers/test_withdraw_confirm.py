"""Issue 10 item 13: withdrawing from a shift asks first and says which shift and when."""

import re

import pytest
from django.utils import timezone

from volunteers import services
from volunteers.models import SignUp

pytestmark = pytest.mark.django_db


def test_withdrawing_asks_first_names_the_shift_and_only_the_confirmation_withdraws(client, make_opportunity,
                                                                                     make_member):
    opportunity = make_opportunity(title="社区环境清洁", hours_from_now=72)
    shift = opportunity.shifts.first()
    member = make_member()
    signup = services.sign_up(member, shift, via="page")
    client.force_login(member)
    me = client.get("/volunteers/me/").content.decode()
    links = [" ".join(re.sub(r"<[^>]+>", " ", m).split()) for m in re.findall(r"<a\b[^>]*>(.*?)</a>", me, re.S)]
    withdraw = [n for n in links if n.startswith("退出这次服务")]
    assert f'href="/volunteers/signups/{signup.pk}/withdraw/"' in me
    assert len(withdraw) == 1 and "社区环境清洁" in withdraw[0]  # which shift, not a bare 退出
    local = timezone.localtime(shift.start)
    url = f"/volunteers/signups/{signup.pk}/withdraw/"
    text = client.get(url).content.decode()
    assert "社区环境清洁" in text and f"{local.month}月{local.day}日" in text and f"{local:%H:%M}" in text
    assert client.post(url).status_code == 200
    assert SignUp.objects.get(pk=signup.pk).status == SignUp.Status.CONFIRMED
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    assert SignUp.objects.get(pk=signup.pk).status == SignUp.Status.WITHDRAWN
