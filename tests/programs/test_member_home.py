"""What programs adds to the member home "我的" (PluginConfig.member_home)."""

from django.urls import reverse

from programs import services


def test_member_home_lists_my_registrations_still_ahead_soonest_first(client, make_program, make_member):
    member = make_member()
    later = make_program(days=5, title="老年人智能手机课")
    sooner = make_program(days=1, title="骑手交通安全课")
    full = make_program(places=[1], days=2, title="应急救护课", waitlist_enabled=True)
    dropped = make_program(days=3, title="电动车消防课")
    services.register(make_member(), full, full.session_list[0])
    mine = {p.title: services.register(member, p, p.session_list[0]) for p in (later, sooner, full, dropped)}
    services.cancel(member, mine["电动车消防课"].pk)

    client.force_login(member)
    response = client.get(reverse("members:home"))
    assert response.status_code == 200
    titles = [item.title for item in response.context["coming_up"]]
    assert titles == ["骑手交通安全课", "应急救护课", "老年人智能手机课"]
    body = response.content.decode()
    assert f'href="/programs/me/#registration-{mine["骑手交通安全课"].pk}"' in body
    assert "候补中，第 1 位" in body
    assert f'href="{reverse("programs:my_registrations")}"' in body


def test_a_registration_whose_sessions_are_over_is_not_coming_up(client, make_program, make_member):
    member = make_member()
    program = make_program(days=1, title="上周的讲座")
    services.register(member, program, program.session_list[0])
    from programs.models import Session

    Session.objects.filter(program=program).update(start=program.session_list[0].start.replace(year=2020),
                                                  end=program.session_list[0].end.replace(year=2020))
    client.force_login(member)
    assert client.get(reverse("members:home")).context["coming_up"] == []
