"""Issue 10 items 12 and 13 on program pages: "报名" near the top, and cancelling a registration
asks first, names the action (取消报名) and says which class and day."""

import re

import pytest
from wagtail.rich_text import RichText

from programs import services
from programs.models import Registration

pytestmark = pytest.mark.django_db

LONG = [("paragraph", RichText("<p>" + "课程介绍。" * 200 + "</p>"))]


def names(html):
    return [" ".join(re.sub(r"<[^>]+>", " ", m).split())
            for m in re.findall(r"<(?:a|button)\b[^>]*>(.*?)</(?:a|button)>", html, re.S)]


@pytest.mark.parametrize("series", [False, True])
def test_register_comes_before_the_facts_and_the_description(client, make_program, make_member, series):
    program = make_program(places=[10, 10, 10], description=LONG, enrolment="series" if series else "session")
    client.force_login(make_member())
    page = client.get(program.url).content.decode()
    register = page.index(f'action="/programs/{program.pk}/register/"')
    assert register < page.index('<dl class="facts">') < page.index("课程介绍")
    if not series:
        assert "See all 3 sessions" in page or "查看全部 3 场" in page


def test_cancelling_a_registration_asks_first_and_says_what(client, make_program, make_member):
    program = make_program(title="智能手机课")
    member = make_member()
    registration = services.register(member, program, program.session_list[0])
    client.force_login(member)
    mine = client.get("/programs/me/").content.decode()
    cancel = [n for n in names(mine) if n.startswith("取消报名")]
    assert len(cancel) == 1 and "智能手机课" in cancel[0]
    start = registration.session.start
    url = f"/programs/registrations/{registration.pk}/cancel/"
    question = client.get(url)
    text = question.content.decode()
    assert question.status_code == 200 and "<h1>取消报名</h1>" in text and "智能手机课" in text
    from django.utils import timezone

    local = timezone.localtime(start)
    assert f"{local.month}月{local.day}日" in text and f"{local:%H:%M}" in text
    assert "是的，取消报名" in text
    assert client.post(url).status_code == 200  # no confirmation: asked again, nothing changed
    assert Registration.objects.get(pk=registration.pk).status != "cancelled"
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    assert Registration.objects.get(pk=registration.pk).status == "cancelled"


def test_leaving_the_waiting_list_is_named_so(client, make_program, make_member):
    program = make_program(places=[1], waitlist_enabled=True)
    services.register(make_member(), program, program.session_list[0])
    member = make_member()
    waiting = services.register(member, program, program.session_list[0])
    assert waiting.status == "waitlisted"
    client.force_login(member)
    text = client.get(f"/programs/registrations/{waiting.pk}/cancel/").content.decode()
    assert "<h1>退出候补</h1>" in text and "是的，退出候补" in text
